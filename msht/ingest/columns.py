"""Apply plans to a whole file at once, column by column.

Each distinct cell text of a column is normalised once (values repeat a lot: dates, codes,
postcodes), so the cost per row is a dictionary look-up. Rows with any problem are set aside
whole for the quarantine; the rest become Arrow tables with their provenance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from msht.errors import ValueProblem
from msht.ingest.plan import EntityPlan, Problem, PropertyPlan
from msht.ingest.transforms import Value

Cell = Value | list[Value] | Problem | None


def _encodable(text: str) -> bool:
    """False when the text holds undecodable bytes (kept by the reader as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def convert_text(plan: PropertyPlan, text: str) -> Value | Problem | None:
    """One non-empty cell text → its value, or the Problem that stops the row."""
    if len(text) > plan.limit:
        return Problem(plan.label, "over_long_field", f"{len(text)} characters, limit {plan.limit}")
    if not text.isascii() and not _encodable(text):
        return Problem(plan.label, "undecodable_bytes", "bytes not valid in the file's encoding")
    try:
        return plan.convert(text)
    except ValueProblem as exc:
        return None if plan.on_error == "null" else Problem(plan.label, exc.reason, exc.message)


def _convert_cell(plan: PropertyPlan, text: str, nulls: frozenset[str]) -> Cell:
    if text in nulls:
        return None
    if plan.split is None:
        return convert_text(plan, text)
    values: list[Value] = []
    for part in text.split(plan.split):
        part = part.strip()
        if part in nulls:
            continue
        value = convert_text(plan, part)
        if isinstance(value, Problem):
            return value
        if value is not None:
            values.append(value)
    return values


class Columns:
    """The stripped text of each column of a file, computed once on first use."""

    def __init__(self, header: list[str], rows: list[list[str]]) -> None:
        self._index = {name: i for i, name in enumerate(header)}
        self._rows = rows
        self._cache: dict[str, list[str]] = {}
        self.n = len(rows)

    def __getitem__(self, name: str) -> list[str]:
        if name not in self._cache:
            i = self._index.get(name)
            self._cache[name] = (
                [r[i].strip() for r in self._rows] if i is not None else [""] * self.n
            )
        return self._cache[name]

    def text(self, plan: PropertyPlan) -> list[str]:
        """The text a property reads: one column, several joined by a space, or a constant."""
        if plan.constant is not None:
            return [plan.constant] * self.n
        if len(plan.columns) == 1:
            return self[plan.columns[0]]
        parts = [self[c] for c in plan.columns]
        return [" ".join(p for p in cells if p) for cells in zip(*parts, strict=True)]


def produced_mask(cols: Columns, ent: EntityPlan, nulls: frozenset[str]) -> list[bool]:
    """Rows that produce the entity: always, or when any `when` column has a value."""
    if not ent.when:
        return [True] * cols.n
    when = [cols[c] for c in ent.when]
    return [any(v not in nulls for v in cells) for cells in zip(*when, strict=True)]


def convert_property(
    cols: Columns,
    plan: PropertyPlan,
    produced: list[bool],
    nulls: frozenset[str],
    problems: defaultdict[int, list[Problem]],
) -> list[Cell]:
    """Values of one property for every row; problems are filed by row index."""
    texts = cols.text(plan)
    cache: dict[str, Cell] = {t: _convert_cell(plan, t, nulls) for t in set(texts)}
    values = [cache[t] for t in texts]
    bad = {t for t, v in cache.items() if isinstance(v, Problem)}
    if bad:
        for i, t in enumerate(texts):
            if t in bad and produced[i]:
                problem = cache[t]
                assert isinstance(problem, Problem)
                problems[i].append(problem)
    if plan.required and any(t in nulls for t in cache):
        missing = Problem(plan.label, "missing_required_field", "no value")
        for i, t in enumerate(texts):
            if produced[i] and t in nulls:
                problems[i].append(missing)
    return values


def take(values: list[Any], rows: list[int]) -> list[Any]:
    """The values at the given row indexes."""
    return [values[i] for i in rows]


ColumnMaker = Callable[[list[int]], dict[str, list[Any]]]


def build(schema: pa.Schema, columns: dict[str, list[Any]]) -> pa.Table:
    """A typed Arrow table from column lists (columns absent from `columns` are null)."""
    n = len(next(iter(columns.values()))) if columns else 0
    arrays = [
        pa.array(columns[f.name], type=f.type) if f.name in columns else pa.nulls(n, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
