"""The few SQL snippets that differ between engines, so core code can write its SQL once.

Stage SQL is written in msht's dialect (DuckDB's) and the Spark engine transpiles it with
sqlglot. Transpiling works for most SQL, but a few functions are left untranslated or change
meaning without an error (`msht.engine.translate` lists them). For those, core code
asks the engine's dialect for a snippet and embeds it in its SQL:

    engine.sql_dialect.parse_date_sql("raw.dob_text", "%d/%m/%Y")

A snippet is itself msht SQL: the Spark one only adds Spark functions that sqlglot passes
through unchanged. Golden-result tests run every snippet on both engines.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import ClassVar

#: strftime directives parse_date_sql understands: (regular expression, Java pattern), with
#: one or two digits for day and month unless another directive follows or precedes directly.
_DIRECTIVES: dict[str, tuple[str, str]] = {
    "%Y": ("[1-9][0-9]{3}", "yyyy"),  # four digits, years 1000-9999 on both engines
    "%m": ("[0-9]{1,2}", "M"),
    "%d": ("[0-9]{1,2}", "d"),
}
_FIXED: dict[str, tuple[str, str]] = {"%m": ("[0-9]{2}", "MM"), "%d": ("[0-9]{2}", "dd")}
#: Literal characters allowed between directives (safe in SQL, regular expressions and Java).
_SEPARATORS = frozenset("/-. :")
_TOKEN = re.compile(r"%.|.", re.DOTALL)


def _date_format(fmt: str) -> tuple[str, str]:
    """The anchored regular expression a date in `fmt` must match, and the Java pattern."""
    tokens = _TOKEN.findall(fmt)
    if not any(t in _DIRECTIVES for t in tokens):
        raise ValueError(f"date format {fmt!r} has no %Y, %m or %d")
    regex, java = ["^"], []
    for i, token in enumerate(tokens):
        if token in _DIRECTIVES:
            adjacent = {tokens[j] for j in (i - 1, i + 1) if 0 <= j < len(tokens)}
            part = _FIXED.get(token) if adjacent & _DIRECTIVES.keys() else None
            pattern, letters = part or _DIRECTIVES[token]
            regex.append(pattern)
            java.append(letters)
        elif token in _SEPARATORS:
            regex.append(f"[{token}]")
            java.append(token)
        else:
            known = ", ".join([*_DIRECTIVES, *(repr(s) for s in sorted(_SEPARATORS))])
            raise ValueError(f"date format {fmt!r}: {token!r} is not supported; use {known}")
    return "".join(regex) + "$", "".join(java)


class SqlDialect(ABC):
    """SQL snippets for one engine; every public method returns msht SQL for that engine."""

    #: sqlglot name of the engine's dialect.
    name: ClassVar[str]

    def parse_date_sql(self, expr: str, fmt: str) -> str:
        """A DATE from text `expr` written in strftime `fmt` (%Y, %m, %d); NULL if it is not one.

        Both engines would accept different near-misses (DuckDB: spaces around the text or a
        two-digit year for %Y; Spark: neither), so the text must first match the format's
        exact shape; then impossible dates such as 31/02/2020 are NULL on both.
        """
        regex, _ = _date_format(fmt)
        return f"(CASE WHEN regexp_matches({expr}, '{regex}') THEN {self._try_date(expr, fmt)} END)"

    def age_in_years_sql(self, dob: str, on: str) -> str:
        """Whole years from date `dob` to date `on` (BIGINT): the age on that day.

        Counted from the calendar, not as days / 365.25 (which is a day out around birthdays)
        nor with date_diff('year') (DuckDB counts year boundaries, Spark full years). Someone
        born on 29 February becomes a year older on 1 March in common years, as in UK law.
        """
        before_birthday = (
            f"CASE WHEN month({on}) * 100 + day({on}) < month({dob}) * 100 + day({dob}) "
            "THEN 1 ELSE 0 END"
        )
        return f"CAST(year({on}) - year({dob}) - {before_birthday} AS BIGINT)"

    @abstractmethod
    def _try_date(self, expr: str, fmt: str) -> str:
        """The engine's parse of `expr` in `fmt` to a DATE, NULL when it fails."""

    @abstractmethod
    def shares_item_sql(self, left: str, right: str) -> str:
        """Whether lists `left` and `right` share an item: a test, not an intersection
        (building the intersection only to count it took seconds at a million records)."""


class DuckDBDialect(SqlDialect):
    """DuckDB: strftime formats as they are."""

    name: ClassVar[str] = "duckdb"

    def _try_date(self, expr: str, fmt: str) -> str:
        return f"CAST(try_strptime({expr}, '{fmt}') AS DATE)"

    def shares_item_sql(self, left: str, right: str) -> str:
        """DuckDB's list_has_any."""
        return f"list_has_any({left}, {right})"


class SparkDialect(SqlDialect):
    """Spark: Java date patterns, and try_to_date (which sqlglot passes through unchanged)."""

    name: ClassVar[str] = "spark"

    def _try_date(self, expr: str, fmt: str) -> str:
        return f"try_to_date({expr}, '{_date_format(fmt)[1]}')"

    def shares_item_sql(self, left: str, right: str) -> str:
        """Spark's arrays_overlap."""
        return f"arrays_overlap({left}, {right})"


DIALECTS: dict[str, SqlDialect] = {d.name: d for d in (DuckDBDialect(), SparkDialect())}


def dialect_for(name: str) -> SqlDialect:
    """The SQL dialect of an engine, by its sqlglot name."""
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"no SQL dialect {name!r}; known: {', '.join(DIALECTS)}") from None


def text_literal(value: str) -> str:
    """`value` as an SQL string literal, quotes doubled (the translator re-escapes it for
    Spark)."""
    return "'" + value.replace("'", "''") + "'"


def text_list(values: Iterable[str]) -> str:
    """Comma-separated SQL string literals of `values`, sorted, for `IN (…)`; `NULL` (which
    matches nothing) when there are none."""
    return ", ".join(text_literal(v) for v in sorted(values)) or "NULL"
