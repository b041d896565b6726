"""Compose a narrative: signs and negated signs in frames, fillers, shuffled, with spans.

Randomness comes only from the caller's ``random.Random``, through ``rng.random`` draws
(cheaper than ``choice`` or ``shuffle``), so the same state and arguments give the same
narrative. Plain loops are used on purpose: compose() runs ~300,000 times per benchmark.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from typing import TypeVar

from msht.synth.narrative.frames import ANONYMOUS_KINDS, KINDS, Opener, frame_set
from msht.synth.narrative.phrasings import EXPLOITATION_TYPES, SECTORS, Wording, phrasing_bank
from msht.synth.narrative.records import Context, Narrative, Span
from msht.synth.narrative.values import SEXES, Values

#: Share of intelligence logs written on two lines.
INTEL_NEWLINE_SHARE = 0.2

Rand = Callable[[], float]
T = TypeVar("T")
# A sentence before shuffling: text, clause start, clause end, indicator id ("" for a
# filler), heldout, negated.
_Sentence = tuple[str, int, int, str, bool, bool]


def _cap(text: str) -> str:
    """Upper-case the first character when that keeps the length (spans stay exact)."""
    first = text[:1]
    if first.islower():
        upper = first.upper()
        if len(upper) == 1:
            return upper + text[1:]
    return text


def _sample(rand: Rand, pool: Sequence[T], k: int) -> list[T]:
    """k items of `pool`, distinct while the pool lasts (partial Fisher-Yates)."""
    if k == 1:
        return [pool[int(rand() * len(pool))]]
    out: list[T] = []
    while len(out) < k:
        items = list(pool)
        n = len(items)
        for i in range(min(k - len(out), n)):
            j = i + int(rand() * (n - i))
            items[i], items[j] = items[j], items[i]
            out.append(items[i])
    return out


def _standalone(rand: Rand, pool: tuple[tuple[str, bool], ...], values: Values) -> list[_Sentence]:
    """One to three distinct stand-alone sentences from `pool`, rendered."""
    return [
        (_cap(text.format_map(values)) if has_fields else text, 0, 0, "", False, False)
        for text, has_fields in _sample(rand, pool, 1 + int(rand() * 3))
    ]


def _embed(opener: Opener, wording: Wording, values: Values, ind: str, neg: bool) -> _Sentence:
    """The opener with the clause inside, and where the clause starts and ends."""
    clause = wording.text.format_map(values) if wording.has_fields else wording.text
    prefix = opener.prefix.format_map(values) if opener.prefix_fields else opener.prefix
    suffix = opener.suffix.format_map(values) if opener.suffix_fields else opener.suffix
    if not prefix:
        clause = _cap(clause)
    elif opener.prefix_fields:
        prefix = _cap(prefix)
    start = len(prefix)
    return (prefix + clause + suffix, start, start + len(clause), ind, wording.heldout, neg)


_KIND_SET = frozenset(KINDS)
_SEX_SET = frozenset(SEXES)
_SECTOR_SET = frozenset(SECTORS)


def _check(kind: str, ctx: Context, present: Sequence[str], negated: Sequence[str]) -> None:
    if kind not in _KIND_SET:
        raise ValueError(f"unknown narrative kind {kind!r}; known: {', '.join(KINDS)}")
    if ctx.sex not in _SEX_SET:
        raise ValueError(f"sex must be 'female', 'male' or None, not {ctx.sex!r}")
    if ctx.sector is not None and ctx.sector not in _SECTOR_SET:
        raise ValueError(f"unknown sector {ctx.sector!r}; known: {', '.join(SECTORS)}")
    if present or negated:
        ids = [*present, *negated]
        bank = phrasing_bank()
        for ind in ids:
            if ind not in bank:
                raise ValueError(f"no phrasings for indicator {ind!r}")
        if len(set(ids)) != len(ids):
            raise ValueError("an indicator id is repeated in present/negated")


def compose(
    rng: random.Random,
    kind: str,
    ctx: Context,
    present: Sequence[str] = (),
    negated: Sequence[str] = (),
    ordinary: bool = False,
) -> Narrative:
    """A narrative of `kind` with each id of `present` once and each of `negated` negated.

    Adds one to three fillers (and ordinary-crime sentences if `ordinary`), shuffles the
    sentences and records exact character spans of every sign and negated mention, in text
    order. Raises ValueError for an unknown kind, sex, sector or indicator id, or an id
    given twice.
    """
    _check(kind, ctx, present, negated)
    if kind in ANONYMOUS_KINDS and (ctx.person, ctx.boss, ctx.premises) != (None, None, None):
        # A business name may hold a personal name ("Marek's Hand Car Wash"): drop it too.
        ctx = replace(ctx, person=None, boss=None, premises=None)
    rand = rng.random
    frames = frame_set().kinds[kind]
    values = Values.of(rand, ctx, kind)
    sentences: list[_Sentence] = []
    if present or negated:
        bank = phrasing_bank()
        sector = ctx.sector
        openers = _sample(rand, frames.openers, len(present) + len(negated))
        for ind in present:
            pool = bank[ind].present_by_sector[sector]
            wording = pool[int(rand() * len(pool))]
            sentences.append(_embed(openers[len(sentences)], wording, values, ind, False))
        for ind in negated:
            pool = bank[ind].negated_by_sector[sector]
            wording = pool[int(rand() * len(pool))]
            sentences.append(_embed(openers[len(sentences)], wording, values, ind, True))
    sentences += _standalone(rand, frames.fillers, values)
    if ordinary:
        sentences += _standalone(rand, frames.ordinary, values)
    for i in range(len(sentences) - 1, 0, -1):
        j = int(rand() * (i + 1))
        sentences[i], sentences[j] = sentences[j], sentences[i]
    newline_at = 0
    if kind == "intel" and rand() < INTEL_NEWLINE_SHARE:
        newline_at = 1 + int(rand() * (len(sentences) - 1))
    return _assemble(sentences, newline_at)


# A frozen dataclass sets each field through object.__setattr__, which costs more than the
# rest of a span's work; setting the slots directly builds the very same object.
_new = object.__new__
_SET_SPAN = tuple(getattr(Span, f).__set__ for f in ("indicator_id", "start", "end", "heldout"))


def _span(ind: str, start: int, end: int, heldout: bool) -> Span:
    span: Span = _new(Span)
    set_id, set_start, set_end, set_heldout = _SET_SPAN
    set_id(span, ind)
    set_start(span, start)
    set_end(span, end)
    set_heldout(span, heldout)
    return span


def _assemble(sentences: list[_Sentence], newline_at: int) -> Narrative:
    """Join the sentences with spaces (a newline before sentence `newline_at` if > 0)."""
    spans: list[Span] = []
    negs: list[Span] = []
    pos = 0
    for text, start, end, ind, heldout, neg in sentences:
        if ind:
            (negs if neg else spans).append(_span(ind, pos + start, pos + end, heldout))
        pos += len(text) + 1
    texts = [s[0] for s in sentences]
    if newline_at:
        joined = " ".join(texts[:newline_at]) + "\n" + " ".join(texts[newline_at:])
    else:
        joined = " ".join(texts)
    return Narrative(joined, tuple(spans), tuple(negs))


def indicator_ids() -> tuple[str, ...]:
    """Indicator ids that have phrasings."""
    return tuple(sorted(phrasing_bank()))


@cache
def _pool(exploitation_type: str, child: bool) -> tuple[str, ...]:
    bank = phrasing_bank()
    return tuple(
        sorted(
            i
            for i, ind in bank.items()
            if exploitation_type in ind.types and (child or not ind.child_only)
        )
    )


def choose_indicators(
    rng: random.Random, exploitation_type: str, k: int, *, child: bool = False
) -> list[str]:
    """k distinct indicator ids plausible for this exploitation type, sampled from a sorted list.

    Child-only indicators (not in school, travelling with an unrelated adult…) are left out
    unless `child` is True.
    """
    if exploitation_type not in EXPLOITATION_TYPES:
        known = ", ".join(EXPLOITATION_TYPES)
        raise ValueError(f"unknown exploitation type {exploitation_type!r}; known: {known}")
    pool = _pool(exploitation_type, child)
    if not 0 <= k <= len(pool):
        raise ValueError(f"k must be between 0 and {len(pool)} for {exploitation_type!r}, not {k}")
    return rng.sample(pool, k)
