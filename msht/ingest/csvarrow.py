"""The fast path for clean CSV files: Arrow's multi-threaded parser, every column as text.

It gives the same rows and row numbers as the careful reader in `readers.py`, or gives up
(returns None) so that the careful reader reports each bad row: a file with broken quoting,
a wrong column count, undecodable bytes, blank lines or repeated header names.
"""

from __future__ import annotations

import csv
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from msht.ingest.mapping import Mapping

#: The UTF-8 byte-order mark some exporters (Excel among them) write first.
UTF8_BOM = b"\xef\xbb\xbf"
#: Type of every column the fast path reads.
TEXT = pa.dictionary(pa.int32(), pa.string())
#: A carriage return not followed by a line feed: a line end to Python, so a line to number.
_LONE_CR = re.compile(rb"\r(?!\n)")
_UTF8 = frozenset({"auto", "utf-8", "utf8", "utf-8-sig", "utf_8"})


def _header(first_line: str, mapping: Mapping) -> list[str] | None:
    try:
        row = next(
            csv.reader(
                [first_line],
                delimiter=mapping.csv.delimiter,
                quotechar=mapping.csv.quotechar,
                strict=True,
            )
        )
    except (csv.Error, StopIteration):
        return None
    # One column or repeated names: the careful reader explains the problem.
    return row if len(row) > 1 and len(set(row)) == len(row) else None


def _stray_quote(data: bytes, start: int, mapping: Mapping) -> bool:
    """A quote neither opening nor closing a field nor doubled (Arrow would accept it quietly)."""
    d, q = re.escape(mapping.csv.delimiter.encode()), re.escape(mapping.csv.quotechar.encode())
    edge = rb"[^" + d + rb"\r\n" + q + rb"]"
    # The quote comes first so the regex engine can jump from quote to quote (25x faster).
    pattern = re.compile(q + rb"(?=" + edge + rb")(?<=" + edge + q + rb")")
    found = pattern.search(data, start)
    if found is not None and found.start() == start:
        # The look-behind saw the byte-order mark: a quote opening the file is not stray.
        found = pattern.search(data, start + 1)
    return found is not None


def read_csv_arrow(mapping: Mapping, data: bytes) -> tuple[list[str], pa.Table, list[int]] | None:
    """Header, text columns and each record's first line number; None if the file is not clean."""
    # The file is read in place (slicing off a byte-order mark would copy all of it).
    start = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    encoding = "utf8" if mapping.encoding.lower() in _UTF8 else mapping.encoding
    if start and encoding != "utf8":  # Arrow skips a UTF-8 byte-order mark only
        data, start = data[start:], 0
    end = data.find(b"\n", start)
    try:
        first = data[start:] if end < 0 else data[start:end]
        first_line = first.decode(encoding).rstrip("\r")
    except (UnicodeDecodeError, LookupError):
        return None
    header = _header(first_line, mapping)
    if header is None or end < 0 or _stray_quote(data, start, mapping):
        return None
    invalid: list[object] = []

    def skip(row: object) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            # Blocks of 16 MiB: fewer chunks, so fewer dictionaries to unify per column.
            read_options=pacsv.ReadOptions(
                encoding=encoding, use_threads=True, block_size=16 << 20
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=mapping.csv.delimiter,
                quote_char=mapping.csv.quotechar,
                newlines_in_values=True,
                invalid_row_handler=skip,
            ),
            convert_options=pacsv.ConvertOptions(
                # Text arrives dictionary-encoded, by the parser's threads: values repeat.
                column_types=dict.fromkeys(header, TEXT),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None
    if invalid:
        return None
    lines = data.count(b"\n", start) + (0 if data.endswith(b"\n") else 1)
    # One regex pass, not two counts (\r and \r\n) over the whole file.
    lone_cr = b"\r" in data and _LONE_CR.search(data) is not None
    if lines == table.num_rows + 1 and not lone_cr:
        # One line per record: no line break inside a field, no blank line, no lone \r.
        numbers = list(range(2, table.num_rows + 2))
    else:
        numbers = _first_lines(table)
        last = numbers[-1] + _newlines(table, table.num_rows - 1) if numbers else 1
        if last != lines:
            return None  # blank lines or lone-\r line ends: let the careful reader number them
    return [h.strip() for h in header], table.rename_columns([h.strip() for h in header]), numbers


def _extra_lines(table: pa.Table) -> pa.Array:
    """Line breaks inside each record's quoted fields."""
    extra = pa.array([0] * table.num_rows, pa.int64())
    for column in table.itercolumns():
        text = column.cast(pa.string())
        extra = pc.add(extra, pc.count_substring(text, "\n").cast(pa.int64()))
    return extra


def _newlines(table: pa.Table, i: int) -> int:
    value: int = _extra_lines(table.slice(i, 1))[0].as_py()
    return value


def _first_lines(table: pa.Table) -> list[int]:
    """Line number (header = 1) where each record starts."""
    if table.num_rows == 0:
        return []
    extra = _extra_lines(table)
    ends = pc.cumulative_sum(pc.add(extra, 1))  # lines used up to and including each record
    starts: list[int] = pc.subtract(pc.add(ends, 1), extra).to_pylist()
    return starts
