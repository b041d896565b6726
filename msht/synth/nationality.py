"""Nationalities: their weight in the population, name groups, languages, passports."""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from functools import cache

from msht.synth.catalogue import load, weights


@dataclass(frozen=True)
class Nationality:
    """One nationality of the synthetic population."""

    name: str
    weight: float
    groups: tuple[str, ...]
    group_cum: tuple[float, ...]
    languages: tuple[str, ...]
    passport: str
    country: str

    def group(self, rng: random.Random) -> str:
        """A name origin group for someone of this nationality."""
        if len(self.groups) == 1:
            return self.groups[0]
        return self.groups[bisect.bisect(self.group_cum, rng.random() * self.group_cum[-1])]

    def speaks(self, rng: random.Random) -> tuple[str, ...]:
        """Languages a person speaks: a first language and sometimes English or another."""
        r = rng.random
        langs = self.languages
        first = langs[0] if r() < 0.7 else langs[int(r() * len(langs))]
        if first != "English" and r() < 0.35:
            other = "English" if r() < 0.7 else langs[int(r() * len(langs))]
            if other != first:
                return (first, other)
        return (first,)


@dataclass(frozen=True)
class Nationalities:
    """All nationalities, with cumulative weights for drawing ordinary residents."""

    by_name: dict[str, Nationality]
    names: tuple[str, ...]
    cum: tuple[float, ...]

    def draw(self, rng: random.Random, foreign_only: bool = False) -> Nationality:
        """A nationality weighted by its share of the population."""
        while True:
            name = self.names[bisect.bisect(self.cum, rng.random() * self.cum[-1])]
            if not foreign_only or name != "British":
                return self.by_name[name]


@cache
def nationalities() -> Nationalities:
    """The shipped nationality table (loaded once)."""
    by_name: dict[str, Nationality] = {}
    for name, raw in load("nationalities").items():
        groups, group_weights = weights(raw["groups"])
        by_name[name] = Nationality(
            name=name,
            weight=float(raw["weight"]),
            groups=groups,
            group_cum=tuple(itertools.accumulate(group_weights)),
            languages=tuple(raw["languages"]),
            passport=str(raw["passport"]),
            country=str(raw["country"]),
        )
    names = tuple(by_name)
    cum = tuple(itertools.accumulate(by_name[n].weight for n in names))
    return Nationalities(by_name, names, cum)
