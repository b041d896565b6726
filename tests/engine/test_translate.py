"""msht SQL to Spark SQL: silent sqlglot traps are refused or rewritten (no Spark needed)."""

from __future__ import annotations

import pytest

from msht.engine.translate import transpile
from msht.errors import EngineError


@pytest.mark.parametrize(
    ("sql", "spark"),
    [
        ('SELECT "a b" FROM "t" ORDER BY x', "SELECT `a b` FROM `t` ORDER BY x NULLS LAST"),
        ("SELECT tags[1], tags[-1] FROM t", "TRY_ELEMENT_AT(tags, 1), TRY_ELEMENT_AT(tags, -1)"),
        ("SELECT tags[n] FROM t", "TRY_ELEMENT_AT(tags, CAST(n AS INT))"),
        ("SELECT list_extract(tags, 2) FROM t", "TRY_ELEMENT_AT(tags, 2)"),
        ("SELECT m['key'] FROM t", "m['key']"),
        (
            "SELECT year(d), array_length(l) FROM t",
            "CAST(YEAR(d) AS BIGINT), CAST(SIZE(l) AS BIGINT)",
        ),
        ("SELECT CAST(year(d) AS INTEGER) FROM t", "CAST(YEAR(d) AS INT)"),
        ("SELECT regexp_extract(s, 'a(b)') FROM t", "REGEXP_EXTRACT(s, 'a(b)', 0)"),
        ("SELECT date_diff('day', a, b) FROM t", "DATEDIFF(DAY, a, b)"),
        ("SELECT list(x) FILTER (WHERE x IS NOT NULL) FROM t", "COLLECT_LIST(x) FILTER("),
    ],
)
def test_rewrites(sql: str, spark: str) -> None:
    assert spark in transpile(sql)


@pytest.mark.parametrize(
    ("sql", "hint"),
    [
        ("SELECT try_strptime(x, '%d/%m/%Y') FROM t", "parse_date_sql"),
        ("SELECT jaro_winkler_similarity(a, b) FROM t", "Jaro-Winkler"),
        ("SELECT date_diff('year', dob, today) FROM t", "age_in_years_sql"),
        ("SELECT datediff('month', a, b) FROM t", "counts differently"),
        ("SELECT list(x) FROM t", "keeps NULLs"),
        ("SELECT list(x ORDER BY y) FILTER (WHERE x IS NOT NULL) FROM t", "ORDER BY"),
        ("SELECT dayofweek(d) FROM t", "0-6"),
        ("SELECT regexp_replace(s, 'a', 'b') FROM t", "pass 'g'"),
        ("SELECT regexp_matches(s, 'a', 'i') FROM t", "(?i)"),
        ("SELECT regexp_full_match(s, 'a') FROM t", "regexp_matches"),
    ],
)
def test_traps_are_refused(sql: str, hint: str) -> None:
    with pytest.raises(EngineError, match="not portable") as info:
        transpile(sql)
    assert hint in str(info.value)


@pytest.mark.parametrize("sql", ["SELECT 1; SELECT 2", "SELECT FROM WHERE", ""])
def test_one_valid_statement_only(sql: str) -> None:
    with pytest.raises(EngineError):
        transpile(sql)
