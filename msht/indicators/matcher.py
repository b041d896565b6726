"""Find the lexicon's indicators in free text: each match with its indicator id and exact
character span, negated mentions left out, overlapping matches of one indicator merged.

An indicator's `together:` sets of concepts are found in any order within a clause (see
`together.py`), with the same negation check; its `unless:` patterns take away a mention
that a match of one, in its clause, overlaps.

Texts are matched sentence by sentence (negation never reaches past a sentence either), and
each distinct sentence once: records repeat boilerplate ("Scene photographed and CSI
requested.") and a crime system repeats a crime's text on every person's row, so a cache of
sentences saves most of the work.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from msht.indicators.guard import Screen
from msht.indicators.lexicon import Indicator, load_lexicon
from msht.indicators.negation import FULL_STOP, Negation, enclosing, load_negation
from msht.indicators.spelling import unified
from msht.indicators.together import find_sets, sets_need, vetoed


@dataclass(frozen=True)
class Match:
    """One sign found: indicator id and the span text[start:end]."""

    indicator_id: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, object]:
        """Plain dictionary, for JSON."""
        return asdict(self)


#: Where sentences end: after a full stop that may end one (not "Mr.", "approx.", "e.g."),
#: ! or ? followed by space, and at line ends.
_SENTENCE = re.compile(rf"(?:(?<={FULL_STOP})|(?<=[!?]))\s+|\n+", re.IGNORECASE)
#: Distinct sentences remembered (a few hundred bytes each).
CACHE_SIZE = 200_000


class Matcher:
    """The lexicon and negation cues, ready to scan texts."""

    def __init__(self, indicators: list[Indicator], negation: Negation) -> None:
        self.indicators = indicators
        self.negation = negation
        self._cache: dict[str, list[tuple[str, int, int]]] = {}
        #: Per indicator, what a sentence must hold for its sets to be looked for.
        self._sets_need = [sets_need(i.together) for i in indicators]
        self._screen = Screen(
            [
                *(p for i in indicators for p in i.patterns),
                *(c for i in indicators for s in i.together for c in s),
            ]
        )

    @classmethod
    def load(cls, folder: Path | None = None) -> Matcher:
        """msht's lexicon (or `folder`'s files) and negation cues."""
        return cls(load_lexicon(folder), load_negation())

    def find(self, text: str) -> list[Match]:
        """Every indicator mentioned, and not negated, in `text`, in order of position."""
        found: list[Match] = []
        start = 0
        for cut in [*_SENTENCE.finditer(text), None]:
            end = cut.start() if cut is not None else len(text)
            if end > start:
                for indicator_id, s, e in self._sentence(text[start:end]):
                    found.append(
                        Match(indicator_id, start + s, start + e, text[start + s : start + e])
                    )
            start = cut.end() if cut is not None else len(text)
        return sorted(found, key=lambda m: (m.start, m.indicator_id))

    def _sentence(self, text: str) -> list[tuple[str, int, int]]:
        """(indicator id, start, end) of the signs in one sentence, from the cache if seen."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        key, text = text, unified(text)  # "organized" read as "organised", in place
        found: list[tuple[str, int, int]] = []
        seen: dict[str, list[tuple[int, int]]] = {}
        present = self._screen.present(text)
        for indicator, gate in zip(self.indicators, self._sets_need, strict=True):
            spans: list[tuple[int, int]] = []
            for pattern in indicator.patterns:
                if not pattern.may_match(present):
                    continue
                for m in pattern.pattern.finditer(text):
                    if m.end() > m.start() and not self.negation.negated(text, m.start(), m.end()):
                        spans.append((m.start(), m.end()))
            if indicator.together and (gate is None or not gate.isdisjoint(present)):
                spans.extend(find_sets(text, indicator.together, self.negation, seen, present))
            if spans:
                found.extend(
                    (indicator.id, start, end)
                    for start, end in _merged(spans)
                    if not (indicator.unless and vetoed(text, start, end, indicator.unless))
                )
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = found
        return found


def sentence_around(text: str, position: int) -> tuple[int, int]:
    """Start and end of the sentence of `text` holding `position`."""
    return enclosing(_SENTENCE, text, position, position)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
