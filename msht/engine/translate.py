"""msht SQL (DuckDB's dialect) to Spark SQL: sqlglot, plus fixes for what it gets wrong.

sqlglot translates most SQL. Measured on DuckDB 2 / Spark 4.3, it also passes some DuckDB
functions through untranslated, or translates them to Spark functions that give other
results or other types without an error. This module refuses the first kind (UNPORTABLE,
with the alternative to use) and rewrites the second so both engines agree:

- `list[i]` is NULL out of range in DuckDB but an error in Spark (and sqlglot shifts the index
  to 0-based only when it can tell the index is an integer): it becomes try_element_at;
- year(), length(), array_length()… are BIGINT in DuckDB but INT in Spark: cast to BIGINT;
- regexp_extract without a group means the whole match in DuckDB, group 1 in Spark.

Left as they are (write SQL that avoids them): Spark (ANSI mode) raises on division by zero
where DuckDB returns infinity; `a // b` is BIGINT in Spark; sum() of BIGINT is HUGEINT in
DuckDB (decimal128(38, 0) in Arrow), so cast sums; columns without an alias get different
names (count_star() and count(1)), so alias them; list slices `l[a:b]` fail on Spark.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB

from msht.errors import EngineError


class MshtDuckDB(DuckDB):
    """DuckDB as msht reads it for translation: list indexes kept as written (1-based)."""

    INDEX_OFFSET = 0


#: DuckDB functions that Spark lacks or that mean something else there, and what to use.
UNPORTABLE: dict[type[exp.Expr] | str, str] = {
    "try_strptime": "Spark has no try_strptime: use engine.sql_dialect.parse_date_sql",
    exp.RegexpFullMatch: "Spark has no regexp_full_match: use regexp_matches with ^...$",
    "weekday": "weekday() numbers days differently in Spark: avoid it",
    exp.JarowinklerSimilarity: "Spark has no built-in Jaro-Winkler function",
    exp.DayOfWeek: "dayofweek() is 0-6 in DuckDB and 1-7 in Spark: avoid it",
    exp.DayOfWeekIso: "sqlglot translates isodow() wrongly for Spark: avoid it",
}
#: date_diff units that count alike (DuckDB counts boundaries crossed, Spark whole units:
#: the same for days between DATE values, not for years, months or timestamps).
PORTABLE_DIFF_UNITS = frozenset({"DAY"})
#: DuckDB's functions for `list[i]`.
_ELEMENT_FUNCTIONS = frozenset({"list_extract", "array_extract", "list_element"})
#: Functions that return BIGINT in DuckDB and INT in Spark.
_INT_IN_SPARK: tuple[type[exp.Expr], ...] = (
    exp.Year,
    exp.Quarter,
    exp.Month,
    exp.Week,
    exp.WeekOfYear,
    exp.Day,
    exp.DayOfMonth,
    exp.DayOfYear,
    exp.Hour,
    exp.Minute,
    exp.Second,
    exp.Extract,
    exp.Length,
    exp.ArraySize,
    exp.StrPosition,
    exp.Levenshtein,
)


def parse(sql: str) -> exp.Expr:
    """The one statement in `sql`, parsed as DuckDB SQL; EngineError if it is not one."""
    try:
        statements = [s for s in sqlglot.parse(sql, read=MshtDuckDB) if s is not None]
    except sqlglot.errors.ParseError as exc:
        problems = "; ".join(str(e.get("description")) for e in exc.errors) or str(exc)
        raise EngineError(f"cannot parse SQL: {problems}") from exc
    if len(statements) != 1:
        raise EngineError(f"expected one SQL statement, got {len(statements)}")
    return statements[0]


def _list_problem(node: exp.ArrayAgg) -> str | None:
    """Spark's collect_list ignores ORDER BY and drops NULLs; DuckDB's list keeps both."""
    if isinstance(node.this, exp.Order):
        return "Spark's collect_list ignores ORDER BY: sort the result with list_sort"
    if not isinstance(node.parent, exp.Filter):
        return "DuckDB's list keeps NULLs, Spark's drops them: add FILTER (WHERE x IS NOT NULL)"
    return None


def _problem(node: exp.Func) -> str | None:
    reason = UNPORTABLE.get(type(node))
    if reason is None and isinstance(node, exp.Anonymous):
        reason = UNPORTABLE.get(node.name.lower())
    if reason is None and isinstance(node, exp.DateDiff):
        unit = (node.text("unit") or "DAY").upper()
        if unit not in PORTABLE_DIFF_UNITS:
            reason = f"date_diff('{unit.lower()}') counts differently: use age_in_years_sql"
    if reason is None and isinstance(node, exp.ArrayAgg):
        reason = _list_problem(node)
    if reason is None and isinstance(node, exp.RegexpReplace) and node.text("modifiers") != "g":
        reason = "DuckDB replaces the first match, Spark all, and sqlglot drops flags: pass 'g'"
    if reason is None and isinstance(node, exp.RegexpLike) and node.args.get("flag"):
        reason = "sqlglot drops regular expression flags: write (?i) in the pattern instead"
    return reason


def check_portable(tree: exp.Expr) -> None:
    """Raise EngineError naming the first piece of `tree` that Spark would get wrong."""
    for node in tree.find_all(exp.Func):
        reason = _problem(node)
        if reason is not None:
            raise EngineError(f"not portable to Spark: {node.sql('duckdb')}: {reason}")


def _element_at(items: exp.Expr, index: exp.Expr) -> exp.Expr:
    """`items[index]` as try_element_at (1-based, negative from the end, NULL out of range)."""
    position = index.copy() if index.is_int else exp.cast(index.copy(), exp.DataType.Type.INT)
    return exp.Anonymous(this="try_element_at", expressions=[items.copy(), position])


def _rewrite(node: exp.Expr) -> exp.Expr:
    epoch = isinstance(node, exp.Extract) and node.name.upper() == "EPOCH"  # a DOUBLE in DuckDB
    if isinstance(node, _INT_IN_SPARK) and not epoch and not isinstance(node.parent, exp.Cast):
        return exp.cast(node.copy(), exp.DataType.Type.BIGINT)
    if isinstance(node, exp.RegexpExtract) and node.args.get("group") is None:
        node.set("group", exp.Literal.number(0))  # DuckDB's default: the whole match
        return node
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        (index,) = node.expressions
        is_key = isinstance(index, exp.Literal) and index.is_string  # map['key'], struct['f']
        if not is_key and not isinstance(index, exp.Slice):
            return _element_at(node.this, index)
    if (
        isinstance(node, exp.Anonymous)
        and node.name.lower() in _ELEMENT_FUNCTIONS
        and len(node.expressions) == 2
    ):
        return _element_at(*node.expressions)
    return node


def to_spark(tree: exp.Expr) -> str:
    """Spark SQL for a parsed msht statement (checked, then rewritten)."""
    check_portable(tree)
    return tree.transform(_rewrite).sql(dialect="spark")


def transpile(sql: str) -> str:
    """Translate one msht SQL statement (DuckDB dialect) to Spark SQL.

    Raises EngineError for the SQL known to translate wrongly (UNPORTABLE, date_diff in units
    other than days, list() with ORDER BY or without a FILTER on NULLs) instead of letting
    Spark return different results.
    """
    return to_spark(parse(sql))
