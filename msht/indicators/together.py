"""Concepts together: an indicator's `together:` sets, found in any order within a clause.

A pattern names one wording; a set of concepts names the idea behind many. "Passport held by
the employer", "the employer keeps his passport" and "the gaffer is looking after her ID"
all put an {id_document}, a {keep} word and an {exploiter} in one clause, so the set
`['{id_document}', '{keep}', '{exploiter}']` finds each without a pattern per word order.

A set is found in a clause (sentence marks, semicolons, colons, brackets, "but",
"however"… end one) when each of its concepts matches there, the matches do not overlap
and lie within `WITHIN` words of each other. The span runs from the first matched word to
the last; it is left out when the negation cues deny it, before it or after it as for a
pattern, when a `before` cue stands inside it other than wholly within one concept's own
words ("the boss did not keep his passport" is denied; a concept `no (?:gloves|ppe)` still
finds "no gloves"), or when a `clause` cue opens one of its concepts ("no concern that PPE
was missing").
"""

from __future__ import annotations

import re
from itertools import pairwise, product

from msht.indicators.guard import Guarded
from msht.indicators.negation import CLAUSE_END, Negation, enclosing

#: Most words a set may span, from its first concept's first word to its last's last.
WITHIN = 12
#: Where a clause ends, for a set: as for negation, and at colons too (not at commas: "her
#: papers, she says, are kept by the agency").
_CLAUSE = re.compile(CLAUSE_END.pattern + r"|:", re.IGNORECASE)
_WORD = re.compile(r"[\w'\u2019]+")
#: Matches of one concept in a clause looked at (more only costs time).
_MOST = 6


#: One compiled set: every concept must match in one clause.
Concepts = tuple[Guarded, ...]


def sets_need(sets: tuple[Concepts, ...]) -> frozenset[str] | None:
    """Strings one of which a sentence holds wherever one of `sets` is found (None: none can
    be told): of each set, its concept with the fewest."""
    union: set[str] = set()
    for one in sets:
        needs = min((c.needs for c in one), key=lambda n: len(n) if n else 1 << 30)
        if not needs:
            return None
        union |= needs
    return frozenset(union)


def clauses(text: str) -> list[tuple[int, int]]:
    """Start and end of each clause of `text`, for the sets."""
    found, start = [], 0
    for cut in _CLAUSE.finditer(text):
        if cut.start() > start:
            found.append((start, cut.start()))
        start = cut.end()
    if len(text) > start:
        found.append((start, len(text)))
    return found


def vetoed(text: str, start: int, end: int, unless: tuple[Guarded, ...]) -> bool:
    """Whether a match of one of `unless` in the clauses of `text` (one sentence) that the
    mention text[start:end] lies in overlaps the mention: "the stolen car was recovered by
    another force" ("car was recovered"), not "he was found by another force after the car
    was stopped" (a clause runs on past "and" and commas, so a word merely near the mention
    must not take it away)."""
    first, last = enclosing(_CLAUSE, text, start, end)
    return any(
        m.start() < end and start < m.end()
        for u in unless
        for m in u.pattern.finditer(text, first, last)
    )


def find_sets(
    text: str,
    sets: tuple[Concepts, ...],
    negation: Negation,
    seen: dict[str, list[tuple[int, int]]] | None = None,
    present: frozenset[str] | None = None,
) -> list[tuple[int, int]]:
    """Spans of `text` (one sentence) where one of `sets` is found and not negated. `seen`
    keeps each concept's matches in this sentence, shared by the indicators that name it;
    `present` the strings of its `Screen` the sentence holds (None: run every concept)."""
    spans: list[tuple[int, int]] = []
    if not sets:
        return spans
    memo = {} if seen is None else seen
    parts: list[tuple[int, int]] | None = None
    for one in sets:
        hits = []
        for concept in one:
            found = memo.get(concept.pattern.pattern)
            if found is None:
                found = []
                if concept.may_match(present):
                    found = [(m.start(), m.end()) for m in concept.pattern.finditer(text)]
                    found = [(s, e) for s, e in found if e > s]
                memo[concept.pattern.pattern] = found
            if not found:
                break
            hits.append(found)
        else:
            parts = clauses(text) if parts is None else parts
            for start, end in parts:
                span = _in_clause(text, start, end, hits, negation)
                if span is not None:
                    spans.append(span)
    return spans


def _in_clause(
    text: str, start: int, end: int, hits: list[list[tuple[int, int]]], negation: Negation
) -> tuple[int, int] | None:
    """The tightest span of one set (`hits`: each concept's matches in the sentence) in
    text[start:end] that is not negated, if any."""
    inside: list[list[tuple[int, int]]] = []
    for found in hits:
        here = [(s, e) for s, e in found if start <= s and e <= end][:_MOST]
        if not here:
            return None
        inside.append(here)
    best: tuple[int, int] | None = None
    for choice in product(*inside):
        ordered = sorted(choice)
        if any(a[1] > b[0] for a, b in pairwise(ordered)):
            continue
        first, last = ordered[0][0], ordered[-1][1]
        if len(_WORD.findall(text, first, last)) > WITHIN:
            continue
        if best is not None and last - first >= best[1] - best[0]:
            continue
        if _denied_inside(text, ordered, negation):
            continue
        if negation.negated(text, first, last):
            continue
        best = (first, last)
    return best


def _denied_inside(text: str, ordered: list[tuple[int, int]], negation: Negation) -> bool:
    """Whether a `before` cue stands inside the span other than wholly within one concept's
    own words: "the boss did not keep his passport" is denied, "no PPE" is not."""
    first, last = ordered[0][0], ordered[-1][1]
    if negation.clause is not None and any(negation.clause.match(text, s) for s, _ in ordered):
        return True  # a concept's own "no" opening a hedge: "no concern that PPE was missing"
    return any(
        not any(s <= cue.start() and cue.end() <= e for s, e in ordered)
        for cue in negation.before.finditer(text, first, last)
    )
