"""Read source files into rows of text, reporting unreadable rows instead of dropping them.

`read_file` returns a `Batch`: the header, the readable rows (with the row number a person
would find them at in the file) and the `BadRow`s that could not be read (row number,
reason, detail, raw text). A problem with the whole file (not the declared format, a
repeated column name) raises SourceError.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from msht.errors import SourceError
from msht.ingest.csvarrow import UTF8_BOM, read_csv_arrow
from msht.ingest.mapping import Mapping
from msht.ingest.xlsx import cell_text, read_sheet


@dataclass(frozen=True)
class RawRow:
    """One readable row: its row number and its fields, aligned with the header."""

    row: int
    fields: list[str]


@dataclass
class Batch:
    """A whole file read: header, rows of fields aligned with it, row numbers, bad rows."""

    header: list[str]
    rows: list[list[str]]
    numbers: list[int]
    bad: list[BadRow]
    table: pa.Table | None = None  # set instead of `rows` when Arrow parsed the file

    @property
    def n(self) -> int:
        """Number of readable rows."""
        return self.table.num_rows if self.table is not None else len(self.rows)

    def row_texts(self, rows: list[int]) -> list[dict[str, str]]:
        """Rows (in ascending order) as column → text, for the quarantine's copy of bad rows."""
        if self.table is None:
            return [dict(zip(self.header, self.rows[i], strict=False)) for i in rows]
        # Batch by batch: taking rows across many dictionary-encoded chunks would first
        # unify every chunk's dictionary.
        out: list[dict[str, str]] = []
        start, todo = 0, list(rows)
        for batch in self.table.to_batches():
            end = start + batch.num_rows
            here = [i - start for i in todo if start <= i < end]
            if here:
                out.extend(batch.take(pa.array(here, pa.int64())).to_pylist())
            start = end
        return out


@dataclass(frozen=True)
class BadRow:
    """One row that could not be read at all."""

    row: int
    reason: str
    detail: str
    raw: str


def decode(data: bytes, encoding: str) -> tuple[str, str]:
    """Decode file bytes; undecodable bytes become lone surrogates so rows can be quarantined.

    With `encoding="auto"`: UTF-8 (with or without BOM) if the bytes are UTF-8 — or mostly
    UTF-8, judged by the presence of valid multi-byte sequences — else cp1252.
    """
    if encoding != "auto":
        return data.decode(encoding, errors="surrogateescape"), encoding
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8", errors="surrogateescape"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", errors="surrogateescape")
    if any(ord(c) > 0x7F and not 0xDC80 <= ord(c) <= 0xDCFF for c in as_utf8):
        return as_utf8, "utf-8"
    return data.decode("cp1252", errors="surrogateescape"), "cp1252"


def read_csv(mapping: Mapping, path: Path) -> Batch:
    """Header and rows of a CSV file; broken quoting and wrong column counts are bad rows."""
    data = path.read_bytes()
    fast = read_csv_arrow(mapping, data)
    if fast is not None:
        header, table, numbers = fast
        return Batch(header, [], numbers, [], table)
    text, _ = decode(data, mapping.encoding)
    # Only \n, \r and \r\n end a line: free text may hold other Unicode line separators.
    lines = io.StringIO(text, newline="").readlines()
    if not lines:
        raise SourceError(mapping.source, str(path), "file is empty (no header row)")
    opts: dict[str, Any] = {"delimiter": mapping.csv.delimiter, "quotechar": mapping.csv.quotechar}
    try:
        header = [h.strip() for h in next(csv.reader([lines[0]], strict=True, **opts))]
    except csv.Error as exc:
        raise SourceError(mapping.source, str(path), f"unreadable header row: {exc}") from exc
    _check_unique(mapping, path, header)
    if len(header) < 2 and mapping.csv.delimiter not in lines[0]:
        raise SourceError(
            mapping.source,
            str(path),
            f"header has one column; is the delimiter {mapping.csv.delimiter!r} right?",
        )
    return _collect(header, _csv_rows(lines, header, opts))


def _collect(header: list[str], items: Iterable[RawRow | BadRow]) -> Batch:
    batch = Batch(header, [], [], [])
    for item in items:
        if isinstance(item, BadRow):
            batch.bad.append(item)
        else:
            batch.numbers.append(item.row)
            batch.rows.append(item.fields)
    return batch


def _check_unique(mapping: Mapping, path: Path, header: list[str]) -> None:
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise SourceError(
            mapping.source, str(path), "column name repeated in the header", ", ".join(repeated)
        )


def _csv_rows(
    lines: list[str], header: list[str], opts: dict[str, Any]
) -> Iterator[RawRow | BadRow]:
    start = 1  # index of the next line to parse (0 is the header)
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), strict=True, **opts)
        consumed = 0
        restart: int | None = None
        while True:
            first = start + consumed  # 0-based index of the record's first line
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield BadRow(first + 1, "broken_quoting", str(exc), lines[first].rstrip("\r\n"))
                if reader.line_num - consumed > 1:
                    # The bad quote swallowed the lines after it: re-read them on their own.
                    restart = first + 1
                    break
                consumed = reader.line_num
                continue
            span = reader.line_num - consumed
            consumed = reader.line_num
            if not fields or fields == [""]:
                continue
            if len(fields) != len(header) and span > 1:
                # A quote left open swallowed the lines after it: report its line, re-read them.
                detail = f"quoted field runs over {span} lines into a record of the wrong width"
                yield BadRow(first + 1, "broken_quoting", detail, lines[first].rstrip("\r\n"))
                restart = first + 1
                break
            if len(fields) != len(header):
                yield BadRow(
                    first + 1,
                    "wrong_column_count",
                    f"{len(fields)} fields, header has {len(header)}",
                    "".join(lines[first : start + consumed]).rstrip("\r\n"),
                )
                continue
            yield RawRow(first + 1, fields)
        if restart is None:
            return
        start = restart


