"""UK vehicle registration marks (VRMs): compact upper case, with misread variants."""

from __future__ import annotations

import re
from functools import lru_cache

from msht.errors import ValueProblem

_SEPARATORS = re.compile(r"[\s.\-]+")
# Current (AB12CDE), prefix (A123BCD), suffix (ABC123D) and dateless (ABC123, 1ABC) marks
# are all 2-7 letters and digits with at least one of each.
_VRM = re.compile(r"(?=[A-Z0-9]*[A-Z])(?=[A-Z0-9]*[0-9])[A-Z0-9]{2,7}", re.ASCII)
_CURRENT = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z]{3}", re.ASCII)

# Characters that number-plate readers and people copying plates mix up, both ways.
_CONFUSED = {
    a: b
    for x, y in (("0", "O"), ("1", "I"), ("5", "S"), ("8", "B"), ("2", "Z"), ("6", "G"))
    for a, b in ((x, y), (y, x))
}


@lru_cache(maxsize=1 << 16)
def normalise_vrm(value: str) -> str:
    """Return the mark in upper case without spaces, hyphens or dots ("ab12 cde" → "AB12CDE").

    Raises ValueProblem ``invalid_vrm`` unless the result is 2-7 letters and digits with at
    least one of each.
    """
    compact = _SEPARATORS.sub("", value).upper()
    if _VRM.fullmatch(compact) is None:
        raise ValueProblem(
            "invalid_vrm",
            f"{value!r} is not a vehicle registration mark; expected 2-7 letters and digits "
            "with at least one of each, e.g. 'AB12 CDE'",
        )
    return compact


def format_vrm(vrm: str) -> str:
    """Return the display form: a current-format mark gets its space ("AB12 CDE").

    Older formats are returned normalised but otherwise unchanged.
    """
    compact = normalise_vrm(vrm)
    if _CURRENT.fullmatch(compact) is not None:
        return f"{compact[:4]} {compact[4:]}"
    return compact


@lru_cache(maxsize=1 << 16)
def vrm_misreads(vrm: str) -> frozenset[str]:
    """Return the valid marks one commonly confused character away from `vrm`.

    The pairs are 0/O, 1/I, 5/S, 8/B, 2/Z and 6/G; `vrm` itself is not included. Variants
    that are not valid marks (no letter or no digit left) are left out, so for valid marks
    the relation is symmetric.
    """
    compact = normalise_vrm(vrm)
    variants = set()
    for index, char in enumerate(compact):
        swap = _CONFUSED.get(char)
        if swap is not None:
            variant = f"{compact[:index]}{swap}{compact[index + 1 :]}"
            if _VRM.fullmatch(variant) is not None:
                variants.add(variant)
    return frozenset(variants)
