from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from msht.synth.writers.xlsx import XlsxOut


def _write(path: Path) -> None:
    out = XlsxOut(path, "Log", ["Text", "Day", "Count"])
    out.write(["=SUM(A1:A9)", dt.date(2025, 5, 3), 2])
    out.write(['- worker states <x> & "y"\nsecond line', None, ""])
    out.write([" leading space", dt.date(1999, 12, 31), 0])
    out.close()


def test_round_trip_keeps_text_dates_and_numbers(tmp_path: Path) -> None:
    _write(tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book["Log"]
    assert [c.value for c in sheet[1]] == ["Text", "Day", "Count"]
    assert sheet["A2"].value == "=SUM(A1:A9)" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == dt.datetime(2025, 5, 3) and sheet["C2"].value == 2
    assert sheet["A3"].value == '- worker states <x> & "y"\nsecond line'
    assert sheet["B3"].value is None
    assert sheet["A4"].value == " leading space" and sheet["C4"].value == 0


def test_same_rows_give_the_same_bytes(tmp_path: Path) -> None:
    _write(tmp_path / "a.xlsx")
    _write(tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
