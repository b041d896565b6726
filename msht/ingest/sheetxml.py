"""Where a worksheet's XML lives in an XLSX file, and the first row that holds a value.

fastexcel starts a sheet at its first row with a value; the row numbers msht reports must
be the sheet's own, so the reader adds the rows above it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CHUNK = 1 << 20
# A cell value (<v>) or an inline string (<is>); the row element opening before it.
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)[ >]")
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")


def sheet_member(book: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The zip member of sheet `sheet` (the first sheet when None), or None if not found."""
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    sheets = workbook.findall(f"{_MAIN}sheets/{_MAIN}sheet")
    chosen = next((s for s in sheets if sheet is None or s.get("name") == sheet), None)
    if chosen is None:
        return None
    rid = chosen.get(f"{_REL}id")
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.findall(f"{_PKG}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def first_value_row(path: Path, sheet: str | None) -> int | None:
    """Row number of the sheet's first row holding a value; None if it cannot be told."""
    try:
        with zipfile.ZipFile(path) as book:
            member = sheet_member(book, sheet)
            if member is None:
                return None
            with book.open(member) as fh:
                seen = b""
                while chunk := fh.read(_CHUNK):
                    seen += chunk
                    found = _VALUE.search(seen)
                    if found is not None:
                        rows = _ROW.findall(seen, 0, found.start())
                        return int(rows[-1]) if rows else None
    except (KeyError, OSError, zipfile.BadZipFile, ET.ParseError):
        return None
    return None
