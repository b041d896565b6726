"""A small, fast, byte-for-byte reproducible XLSX writer for one worksheet.

openpyxl without lxml spends about 30 µs on each cell here, so the intelligence log (a
hundred thousand rows at scale) is written directly as SpreadsheetML: inline strings,
numbers, and dates as serial numbers with a date style. Zip entries have a fixed order,
timestamp and compression, and there is no creation time anywhere, so the same rows give
the same bytes. openpyxl and Excel read the result as an ordinary workbook.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

Cell = str | int | date | None
_EPOCH = date(1899, 12, 30).toordinal()
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
# Characters XML 1.0 forbids; generated text has none, but a stray one is dropped when a
# value is escaped anyway.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    f'{_HEAD}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_MAIN}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_MAIN}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_MAIN}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


class XlsxOut:
    """One worksheet streamed into a .xlsx file."""

    def __init__(self, path: Path, sheet: str, header: Sequence[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._zip = zipfile.ZipFile(path, "w")
        for name, body in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _workbook(sheet)),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ):
            self._zip.writestr(_info(name), body)
        self._sheet: IO[bytes] = self._zip.open(
            _info("xl/worksheets/sheet1.xml"), "w", force_zip64=True
        )
        self._columns = [_column(i) for i in range(len(header))]
        self._put(
            f"{_HEAD}"
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
        )
        self.rows = 0
        self._row(list(header), style=' s="2"')

    def _put(self, text: str) -> None:
        self._sheet.write(text.encode("utf-8"))

    def write(self, row: Sequence[Cell]) -> int:
        """Write one row (str, int, date or None per cell); return its sheet row number."""
        self.rows += 1
        self._row(row)
        return self.rows + 1

    def _row(self, row: Sequence[Cell], style: str = "") -> None:
        n = str(self.rows + 1)
        parts = [f'<row r="{n}">']
        add = parts.append
        for column, value in zip(self._columns, row, strict=True):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                text = _text(value) if "&" in value or "<" in value or ">" in value else value
                space = (
                    ' xml:space="preserve"'
                    if "\n" in text or text[0] == " " or text[-1] == " "
                    else ""
                )
                add(f'<c r="{column}{n}" t="inlineStr"{style}><is><t{space}>{text}</t></is></c>')
            elif isinstance(value, int):
                add(f'<c r="{column}{n}"><v>{value}</v></c>')
            else:
                add(f'<c r="{column}{n}" s="1"><v>{value.toordinal() - _EPOCH}</v></c>')
        add("</row>")
        self._sheet.write("".join(parts).encode("utf-8"))

    def close(self) -> None:
        """Finish the sheet and the zip file."""
        self._put("</sheetData></worksheet>")
        self._sheet.close()
        self._zip.close()


def _workbook(sheet: str) -> str:
    return (
        f"{_HEAD}"
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    # Fast deflate: the sheet is large and level 1 keeps it a few times smaller anyway.
    # ZipFile.open(ZipInfo) takes the level only from this attribute (3.11 name; 3.13
    # keeps it as an alias of compress_level).
    info._compresslevel = 1  # type: ignore[attr-defined]
    return info
