"""Both XLSX readers (fastexcel, and openpyxl for workbooks with formulas) give the same text."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from msht.ingest.mapping import Mapping
from msht.ingest.readers import Batch, read_file
from msht.ingest.xlsx import has_formulas

ROWS: list[list[object]] = [
    [None] * 8,  # the sheet starts with a blank row: every row number counts it
    ["Ref", "Born", "Seen", "Flag", "Count", "Ratio", "Phone", " Note "],
    ["A1", dt.date(1990, 2, 1), dt.datetime(2024, 5, 6, 7, 8, 9), True, 3, 1.5, 7700900123, "x"],
    [None] * 8,  # a blank row: skipped, but the rows after it keep their sheet numbers
    ["A2", dt.datetime(2001, 1, 1), None, False, -2, 0.1, "07700 900123", "  spaced  "],
    # A text cell that reads as a midnight timestamp is taken as the date, by both readers.
    ["A3", "2020-01-02 00:00:00", "", None, 1e20, 2.0, None, None, "stray"],
    ["A4", None, None, None, None, None, None, "last"],
    # A time alone, a number too small for plain notation, negative zero, milliseconds.
    ["A5", dt.time(14, 5), dt.datetime(2024, 5, 6, 7, 8, 9, 120000), None, -0.0, 1e-7, None, "t"],
]


def _workbook(path: Path, formula_sheet: bool) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in ROWS:
        sheet.append(row)
    if formula_sheet:  # any formula in the workbook sends it to openpyxl
        book.create_sheet("sums").append(["=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _mapping() -> Mapping:
    return Mapping.model_validate(
        {
            "source": "s",
            "files": "*.xlsx",
            "format": "xlsx",
            "record_id": "Ref",
            "entities": {"p": {"type": "Person", "properties": {"surname": {"column": "Note"}}}},
        }
    )


def _texts(batch: Batch) -> list[list[str]]:
    if batch.table is not None:
        return [list(r.values()) for r in batch.table.to_pylist()]
    return batch.rows


@pytest.fixture
def both(tmp_path: Path) -> tuple[Batch, Batch]:
    fast = _workbook(tmp_path / "fast.xlsx", formula_sheet=False)
    careful = _workbook(tmp_path / "careful.xlsx", formula_sheet=True)
    assert not has_formulas(fast) and has_formulas(careful)
    return read_file(_mapping(), fast), read_file(_mapping(), careful)


def test_fast_and_careful_readers_agree(both: tuple[Batch, Batch]) -> None:
    fast, careful = both
    assert fast.table is not None and careful.table is None
    assert fast.header == careful.header == [c.strip() for c in ROWS[1]]  # type: ignore[union-attr]
    assert fast.numbers == careful.numbers == [3, 5, 7, 8]
    assert _texts(fast) == _texts(careful)
    assert [(b.row, b.reason, b.raw) for b in fast.bad] == [
        (b.row, b.reason, b.raw) for b in careful.bad
    ]


def test_cell_texts(both: tuple[Batch, Batch]) -> None:
    fast, _ = both
    first, second, last, times = _texts(fast)
    assert first == [
        "A1",
        "1990-02-01",
        "2024-05-06 07:08:09",
        "true",
        "3",
        "1.5",
        "7700900123",
        "x",
    ]
    assert second[1:6] == ["2001-01-01", "", "false", "-2", "0.1"]
    assert second[7] == "  spaced  "  # kept as written; ingest trims
    assert last == ["A4", "", "", "", "", "", "", "last"]
    assert times[1:6] == ["14:05:00", "2024-05-06 07:08:09.120", "", "0", "0.0000001"]
    (bad,) = fast.bad
    assert (bad.row, bad.reason) == (6, "wrong_column_count")
    assert bad.raw.split("\t")[1::7] == ["2020-01-02", "stray"]


@pytest.mark.parametrize("element", [b"<f>1+1</f>", b'<f t="shared" si="0"/>'])
@pytest.mark.parametrize("at", [0, (1 << 20) - 2, 1 << 20])
def test_a_formula_is_found_anywhere_in_a_sheet(tmp_path: Path, element: bytes, at: int) -> None:
    """Also across the boundary of the 1 MiB chunks the sheet is read in."""
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/worksheets/sheet1.xml", b" " * at + element)
        book.writestr("xl/worksheets/sheet2.xml", b"<c><v>1</v></c><font/><fx>")
    assert has_formulas(path)
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/worksheets/sheet1.xml", b" " * at + b"<c><v>1</v></c><font/><fx>")
    assert not has_formulas(path)
