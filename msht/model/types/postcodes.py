"""UK postcodes: validated, upper case, one space before the inward code."""

from __future__ import annotations

import re
from functools import lru_cache

from msht.errors import ValueProblem

# Shape of every UK postcode: outward A9, A99, AA9, AA99, A9A or AA9A, then inward 9AA;
# plus Girobank's "GIR 0AA". Letter restrictions per position are left out on purpose:
# they change over time and a wrong rejection costs more than a rare bogus district.
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})|(GIR)(0AA)", re.ASCII)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def normalise_postcode(value: str) -> str:
    """Return the postcode in upper case with one space before the inward code.

    A letter O typed for zero in the inward code's digit ("ME4 OTZ") is corrected.
    Raises ValueProblem ``invalid_postcode`` for anything that is not a UK postcode.
    """
    compact = _SPACES.sub("", value).upper()
    if len(compact) >= 5 and compact[-3] == "O":
        # The inward code always starts with a digit, so an O there can only be a zero.
        compact = f"{compact[:-3]}0{compact[-2:]}"
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        raise ValueProblem(
            "invalid_postcode",
            f"{value!r} is not a UK postcode; expected e.g. 'ME4 4TZ' or 'SW1A 1AA'",
        )
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_district(postcode: str) -> str:
    """Return the outward code (postcode district): "ME4 4TZ" gives "ME4"."""
    return normalise_postcode(postcode)[:-4]


def postcode_area(postcode: str) -> str:
    """Return the postcode area, the leading letters: "ME4 4TZ" gives "ME"."""
    normal = normalise_postcode(postcode)
    return normal[:2] if normal[1].isalpha() else normal[:1]
