"""Plain scalars: integers, booleans and coded values (lookup tables)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from msht.errors import ValueProblem

# "12", "-3", "12.0" (spreadsheets write whole numbers as floats) and "1,234".
_INTEGER = re.compile(r"([+-]?)([0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.0*)?", re.ASCII)

_BOOLEANS = {
    **dict.fromkeys(("yes", "y", "true", "t", "1"), True),
    **dict.fromkeys(("no", "n", "false", "f", "0"), False),
}


_INT64_MAX = 2**63 - 1


@lru_cache(maxsize=1 << 14)
def parse_integer(value: str) -> int:
    """Parse a whole number: "12", " 12 ", "12.0" and "1,234" are accepted, "12.5" is not.

    Raises ValueProblem ``wrong_type``.
    """
    match = _INTEGER.fullmatch(value.strip())
    if match is None:
        raise ValueProblem("wrong_type", f"{value!r} is not a whole number; expected e.g. '12'")
    sign, digits = match.groups()
    number = int(digits.replace(",", ""))
    if number > _INT64_MAX:
        raise ValueProblem("wrong_type", f"{value!r} is too large for a whole-number field")
    return -number if sign == "-" else number


def parse_boolean(value: str) -> bool:
    """Parse yes/no, y/n, true/false, t/f or 1/0 in any case; raises ``wrong_type``."""
    # A dict lookup is cheaper than an lru_cache hit, so this one is not cached.
    result = _BOOLEANS.get(value.strip().casefold())
    if result is None:
        raise ValueProblem(
            "wrong_type", f"{value!r} is not a yes/no value; expected yes/no, true/false or 1/0"
        )
    return result


def _fold(text: str) -> str:
    """Case- and whitespace-insensitive form of a code: casefolded, single spaces."""
    return " ".join(text.split()).casefold()


def fold_code_map(values: Mapping[str, str]) -> dict[str, str]:
    """Return `values` keyed by folded codes, ready for `map_code`.

    Raises ValueError when two keys fold to the same code but map to different values.
    """
    folded: dict[str, str] = {}
    for key, target in values.items():
        code = _fold(key)
        if folded.get(code, target) != target:
            raise ValueError(f"codes {key!r} and another key both fold to {code!r}")
        folded[code] = target
    return folded


def map_code(value: str, values: Mapping[str, str] | None, default: str | None = None) -> str:
    """Look `value` up in a `fold_code_map` table, ignoring case and extra whitespace.

    Only the value is folded here, so the keys of `values` must already be folded. With no
    table the stripped value is returned; an unknown code gives `default` if set, else
    ValueProblem ``unknown_code``.
    """
    if values is None:
        return value.strip()
    found = values.get(_fold(value))
    if found is not None:
        return found
    if default is not None:
        return default
    allowed = sorted(values)
    shown = ", ".join(repr(code) for code in allowed[:8])
    more = f" and {len(allowed) - 8} more" if len(allowed) > 8 else ""
    raise ValueProblem("unknown_code", f"{value!r} is not a known code; expected {shown}{more}")
