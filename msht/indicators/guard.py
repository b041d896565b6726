"""A cheap test before a regular expression: the literal strings any match must hold.

Running every indicator pattern and concept over every sentence costs most of the
indicators stage, yet most sentences hold none of their words. A pattern such as
`(?:passports?|id cards?) (?:held|kept)` can only match text that holds "passport" or
"id card", so a substring test on the lower-cased sentence rules most sentences out before
the regular expression engine runs. The strings are read from the pattern's parse tree,
so they are sound by construction: when the test says no, the pattern cannot match.

Soundness under IGNORECASE: only ASCII characters are kept in the required strings (a run
of literals stops at any other character), lower-cased, and a text is folded by mapping
each character to the lower-case ASCII character the regular expression engine would match
it with ("K" the Kelvin sign to "k"), or leaving it as it is.
"""

from __future__ import annotations

import re
import string
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

with warnings.catch_warnings():
    # The parser is the only public view of a pattern's structure (deprecated name only).
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants as c
    import sre_parse

#: Operators that match no characters, so literals either side of them stay adjacent.
_ZERO_WIDTH = frozenset({c.AT, c.ASSERT, c.ASSERT_NOT})
_REPEATS = frozenset({c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT})
_LOWER_ASCII = string.ascii_lowercase + string.digits


#: Length of the pieces by which a `Screen` finds the strings a text holds.
GRAM = 3


@dataclass(frozen=True)
class Guarded:
    """A compiled pattern and the strings (lower-case ASCII) of which any match holds at
    least one; empty when nothing can be told, and then the pattern always runs."""

    pattern: re.Pattern[str]
    needs: frozenset[str]

    def may_match(self, present: frozenset[str] | None) -> bool:
        """Whether the pattern can match a text holding the strings `present` of its
        `Screen` (None: not screened, so it may). The screen must have been built with this
        guard among its guards, or its strings are never found."""
        return present is None or not self.needs or not self.needs.isdisjoint(present)


def parsed(text: str, flags: int = 0) -> sre_parse.SubPattern:
    """The parse tree of the regular expression `text`; raises `re.error` if it is not one."""
    return sre_parse.parse(text, flags)


def ends_in_space(tree: sre_parse.SubPattern) -> bool:
    """Whether every match of `tree` ends in whitespace: such a pattern, closed by a word
    boundary, never matches before a word ("handed it to (?!police)" ends in the space
    before its look-ahead)."""
    return _ends_in_space(tree.data)


def _ends_in_space(items: Sequence[tuple[object, object]]) -> bool:
    for op, av in reversed(items):
        if op in _ZERO_WIDTH:
            continue
        if op is c.LITERAL and isinstance(av, int):
            return chr(av).isspace()
        if op is c.IN and isinstance(av, list):
            return all(_only_space(o, a) for o, a in av)
        if op is c.SUBPATTERN and isinstance(av, tuple):
            return _ends_in_space(list(av[-1]))
        if op is c.BRANCH and isinstance(av, tuple):
            return all(_ends_in_space(list(branch)) for branch in av[1])
        if op in _REPEATS and isinstance(av, tuple):
            return av[0] >= 1 and _ends_in_space(list(av[2]))
        return False
    return False


def _only_space(op: object, av: object) -> bool:
    """Whether a character-class item matches only whitespace."""
    if op is c.LITERAL and isinstance(av, int):
        return chr(av).isspace()
    return op is c.CATEGORY and av is c.CATEGORY_SPACE


def guarded(pattern: re.Pattern[str], tree: sre_parse.SubPattern | None = None) -> Guarded:
    """`pattern` with the strings a match must hold, read from `tree` when given (the parse
    of a part of `pattern` every match holds, wrapped only in zero-width assertions)."""
    tree = tree if tree is not None else sre_parse.parse(pattern.pattern, pattern.flags)
    return Guarded(pattern, _minimal(_needs(tree.data) or frozenset()))


class Screen:
    """Which of all the guards' strings a text holds, found at once for all of them: each
    string is looked for only where its rarest piece of `GRAM` characters occurs."""

    def __init__(self, guards: list[Guarded]) -> None:
        self._by_piece: dict[str, list[str]] = {}
        self._short: list[str] = []
        for need in sorted({n for g in guards for n in g.needs}):
            if len(need) < GRAM:
                self._short.append(need)
            else:
                self._by_piece.setdefault(_rarest(need), []).append(need)

    def present(self, text: str) -> frozenset[str]:
        """The strings of the guards that `text` holds, once folded."""
        lower = fold(text)
        pieces = {lower[i : i + GRAM] for i in range(len(lower) - GRAM + 1)}
        found = {n for n in self._short if n in lower}
        for piece in pieces:
            for need in self._by_piece.get(piece, ()):
                if need in lower:
                    found.add(need)
        return frozenset(found)


class _Folding(dict[int, str]):
    """Character → what it is compared as, filled in as characters are met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        found = next(
            (a for a in _LOWER_ASCII if re.fullmatch(re.escape(a), char, re.IGNORECASE)),
            char.lower() if char.isascii() else char,
        )
        self[code] = found
        return found


_FOLDING = _Folding()


def fold(text: str) -> str:
    """`text` as the guards compare it: each character as its lower-case ASCII match."""
    return text.lower() if text.isascii() else text.translate(_FOLDING)


def _needs(items: Sequence[tuple[object, object]]) -> frozenset[str] | None:
    """Strings one of which every match of the sequence `items` holds (None: unknown). Of
    the candidates (literal runs, required groups), the one with the longest shortest
    string is kept: the rarest, so the test rules out most."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is c.LITERAL and isinstance(av, int) and chr(av).isascii():
            run.append(chr(av).lower())
            continue
        if op in _ZERO_WIDTH:
            continue
        close()
        found = _needs_of(op, av)
        if found:
            candidates.append(found)
    close()
    if not candidates:
        return None
    return max(candidates, key=lambda one: (min(map(len, one)), -len(one)))


def _needs_of(op: object, av: object) -> frozenset[str] | None:
    """Strings one of which every match of one operator holds (None: unknown)."""
    if op is c.SUBPATTERN and isinstance(av, tuple):
        return _needs(list(av[-1]))
    if op is c.ATOMIC_GROUP and isinstance(av, sre_parse.SubPattern):
        return _needs(av.data)
    if op in _REPEATS and isinstance(av, tuple) and av[0] >= 1:
        return _needs(list(av[2]))
    if op is c.BRANCH and isinstance(av, tuple):
        union: set[str] = set()
        for branch in av[1]:
            found = _needs(list(branch))
            if not found:
                return None  # an alternative needs nothing, so the whole needs nothing
            union |= found
        return frozenset(union)
    return None


#: Letters from the most to the least common in English text; others count as common.
_COMMON = " etaoinshrdlcumwfgypbvkjxqz"


def _rarest(need: str) -> str:
    """The piece of `GRAM` characters of `need` likely rarest in text (so the coarse test
    rules out most): the one of least common letters."""
    pieces = [need[i : i + GRAM] for i in range(len(need) - GRAM + 1)]
    return max(pieces, key=lambda piece: sum(_COMMON.find(ch) for ch in piece))


def _minimal(needs: frozenset[str]) -> frozenset[str]:
    """`needs` without any string that holds another (finding the shorter is enough)."""
    return frozenset(n for n in needs if not any(o != n and o in n for o in needs))
