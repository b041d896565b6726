"""Entity and link lists as CSV and XLSX, safe to open in a spreadsheet.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run
as a formula by Excel or LibreOffice (CSV injection, OWASP): in CSV such text gets a leading
`'`; in XLSX every text cell is typed as text and such a cell is quote-prefixed (Excel's own
marker, so "+44 7700…" still reads "+44 7700…"). CSV is written with a byte-order mark, so
Excel reads names in any script, and every field quoted.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from openpyxl import Workbook

from msht.exports.selection import Selection
from msht.exports.watermark import Watermark

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML (so XLSX and GraphML) cannot hold.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The most characters an Excel cell holds; longer text is cut, and says so.
CELL_LIMIT = 32_767

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


def plain(value: Any) -> str | int | float | None:
    """A cell's value: lists joined with '; ', dates as ISO text, numbers as they are."""
    if value is None:
        return None
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def formula_like(value: object) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return isinstance(value, str) and value.startswith(_FORMULA_STARTS)


def neutralised(value: Any) -> str | int | float | None:
    """A CSV cell value a spreadsheet will never run: `plain`, and text that could start a
    formula prefixed with a quote."""
    cell = plain(value)
    return "'" + cell if isinstance(cell, str) and formula_like(cell) else cell


def _rows(table: pa.Table, columns: list[str], cell: Any) -> list[list[Any]]:
    return [[cell(row[c]) for c in columns] for row in table.select(columns).to_pylist()]


def _xlsx_text(value: str) -> str:
    text = ILLEGAL.sub("", value)
    if len(text) > CELL_LIMIT:
        cut = " … (cut: see the CSV or GraphML export)"
        text = text[: CELL_LIMIT - len(cut)] + cut
    return text


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
        with path.open("w", newline="", encoding="utf-8-sig") as f:
            # one plain line, never a quoted field, so readers skipping '#' lines skip it
            line = " ".join(f"{mark.text}; {selection.description}".split())
            f.write(f"# {line}\r\n")
            writer = csv.writer(f, quoting=csv.QUOTE_ALL)
            writer.writerow(columns)
            writer.writerows(_rows(table, columns, neutralised))
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
        for row in _rows(table, columns, plain):
            sheet.append([_xlsx_text(v) if isinstance(v, str) else v for v in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                    cell.quotePrefix = formula_like(cell.value)
    book.save(out)
    return [out]
