"""SQL snippets per dialect (their results on both engines are checked in test_engines)."""

from __future__ import annotations

import pytest

from msht.engine.dialect import DuckDBDialect, SparkDialect, dialect_for


def test_dialect_snippets_differ_only_in_the_parse() -> None:
    duck = DuckDBDialect().parse_date_sql("t", "%Y%m%d")
    spark = SparkDialect().parse_date_sql("t", "%Y%m%d")
    assert "try_strptime(t, '%Y%m%d')" in duck
    assert "try_to_date(t, 'yyyyMMdd')" in spark
    assert DuckDBDialect().age_in_years_sql("a", "b") == SparkDialect().age_in_years_sql("a", "b")


@pytest.mark.parametrize("fmt", ["%d/%m/%y", "%B %Y", "dd/MM/yyyy", "//", "%d'%m'%Y"])
def test_unsupported_date_formats_are_refused(fmt: str) -> None:
    with pytest.raises(ValueError, match="date format"):
        DuckDBDialect().parse_date_sql("t", fmt)


def test_dialect_for_names_the_engines() -> None:
    assert isinstance(dialect_for("spark"), SparkDialect)
    with pytest.raises(ValueError, match="duckdb"):
        dialect_for("postgres")
