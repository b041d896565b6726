"""Synthetic identifiers: mobile numbers, vehicle registration marks, document numbers."""

from __future__ import annotations

import random
from typing import Protocol

# Current-format marks never start with Q or Z (DVLA issues no such area code), so no
# synthetic mark can be a real vehicle's.
_VRM_FIRST = "QZ"
_VRM_SECOND = "ABCDEFGHJKLMNOPRSTUVWXY"
_VRM_LAST = "ABCDEFGHJKLMNOPRSTUVWXYZ"
_VRM_AGES = tuple(f"{n:02d}" for n in (*range(2, 26), *range(51, 75)))
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_MASK = (1 << 64) - 1
_VRM_SPACE = len(_VRM_FIRST) * len(_VRM_SECOND) * len(_VRM_AGES) * len(_VRM_LAST) ** 3


class Identifiers:
    """Hands out mobile numbers and VRMs, each only once."""

    def __init__(self) -> None:
        self._phones: set[str] = set()
        self._vrms: set[str] = set()

    def phone(self, rng: random.Random) -> str:
        """A UK mobile number in national form, "07xxxxxxxxx" (071-075, 077-079)."""
        r = rng.random
        used = self._phones
        while True:
            n = 7_100_000_000 + int(r() * 800_000_000)
            if n >= 7_600_000_000:
                n += 100_000_000  # skip 076, the pager range
            number = f"0{n}"
            if number not in used:
                used.add(number)
                return number

    def vrm(self, rng: random.Random) -> str:
        """A current-format registration mark without its space, e.g. "GK19XWT"."""
        used = self._vrms
        last = _VRM_LAST
        n = len(last)
        while True:
            k = int(rng.random() * _VRM_SPACE)
            k, a = divmod(k, len(_VRM_FIRST))
            k, b = divmod(k, len(_VRM_SECOND))
            k, c = divmod(k, len(_VRM_AGES))
            k, x = divmod(k, n)
            z, y = divmod(k, n)
            mark = f"{_VRM_FIRST[a]}{_VRM_SECOND[b]}{_VRM_AGES[c]}{last[x]}{last[y]}{last[z]}"
            if mark not in used:
                used.add(mark)
                return mark


class Mixer:
    """A tiny keyed source of floats (splitmix64): the same key always gives the same draws.

    Seeding a `random.Random` from a string costs tens of microseconds; this gives a
    person's own document number from their id in one.
    """

    def __init__(self, key: int) -> None:
        self._state = key & _MASK

    def random(self) -> float:
        """The next float in [0, 1)."""
        self._state = (self._state + 0x9E3779B97F4A7C15) & _MASK
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return ((z ^ (z >> 31)) >> 11) / 9007199254740992.0


class Draws(Protocol):
    """Anything with a `random()` method (random.Random or Mixer)."""

    def random(self) -> float:
        """The next float in [0, 1)."""
        ...


def document_number(rng: Draws, shape: str) -> str:
    """A document number of the given shape: "A" is a letter, "9" a digit, others as is."""
    out = []
    for char in shape:
        if char == "A":
            out.append(_LETTERS[int(rng.random() * len(_LETTERS))])
        elif char == "9":
            out.append(str(int(rng.random() * 10)))
        else:
            out.append(char)
    return "".join(out)
