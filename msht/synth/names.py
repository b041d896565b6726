"""Name lists by origin group, with nicknames and other spellings of the same name."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from typing import Any

from msht.synth.catalogue import load


@dataclass(frozen=True)
class NameGroup:
    """Given names, family names and naming customs of one origin group."""

    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    middle_share: float
    middle_female: tuple[str, ...]
    middle_male: tuple[str, ...]
    feminine: str
    surname_first: float

    def given(self, rng: random.Random, sex: str) -> str:
        """A given name for someone of this sex."""
        names = self.female if sex == "female" else self.male
        return names[int(rng.random() * len(names))]

    def middle(self, rng: random.Random, sex: str) -> str:
        """A second given name, or "" (most people have none recorded)."""
        if rng.random() >= self.middle_share:
            return ""
        names = self.middle_female if sex == "female" else self.middle_male
        return names[int(rng.random() * len(names))] if names else ""


def _feminine(rule: str, surname: str) -> str:
    """The form a family name takes for a woman under the group's custom."""
    if rule == "polish":
        for male, female in (("dzki", "dzka"), ("cki", "cka"), ("ski", "ska")):
            if surname.endswith(male):
                return surname[: -len(male)] + female
        return surname
    if rule == "lithuanian":
        if surname[-2:] in ("as", "is", "us", "ys"):
            return surname[:-2] + "iene"
        return surname[:-1] + "iene" if surname.endswith(("a", "e")) else surname
    if rule == "add_a":
        return surname + "a"
    if rule == "ova":
        return surname[:-1] + "ova" if surname.endswith("a") else surname + "ova"
    return surname


def _group(raw: dict[str, Any]) -> NameGroup:
    middles = raw.get("middles") or {}
    return NameGroup(
        female=tuple(raw["female"]),
        male=tuple(raw["male"]),
        surnames=tuple(raw["surnames"]),
        middle_share=float(middles.get("p", 0.0)),
        middle_female=tuple(middles.get("female", ())),
        middle_male=tuple(middles.get("male", ())),
        feminine=str(raw.get("feminine", "")),
        surname_first=float(raw.get("surname_first", 0.0)),
    )


class NameBook:
    """Every name group, plus nickname and transliteration tables."""

    def __init__(self) -> None:
        self.groups: dict[str, NameGroup] = {k: _group(v) for k, v in load("names").items()}
        data = load("variants")
        self.nicknames: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in data["nicknames"].items()
        }
        spellings: dict[str, tuple[str, ...]] = {}
        for family in data["transliterations"]:
            for name in family:
                spellings[name] = tuple(n for n in family if n != name)
        self.spellings = spellings

    def surname(self, group: str, family: str, sex: str) -> str:
        """The family name as borne by someone of this sex (Kowalski / Kowalska)."""
        rule = self.groups[group].feminine
        return _feminine(rule, family) if rule and sex == "female" else family


@cache
def name_book() -> NameBook:
    """The shipped name lists (loaded once)."""
    return NameBook()
