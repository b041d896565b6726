"""Who is likely to turn up where: weights over the population for drawing people."""

from __future__ import annotations

import itertools
import random

from msht.synth.world import World
from msht.synth.year import REFERENCE_DAY


def _activity(age: int, male: bool) -> float:
    """Relative chance of being a suspect, arrested or an intelligence subject."""
    if age < 10:
        return 0.0
    base = (
        0.3
        if age < 14
        else 1.5
        if age < 18
        else 3.0
        if age < 25
        else 2.5
        if age < 35
        else 1.5
        if age < 45
        else 0.7
        if age < 60
        else 0.15
    )
    return base * (2.5 if male else 1.0)


def _missing(age: int) -> float:
    """Relative chance of being reported missing (children, young adults, the very old)."""
    if age < 11:
        return 0.05
    if age < 18:
        return 6.0
    if age < 30:
        return 0.5
    return 0.6 if age >= 78 else 0.1


class Sampler:
    """Cumulative weights over the population for the draws the sources need."""

    def __init__(self, world: World, rng: random.Random) -> None:
        ref = REFERENCE_DAY
        self.ages = [
            ref.year - d.year - ((ref.month, ref.day) < (d.month, d.day))
            for d in (p.dob for p in world.people)
        ]
        r = rng.random
        active = [
            _activity(age, p.sex == "male") * (8.0 if r() < 0.03 else 1.0)  # a prolific few
            for age, p in zip(self.ages, world.people, strict=True)
        ]
        victim = [0.0 if age < 8 else 1.0 if age >= 16 else 0.4 for age in self.ages]
        missing = [_missing(age) for age in self.ages]
        self.pids = range(1, len(world.people) + 1)
        self._active = list(itertools.accumulate(active))
        self._victim = list(itertools.accumulate(victim))
        self._missing = list(itertools.accumulate(missing))

    def age(self, pid: int) -> int:
        """Age on the reference day."""
        return self.ages[pid - 1]

    def active(self, rng: random.Random, k: int) -> list[int]:
        """`k` people drawn by how often they are suspects or arrested."""
        return rng.choices(self.pids, cum_weights=self._active, k=k)

    def anyone(self, rng: random.Random, k: int) -> list[int]:
        """`k` people drawn as victims or witnesses (anyone old enough)."""
        return rng.choices(self.pids, cum_weights=self._victim, k=k)

    def missing(self, rng: random.Random, k: int) -> list[int]:
        """`k` people drawn by how likely they are to be reported missing."""
        return rng.choices(self.pids, cum_weights=self._missing, k=k)
