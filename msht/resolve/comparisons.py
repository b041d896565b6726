"""The comparison kinds of `resolve/person.yaml` as Splink comparisons.

Each kind has fixed levels, most specific first, each with a label a reviewer can read in an
explanation. Custom SQL is written in DuckDB's dialect; Splink transpiles it for Spark.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink.internals.column_expression import ColumnExpression
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

from msht.engine.dialect import dialect_for
from msht.resolve.config import Comparison


class SharedItemLevel(ComparisonLevelCreator):
    """A level where two list columns share at least one item (Splink's ArrayIntersectLevel
    builds the intersection only to count it)."""

    def __init__(self, column: str) -> None:
        self.col_expression = ColumnExpression.instantiate_if_str(column)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        """The level's condition in `sql_dialect`."""
        column = self.col_expression
        column.sql_dialect = sql_dialect
        engine = dialect_for(sql_dialect.sql_dialect_str)
        return engine.shares_item_sql(column.name_l, column.name_r)

    def create_label_for_charts(self) -> str:
        """Splink's default label (msht always sets its own)."""
        return "share an item"


def _custom(sql: str, label: str, null: bool = False) -> Any:
    level = cll.CustomLevel(sql, label_for_charts=label, base_dialect_str="duckdb")
    return level.configure(is_null_level=True) if null else level


def _name(c: Comparison) -> list[Any]:
    exact = cll.ExactMatchLevel(c.column).configure(label_for_charts="same name")
    if c.term_frequency:
        exact = exact.configure(tf_adjustment_column=c.column)
    # a name given only as an initial ("Erin N.") is missing here: as a level, an agreeing
    # initial made expectation-maximisation link namesakes (pairwise precision 0.988 → 0.918)
    levels = [cll.NullLevel(c.column).configure(label_for_charts="name missing"), exact]
    if c.swapped_with:
        col, other = c.column, c.swapped_with
        swapped = f"{col}_l = {other}_r AND {other}_l = {col}_r"
        levels.append(_custom(swapped, f"{col} and {other} written the other way round"))
    if c.variants:
        variant = SharedItemLevel(c.variants)
        levels.append(variant.configure(label_for_charts="nickname or transliteration"))
    levels += [
        cll.JaroWinklerLevel(c.column, 0.92).configure(label_for_charts="spelt alike (JW ≥ 0.92)"),
        cll.JaroWinklerLevel(c.column, 0.85).configure(label_for_charts="similar (JW ≥ 0.85)"),
    ]
    return levels


def _two_of_three() -> str:
    parts = [(1, 4), (6, 2), (9, 2)]
    agree = " + ".join(
        f"CASE WHEN substr(dob_text_l, {a}, {n}) = substr(dob_text_r, {a}, {n}) THEN 1 ELSE 0 END"
        for a, n in parts
    )
    return f"dob_l IS NOT NULL AND dob_r IS NOT NULL AND ({agree}) >= 2"


def _date_of_birth(c: Comparison) -> list[Any]:
    estimated = "(dob_l IS NULL OR dob_r IS NULL)"
    return [
        _custom(
            f"{estimated} AND (birth_year_l IS NULL OR birth_year_r IS NULL)",
            "date of birth and age missing",
            null=True,
        ),
        _custom("dob_l = dob_r", "same date of birth"),
        _custom("dob_text_l = dob_swapped_r", "day and month swapped"),
        _custom(
            "dob_month_day_l = dob_month_day_r AND abs(dob_year_l - dob_year_r) = 1",
            "year off by one",
        ),
        _custom(_two_of_three(), "two of day, month, year agree"),
        # a wrong digit moves a date by days or a few years; relatives are born further apart
        _custom(
            "dob_l IS NOT NULL AND dob_r IS NOT NULL AND abs(dob_year_l - dob_year_r) <= 3",
            "born within 3 years",
        ),
        _custom(
            f"{estimated} AND abs(birth_year_l - birth_year_r) <= {c.years}",
            f"estimated ages agree (birth years within {c.years})",
        ),
    ]


def _postcode(c: Comparison) -> list[Any]:
    return [
        cll.NullLevel(c.column).configure(label_for_charts="postcode missing"),
        cll.ExactMatchLevel(c.column).configure(label_for_charts="same postcode"),
        cll.ExactMatchLevel(f"{c.column}_sector").configure(label_for_charts="same sector"),
        cll.ExactMatchLevel(f"{c.column}_district").configure(label_for_charts="same district"),
    ]


def _shared(c: Comparison) -> list[Any]:
    shared = SharedItemLevel(c.column)
    return [
        cll.NullLevel(c.column).configure(label_for_charts=f"{c.column} missing"),
        shared.configure(label_for_charts=f"share one of {c.column}"),
    ]


def _exact(c: Comparison) -> list[Any]:
    exact = cll.ExactMatchLevel(c.column).configure(label_for_charts=f"same {c.column}")
    if c.term_frequency:
        exact = exact.configure(tf_adjustment_column=c.column)
    return [cll.NullLevel(c.column).configure(label_for_charts=f"{c.column} missing"), exact]


_KINDS = {
    "name": _name,
    "date_of_birth": _date_of_birth,
    "postcode": _postcode,
    "shared_value": _shared,
    "exact": _exact,
}


def splink_comparison(c: Comparison) -> Any:
    """The Splink comparison of one configured comparison (levels end with 'anything else')."""
    levels = [*_KINDS[c.kind](c), cll.ElseLevel().configure(label_for_charts="different")]
    return cl.CustomComparison(
        comparison_levels=levels,
        output_column_name=c.name,
        comparison_description=f"{c.kind} comparison of {c.column or 'date of birth'}",
    )


def used_columns(c: Comparison) -> list[str]:
    """Prepared columns a comparison reads (to drop comparisons with no data at all)."""
    if c.kind == "date_of_birth":
        return ["dob", "birth_year"]
    return [c.column]
