"""Entity and link lists as CSV and XLSX, safe to open in a spreadsheet.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run
as a formula by Excel or LibreOffice (CSV injection, OWASP): such text gets a leading `'`,
which spreadsheets show as plain text.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from openpyxl import Workbook

from msht.exports.selection import Selection
from msht.exports.watermark import Watermark

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

NODE_COLUMNS = ["entity_id", "entity_type", "label", "records", "sources"]
EDGE_COLUMNS = [
    "from_entity",
    "from_type",
    "role",
    "to_entity",
    "to_type",
    "first_date",
    "last_date",
    "links",
    "sources",
    "link_ids",
]


def neutralised(value: Any) -> str | int | float | None:
    """A cell value a spreadsheet will never run: lists joined with '; ', dates as ISO text,
    and text that could start a formula prefixed with a quote."""
    if value is None:
        return None
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _rows(table: pa.Table, columns: list[str]) -> list[list[Any]]:
    return [[neutralised(row[c]) for c in columns] for row in table.select(columns).to_pylist()]


def links_path(out: Path) -> Path:
    """Where the CSV export puts its list of links, beside the list of entities at `out`."""
    return out.with_name(f"{out.stem}-links{out.suffix or '.csv'}")


def write_csv(selection: Selection, out: Path, mark: Watermark) -> list[Path]:
    """Entities to `out` and links to `links_path(out)`, each headed by the watermark line."""
    written = []
    for path, table, columns in (
        (out, selection.nodes, NODE_COLUMNS),
        (links_path(out), selection.edges, EDGE_COLUMNS),
    ):
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow([f"# {mark.text}; {selection.description}"])
            writer.writerow(columns)
            writer.writerows(_rows(table, columns))
        written.append(path)
    return written


def write_xlsx(selection: Selection, out: Path, mark: Watermark) -> list[Path]:
    """A workbook with sheets `entities` and `links`, each headed by the watermark line (also
    in the workbook's properties)."""
    book = Workbook()
    book.properties.title = mark.text
    book.properties.subject = selection.description
    book.properties.creator = mark.who
    sheets = (("entities", selection.nodes, NODE_COLUMNS), ("links", selection.edges, EDGE_COLUMNS))
    for i, (name, table, columns) in enumerate(sheets):
        sheet = book.active if i == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = name
        sheet.append([f"{mark.text}; {selection.description}"])
        sheet.append(columns)
        for row in _rows(table, columns):
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
    book.save(out)
    return [out]
