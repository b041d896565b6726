"""Placeholder values of one narrative, resolved lazily and kept for the whole text.

The subject, controller, town… are chosen once per narrative, the first time a sentence
needs them, so one narrative always calls the same person "the worker". Pronouns
({they} {them} {their} and the verbs {is} {was} {has}) follow the subject's sex.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from msht.synth.narrative.frames import KINDS, frame_set
from msht.synth.narrative.records import Context

SEXES: tuple[str | None, ...] = ("female", "male", None)

_PRONOUN_KEYS = ("they", "them", "their", "is", "was", "has")
_PRONOUNS: dict[str | None, dict[str, str]] = {
    sex: dict(zip(_PRONOUN_KEYS, words, strict=True))
    for sex, words in (
        ("female", ("she", "her", "her", "is", "was", "has")),
        ("male", ("he", "him", "his", "is", "was", "has")),
        (None, ("they", "them", "their", "are", "were", "have")),
    )
}


@dataclass(frozen=True)
class Pools:
    """Every choice list a placeholder draws from, precomputed per kind, sex and sector."""

    subjects: dict[tuple[str, str | None], tuple[str, ...]]
    workplace: dict[str | None, tuple[str, ...]]
    boss_named: tuple[str, ...]
    boss_generic: tuple[str, ...]
    premises_generic: tuple[str, ...]
    town_generic: tuple[str, ...]
    vrm_named: tuple[str, ...]
    vrm_generic: tuple[str, ...]
    money: tuple[str, ...]


@cache
def pools() -> Pools:
    """The pools built from frames.yaml (once)."""
    frames = frame_set()
    refs = frames.references
    by_sex = {"female": refs.person.female, "male": refs.person.male, None: refs.person.unknown}
    subjects = {
        (kind, sex): (*by_sex[sex], *frames.kinds[kind].subjects) for kind in KINDS for sex in SEXES
    }
    workplace: dict[str | None, tuple[str, ...]] = {None: refs.workplace["other"]}
    for sector, words in refs.workplace.items():
        workplace[sector] = words
    return Pools(
        subjects=subjects,
        workplace=workplace,
        boss_named=refs.boss_named,
        boss_generic=refs.boss_generic,
        premises_generic=refs.premises_generic,
        town_generic=refs.town_generic,
        vrm_named=refs.vrm_named,
        vrm_generic=refs.vrm_generic,
        money=refs.money,
    )


def _pick(rand: Callable[[], float], pool: tuple[str, ...]) -> str:
    return pool[int(rand() * len(pool))]


class Values(dict[str, str]):
    """A mapping for ``str.format_map`` that fills each placeholder on first use.

    Values given in the context are set up front; generic ones are drawn when needed.
    """

    __slots__ = ("_state",)
    _state: tuple[Callable[[], float], Context, str]

    @classmethod
    def of(cls, rand: Callable[[], float], ctx: Context, kind: str) -> Values:
        """Values for one narrative of `kind` about `ctx`, drawing with `rand`."""
        values = cls(_PRONOUNS[ctx.sex])
        for key, given in (("person", ctx.person), ("premises", ctx.premises), ("town", ctx.town)):
            if given is not None:
                values[key] = given
        values._state = (rand, ctx, kind)
        return values

    def __missing__(self, key: str) -> str:
        value = self._resolve(key)
        if key != "time":  # each time of day is drawn afresh: events differ in time
            self[key] = value
        return value

    def _resolve(self, key: str) -> str:
        rand, ctx, kind = self._state
        p = pools()
        if key == "person":
            return _pick(rand, p.subjects[(kind, ctx.sex)])
        if key == "boss":
            if ctx.boss is None:
                return _pick(rand, p.boss_generic)
            return _pick(rand, p.boss_named).replace("{name}", ctx.boss)
        if key == "premises":
            return _pick(rand, p.premises_generic)
        if key == "workplace":
            return _pick(rand, p.workplace[ctx.sector])
        if key == "town":
            return _pick(rand, p.town_generic)
        if key == "vrm":
            if ctx.vrm is None:
                return _pick(rand, p.vrm_generic)
            return _pick(rand, p.vrm_named).replace("{vrm}", ctx.vrm)
        if key == "time":
            return f"{int(rand() * 24):02d}:{5 * int(rand() * 12):02d}"
        if key == "money":
            return _pick(rand, p.money)
        raise KeyError(key)
