"""Free text for the sources: fresh narratives for planted people, a pool for everyone else.

Composing a narrative costs tens of microseconds, so ordinary records draw from a pool of
narratives composed once per kind without names, towns or premises (any ordinary record
can carry one). Planted victims and controllers always get a fresh narrative naming them.
A few texts start with "-", "+" or "=" the way officers type notes; spans are shifted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from msht.synth.narrative import Context, Narrative, Span, choose_indicators, compose

#: Share of texts that start like a formula or a bullet ("- worker states…").
FORMULA_SHARE = 0.004
_PREFIXES = ("- ", "+ ", "-- ", "= ", "=> ")
_TYPES = ("labour", "sexual", "criminal", "domestic_servitude")


def _shift(spans: tuple[Span, ...], by: int) -> tuple[Span, ...]:
    return tuple(Span(s.indicator_id, s.start + by, s.end + by, s.heldout) for s in spans)


def prefixed(rng: random.Random, n: Narrative) -> Narrative:
    """Sometimes prepend a bullet or formula-like mark, keeping the spans exact."""
    if rng.random() >= FORMULA_SHARE:
        return n
    mark = _PREFIXES[int(rng.random() * len(_PREFIXES))]
    return Narrative(mark + n.text, _shift(n.spans, len(mark)), _shift(n.negated, len(mark)))


@dataclass(frozen=True)
class Signs:
    """Signs to write into one narrative: present and negated indicator ids."""

    present: tuple[str, ...]
    negated: tuple[str, ...]


def signs_for(rng: random.Random, etype: str, child: bool, low: int = 1, high: int = 4) -> Signs:
    """One to four present signs of the exploitation type and often up to two negated."""
    k = low + int(rng.random() * (high - low + 1))
    m = 0 if rng.random() < 0.4 else 1 + int(rng.random() * 2)
    picks = choose_indicators(rng, etype, k + m, child=child)
    return Signs(tuple(picks[:k]), tuple(picks[k:]))


class Texts:
    """Narratives for every source record."""

    def __init__(self, seed: int, pool_size: int, negated_share: float) -> None:
        self._seed = seed
        self._size = max(50, pool_size)
        self._negated_share = negated_share
        self._pools: dict[str, list[Narrative]] = {}

    def ordinary(self, rng: random.Random, kind: str) -> Narrative:
        """A narrative for an ordinary record, drawn from the kind's pool."""
        pool = self._pools.get(kind)
        if pool is None:
            pool = self._fill(kind)
            self._pools[kind] = pool
        return pool[int(rng.random() * len(pool))]

    def _fill(self, kind: str) -> list[Narrative]:
        rng = random.Random(f"{self._seed}:text:{kind}")
        out = []
        for _ in range(self._size):
            negated: tuple[str, ...] = ()
            if rng.random() < self._negated_share:
                etype = _TYPES[int(rng.random() * 3)]
                negated = tuple(choose_indicators(rng, etype, 1))
            n = compose(rng, kind, Context(), negated=negated, ordinary=True)
            out.append(prefixed(rng, n))
        return out

    @staticmethod
    def planted(rng: random.Random, kind: str, ctx: Context, signs: Signs) -> Narrative:
        """A fresh narrative naming the people and places of a planted record."""
        n = compose(rng, kind, ctx, present=signs.present, negated=signs.negated)
        return prefixed(rng, n)
