"""Apply plans to a whole file at once, column by column, on Arrow arrays.

Columns are dictionary-encoded: each distinct cell text is normalised once (values repeat
a lot: dates, codes, postcodes), by an Arrow fast path where the text has the commonest
shape and by the Python normaliser otherwise, and rows only carry indices into the results,
so per-row work runs in C. Rows with any problem are set aside whole for the quarantine.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from msht.errors import ValueProblem
from msht.ingest.plan import Problem, PropertyPlan
from msht.ingest.readers import Batch
from msht.ingest.transforms import Value

Cell = Value | list[Value] | Problem | None
#: Runs of whitespace (RE2 syntax), collapsed to one space by the `string` transform.
WHITESPACE_RUNS = r"[\s\pZ\x{0b}\x{1c}-\x{1f}\x{85}]+"
Problems = defaultdict[int, list[Problem]]


def _encodable(text: str) -> bool:
    """False when the text holds undecodable bytes (kept by the reader as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    """Show undecodable bytes as \\xNN escapes, so the text is kept and storable."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def convert_text(plan: PropertyPlan, text: str) -> Value | Problem | None:
    """One non-empty cell text → its value, or the Problem that stops the row."""
    if len(text) > plan.limit:
        return Problem(plan.label, "over_long_field", f"{len(text)} characters, limit {plan.limit}")
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


@dataclass(frozen=True)
class Converted:
    """One property's values for every row, the problems by row, and where it was empty."""

    values: pa.Array
    problems: dict[int, Problem]
    empty: pa.BooleanArray


def dictionary(values: pa.Array, indices: pa.Array) -> pa.DictionaryArray:
    """Rows as indices into distinct values: taking rows then moves integers, not text."""
    return pa.DictionaryArray.from_arrays(indices, values)


def constant_text(text: str, n: int) -> pa.DictionaryArray:
    """The same text in each of `n` rows, stored once."""
    return dictionary(pa.array([text], pa.string()), pa.repeat(pa.scalar(0, pa.int32()), n))


def unique_texts(texts: pa.Array) -> pa.DictionaryArray:
    """Dictionary-encode text whose values may repeat (after trimming, say)."""
    if isinstance(texts, pa.DictionaryArray):
        unique = pc.unique(texts.dictionary)
        if len(unique) == len(texts.dictionary):
            return texts
        remap = pc.index_in(texts.dictionary, value_set=unique)
        return dictionary(unique, remap.take(texts.indices))
    encoded: pa.DictionaryArray = pc.dictionary_encode(texts)
    return encoded


def _expand(values: pa.Array, rows: pa.Array) -> pa.Array:
    """One value per row from the values of the distinct texts; nulls as null indices."""
    if not pa.types.is_string(values.type):
        return values.take(rows)
    valid = pc.is_valid(values).take(rows)
    # Parquet cannot write a null inside a dictionary: the null rows point nowhere instead.
    filled = pc.fill_null(values, "")
    return dictionary(filled, pc.if_else(valid, rows, pa.scalar(None, rows.type)))


class Columns:
    """The stripped text of each column of a file, dictionary-encoded once on first use.

    Each column is held as distinct texts plus one index per row, so trimming, null tests
    and normalisation run once per distinct text, and taking rows moves only integers.
    """

    def __init__(self, batch: Batch, nulls: frozenset[str]) -> None:
        self._index = {name: i for i, name in enumerate(batch.header)}
        self._rows = batch.rows
        self._table = batch.table
        self._transposed: list[tuple[str, ...]] | None = None
        self._cache: dict[str, pa.DictionaryArray] = {}
        self.n = batch.n
        self.nulls = nulls
        self.null_set = pa.array(sorted(nulls), pa.string())
        #: Rows whose cell in a column held undecodable bytes, by column.
        self.undecodable: dict[str, list[int]] = {}
        #: Converted columns by plan key, shared by entities that read the same columns.
        self.converted: dict[str, Converted] = {}

    def _column(self, i: int) -> tuple[str, ...]:
        if self._transposed is None:
            self._transposed = list(zip(*self._rows, strict=True)) if self._rows else []
        return self._transposed[i] if self._transposed else ()

    def __getitem__(self, name: str) -> pa.DictionaryArray:
        if name not in self._cache:
            i = self._index.get(name)
            if i is None:
                raw = constant_text("", self.n)
            elif self._table is not None:
                column = self._table.column(i).combine_chunks()
                encoded = pa.types.is_dictionary(column.type)
                raw = column if encoded else pc.dictionary_encode(column)
            else:
                raw = pc.dictionary_encode(self._arrow(name, self._column(i)))
            stripped = pc.utf8_trim_whitespace(raw.dictionary)
            if len(stripped) == 0 or pc.all(pc.equal(stripped, raw.dictionary)).as_py():
                self._cache[name] = raw  # nothing to trim: the texts are distinct already
            else:  # trimming may make two texts one ("A1" and "A1 ")
                self._cache[name] = unique_texts(dictionary(stripped, raw.indices))
        return self._cache[name]

    def _arrow(self, name: str, cells: tuple[str, ...]) -> pa.Array:
        try:
            return pa.array(cells, pa.string())
        except ValueError:  # lone surrogates: bytes the file's encoding could not decode
            bad = [i for i, c in enumerate(cells) if not c.isascii() and not _encodable(c)]
            self.undecodable[name] = bad
            fixed = list(cells)
            for i in bad:
                fixed[i] = printable(fixed[i])
            return pa.array(fixed, pa.string())

    def text(self, plan: PropertyPlan) -> pa.DictionaryArray:
        """The text a property reads: one column, several joined by a space, or a constant."""
        if plan.constant is not None:
            return constant_text(plan.constant, self.n)
        if len(plan.columns) == 1:
            return self[plan.columns[0]]
        parts = [
            pc.if_else(self.is_null(self[c]), "", self[c].cast(pa.string())) for c in plan.columns
        ]
        joined = pc.binary_join_element_wise(*parts, " ")
        tidy = pc.utf8_trim_whitespace(pc.replace_substring_regex(joined, "  +", " "))
        return unique_texts(tidy)

    def is_null(self, texts: pa.DictionaryArray) -> pa.BooleanArray:
        """Where the text means "no value"."""
        return pc.is_in(texts.dictionary, value_set=self.null_set).take(texts.indices)

    def produced(self, when: tuple[str, ...]) -> pa.BooleanArray:
        """Rows that produce an entity: always, or when any `when` column has a value."""
        mask = pa.repeat(True, self.n)
        if when:
            present = [pc.invert(self.is_null(self[c])) for c in when]
            mask = present[0]
            for other in present[1:]:
                mask = pc.or_(mask, other)
        return mask

    def convert(self, plan: PropertyPlan) -> Converted:
        """A property's values for every row (shared between plans with the same key)."""
        if plan.key not in self.converted:
            self.converted[plan.key] = self._convert(plan)
        return self.converted[plan.key]

    def _convert(self, plan: PropertyPlan) -> Converted:
        texts = self.text(plan)
        distinct, rows = texts.dictionary, texts.indices
        blank = pc.is_in(distinct, value_set=self.null_set)
        problems: dict[int, Problem] = {}
        for column in plan.columns:
            for i in self.undecodable.get(column, ()):
                problems[i] = Problem(
                    plan.label, "undecodable_bytes", "bytes not valid in the file's encoding"
                )
        if plan.vectorised is not None:
            # Free text, references: Arrow kernels over the distinct texts.
            if plan.vectorised == "string":
                distinct = pc.replace_substring_regex(distinct, WHITESPACE_RUNS, " ")
            too_long = pc.greater(pc.utf8_length(distinct), plan.limit)
            over = Problem(plan.label, "over_long_field", f"limit {plan.limit}")
            self._file(problems, rows, too_long, over)
            values = pc.if_else(blank, pa.scalar(None, pa.string()), distinct)
            return Converted(_expand(values, rows), problems, blank.take(rows))
        fast = plan.fast(distinct) if plan.fast is not None else None
        handled = None
        if fast is not None:
            # Not a null token ("None" looks like a name) and not too long: Python says why.
            within = pc.less_equal(pc.utf8_length(distinct), plan.limit)
            handled = pc.and_(pc.and_(pc.is_valid(fast), within), pc.invert(blank))
        todo = (
            pa.array(range(len(distinct)), pa.int64())
            if handled is None
            else pc.indices_nonzero(pc.invert(handled))
        )
        cells = [_convert_cell(plan, t, self.nulls) for t in distinct.take(todo).to_pylist()]
        bad = {j: c for j, c in zip(todo.to_pylist(), cells, strict=True) if isinstance(c, Problem)}
        typed = pa.array([None if isinstance(c, Problem) else c for c in cells], plan.arrow_type)
        if handled is not None:
            # Each distinct text's place among those Python converted (null: handled fast).
            place = pc.subtract(pc.cumulative_sum(pc.invert(handled).cast(pa.int64())), 1)
            place = pc.if_else(handled, pa.scalar(None, pa.int64()), place)
            typed = pc.if_else(handled, fast, typed.take(place))
        self._file_cells(problems, rows, bad)
        return Converted(_expand(typed, rows), problems, blank.take(rows))

    @staticmethod
    def _file_cells(problems: dict[int, Problem], rows: pa.Array, bad: dict[int, Problem]) -> None:
        """File each row whose distinct text (by index) gave a Problem."""
        if bad:
            at = pc.indices_nonzero(pc.is_in(rows, value_set=pa.array(list(bad), rows.type)))
            for i, j in zip(at.to_pylist(), rows.take(at).to_pylist(), strict=True):
                problems.setdefault(i, bad[j])

    @staticmethod
    def _file(
        problems: dict[int, Problem], rows: pa.Array, hit: pa.BooleanArray, problem: Problem
    ) -> None:
        """File `problem` for every row whose distinct text is marked in `hit`."""
        marked = pc.indices_nonzero(hit)
        if len(marked):
            at = pc.indices_nonzero(pc.is_in(rows, value_set=marked.cast(rows.type)))
            for i in at.to_pylist():
                problems.setdefault(i, problem)


def file_problems(
    cols: Columns, plan: PropertyPlan, produced: pa.BooleanArray, problems: Problems
) -> pa.Array:
    """Convert one property; file its problems (and missing required values) by row."""
    conv = cols.convert(plan)
    if conv.problems:
        made = produced.to_pylist()
        for i, problem in conv.problems.items():
            if made[i]:
                problems[i].append(problem)
    if plan.required:
        missing = Problem(plan.label, "missing_required_field", "no value")
        for i in pc.indices_nonzero(pc.and_(produced, conv.empty)).to_pylist():
            problems[i].append(missing)
    return conv.values


def _nulls(data_type: pa.DataType, n: int) -> pa.Array:
    if pa.types.is_string(data_type):  # the same type as the text columns beside it
        return dictionary(pa.array([], pa.string()), pa.nulls(n, pa.int32()))
    return pa.nulls(n, data_type)


def build(schema: pa.Schema, columns: dict[str, pa.Array], n: int) -> pa.Table:
    """A table in `schema`'s columns (absent ones null); text may stay dictionary-encoded."""
    arrays = []
    for f in schema:
        array = columns[f.name] if f.name in columns else _nulls(f.type, n)
        encoded = pa.types.is_dictionary(array.type) and array.type.value_type == f.type
        arrays.append(array if encoded else array.cast(f.type))
    return pa.Table.from_arrays(arrays, names=schema.names)
