"""Dates: UK day-first, ISO, Excel serial and compact forms, never month-first."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache

from msht.errors import ValueProblem

DATE_STYLES = ("dmy", "iso", "excel", "ymd_compact")
"""Date styles `parse_date` understands.

- ``dmy``: UK day-first: ``03/03/2021``, ``3/3/21``, ``03-03-2021``, ``03.03.2021``,
  ``03/03/2021 14:05[:00]`` (time ignored), ``3 Mar 2021``, ``03-Mar-2021``,
  ``3rd March 2021``.
- ``iso``: ``2021-03-03``, optionally followed by ``T...`` or `` 14:05:00`` (ignored).
- ``excel``: Excel 1900-system serial day numbers, ``44258`` or ``44258.5`` (time ignored).
- ``ymd_compact``: ``20210303``.
"""

# A time of day after a date; ignored, but matched so it cannot hide garbage.
# Every pattern is ASCII-only: Arabic-Indic or full-width digits are not dates in our data.
_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
# The back-reference forces one separator style, so "03/03-2021" is not a date.
_DMY_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME, re.ASCII)
_DMY_WRITTEN = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[ \-/]+([A-Za-z]{3,9})\.?,?[ \-/]+(\d{4}|\d{2})" + _TIME,
    re.IGNORECASE | re.ASCII,
)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:T.*|" + _TIME + ")", re.ASCII)
_EXCEL = re.compile(r"(\d{1,7})(?:\.\d*)?", re.ASCII)
_YMD_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)

# Spelled out rather than strptime's %b so the result does not depend on the locale.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_EXCEL_MAX = 2958465  # 9999-12-31
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 and up count from here
_EXCEL_EARLY_EPOCH = date(1899, 12, 31)  # serials 1..59, before Excel's fake 1900-02-29

_YMD = tuple[int, int, int]


def _year(text: str, pivot: int) -> int:
    """Expand a two-digit year around `pivot`; four-digit years pass through."""
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year <= pivot else 1900 + year
    return year


def _dmy(value: str, pivot: int) -> _YMD | None:
    match = _DMY_NUMERIC.fullmatch(value)
    if match is not None:
        day, _, month, year = match.groups()
        return _year(year, pivot), int(month), int(day)
    match = _DMY_WRITTEN.fullmatch(value)
    if match is not None:
        day, name, year = match.groups()
        month = _MONTHS.get(name.lower())
        if month is None:
            return None
        return _year(year, pivot), month, int(day)
    return None


def _iso(value: str, pivot: int) -> _YMD | None:
    match = _ISO.fullmatch(value)
    if match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3])


def _excel(value: str, pivot: int) -> _YMD | None:
    match = _EXCEL.fullmatch(value)
    if match is None:
        return None
    serial = int(match[1])
    if not 1 <= serial <= _EXCEL_MAX:
        return None
    if serial == 60:
        # Excel's fake 1900-02-29 (a Lotus 1-2-3 bug it keeps); reported as impossible.
        return 1900, 2, 29
    epoch = _EXCEL_EPOCH if serial > 60 else _EXCEL_EARLY_EPOCH
    day = epoch + timedelta(days=serial)
    return day.year, day.month, day.day


def _ymd_compact(value: str, pivot: int) -> _YMD | None:
    match = _YMD_COMPACT.fullmatch(value)
    if match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3])


_PARSERS: dict[str, Callable[[str, int], _YMD | None]] = {
    "dmy": _dmy,
    "iso": _iso,
    "excel": _excel,
    "ymd_compact": _ymd_compact,
}
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_real(year: int, month: int, day: int) -> bool:
    """Say whether the date exists, without paying for an exception on bad ones."""
    if not (1 <= year <= 9999 and 1 <= month <= 12 and day >= 1):
        return False
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return day <= 29
    return day <= _DAYS[month - 1]


@lru_cache(maxsize=1 << 17)
def parse_date(
    value: str,
    styles: tuple[str, ...] = ("dmy", "iso", "excel"),
    pivot: int = 30,
    formats: tuple[str, ...] = (),
) -> date:
    """Parse `value` with explicit strptime `formats` first, then each of `styles` in order.

    Two-digit years up to `pivot` are 20yy, later ones 19yy. Raises ValueProblem
    ``unparseable_date`` when nothing matches or the date does not exist (31/02/2020).
    """
    text = value.strip()
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    impossible = False
    for style in styles:
        parser = _PARSERS.get(style)
        if parser is None:
            # A wrong style is a bug in the mapping, not in the data: fail loudly.
            raise ValueError(f"unknown date style {style!r}; expected one of {DATE_STYLES}")
        ymd = parser(text, pivot)
        if ymd is None:
            continue
        if _is_real(*ymd):
            return date(*ymd)
        impossible = True
    if impossible:
        raise ValueProblem("unparseable_date", f"{value!r} is not a real calendar date")
    wanted = ", ".join((*(repr(f) for f in formats), *styles))
    raise ValueProblem("unparseable_date", f"{value!r} is not a date; expected {wanted}")


def format_date(d: date) -> str:
    """Format a date as ISO 8601 ``yyyy-mm-dd``."""
    return d.isoformat()