def read_xlsx(mapping: Mapping, path: Path) -> Batch:
    """Header and rows of a worksheet; formulas are kept as their text, never evaluated."""
    sheet = read_sheet(mapping.source, path, mapping.sheet)
    if not sheet.header:
        raise SourceError(mapping.source, str(path), "sheet is empty (no header row)")
    header = [h.strip() for h in sheet.header]
    while header and not header[-1]:
        header.pop()  # formatted but empty columns at the right
    _check_unique(mapping, path, header)
    width = len(header)
    if sheet.table is None:
        assert sheet.rows is not None
        return _collect(header, _sheet_rows(sheet.rows, width))
    assert sheet.numbers is not None
    table, numbers = sheet.table, sheet.numbers
    bad: list[BadRow] = []
    if table.num_columns > width:
        extra = [pc.not_equal(c, "") for c in table.columns[width:]]
        over = extra[0]
        for other in extra[1:]:
            over = pc.or_(over, other)
        for i in pc.indices_nonzero(over).to_pylist():
            cells = list(table.slice(i, 1).to_pylist()[0].values())
            while cells and not cells[-1]:
                cells.pop()
            detail = f"{len(cells)} cells, header has {width}"
            bad.append(BadRow(numbers[i], "wrong_column_count", detail, "\t".join(cells)))
        table = table.filter(pc.invert(over))
        numbers = [n for n, o in zip(numbers, over.to_pylist(), strict=True) if not o]
    columns = table.columns[:width]
    columns += [pa.array([""] * table.num_rows, pa.string())] * (width - len(columns))
    return Batch(header, [], numbers, bad, pa.Table.from_arrays(columns, names=header))


def _sheet_rows(rows: Iterator[tuple[int, list[str]]], width: int) -> Iterator[RawRow | BadRow]:
    for number, cells in rows:
        if any(cells[width:]):
            detail = f"{len(cells)} cells, header has {width}"
            yield BadRow(number, "wrong_column_count", detail, "\t".join(cells))
        else:
            yield RawRow(number, (cells + [""] * (width - len(cells)))[:width])


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            flat[name] = ";".join(cell_text(v) for v in value if not isinstance(v, dict | list))
        elif isinstance(value, bool):
            flat[name] = "true" if value else "false"
        else:
            flat[name] = cell_text(value)
    return flat


def read_json(mapping: Mapping, path: Path) -> tuple[list[str], Iterator[RawRow | BadRow]]:
    """Records of a JSON document (a list, or a list under `json_records`)."""
    text, _ = decode(path.read_bytes(), mapping.encoding)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(mapping.source, str(path), f"not valid JSON: {exc}") from exc
    records = (
        doc.get(mapping.json_records) if mapping.json_records and isinstance(doc, dict) else doc
    )
    if not isinstance(records, list):
        where = f"key {mapping.json_records!r}" if mapping.json_records else "the top level"
        raise SourceError(mapping.source, str(path), f"expected a list of records at {where}")
    flat = [_flatten(r) if isinstance(r, dict) else None for r in records]
    header = sorted({k for r in flat if r for k in r})

    def gen() -> Iterator[RawRow | BadRow]:
        for number, rec in enumerate(flat, start=1):
            if rec is None:
                yield BadRow(
                    number, "wrong_type", "record is not a JSON object", repr(records[number - 1])
                )
            else:
                yield RawRow(number, [rec.get(h, "") for h in header])

    return header, gen()


def read_jsonl(mapping: Mapping, path: Path) -> tuple[list[str], Iterator[RawRow | BadRow]]:
    """Records of a JSON-lines file; a line that is not a JSON object is a bad row."""
    text, _ = decode(path.read_bytes(), mapping.encoding)
    rows: list[tuple[int, dict[str, str]] | BadRow] = []
    keys: set[str] = set()
    # Only \n ends a record: JSON strings may hold other Unicode line separators.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append(BadRow(number, "invalid_json", str(exc), line))
            continue
        if not isinstance(rec, dict):
            rows.append(BadRow(number, "invalid_json", "line is not a JSON object", line))
            continue
        flat = _flatten(rec)
        keys.update(flat)
        rows.append((number, flat))
    header = sorted(keys)
    return header, (
        r if isinstance(r, BadRow) else RawRow(r[0], [r[1].get(h, "") for h in header])
        for r in rows
    )


READERS = {"json": read_json, "jsonl": read_jsonl}


def read_file(mapping: Mapping, path: Path) -> Batch:
    """Read one whole file of a source with the reader its format names."""
    try:
        if mapping.format == "csv":
            return read_csv(mapping, path)
        if mapping.format == "xlsx":
            return read_xlsx(mapping, path)
        return _collect(*READERS[mapping.format](mapping, path))
    except OSError as exc:
        raise SourceError(mapping.source, str(path), f"cannot read file: {exc}") from exc
