"""How well the matcher finds the signs written into a synthetic project's texts.

Truth is `truth/indicators.csv` (each sign's source, record, field, indicator and span, and
whether it is written in a held-out wording the lexicon was not built from) and
`truth/negations.csv` (negated mentions, which must not be found). A sign is found when a
hit of the same indicator in the same field overlaps its span; a hit is right when it
overlaps a true span of its indicator there. Recall on held-out wordings is reported apart,
overall and per indicator (and on the other wordings, `known_recall`), so the headline
number cannot hide a lexicon that only knows the generator's phrases. For each indicator,
`missed_as` counts the other indicators wrongly found where its missed signs are (a hit
that is a true sign of its own indicator is two signs side by side, not a misreading): a
sign the lexicon reads as another indicator, not one it cannot read at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from msht.project.truth import truth_rows

#: (source, source record id, source field) — where a text comes from.
Key = tuple[str, str, str]
#: A field and an indicator.
Where = tuple[Key, str]
#: (key, indicator id, start, end, held out)
Span = tuple[Key, str, int, int, bool]
SPAN_COLUMNS = ("source", "record_id", "field", "indicator_id", "start", "end", "heldout")


@dataclass(frozen=True)
class IndicatorScores:
    """Micro-averaged precision, recall and F1, held-out recall, negated mentions matched,
    and per indicator."""

    micro_precision: float
    micro_recall: float
    micro_f1: float
    heldout_recall: float
    known_recall: float
    negated_matched: float
    signs: int
    heldout_signs: int
    negations: int
    hits: int
    by_indicator: dict[str, dict[str, float | int | dict[str, int]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain dictionary, for JSON."""
        return asdict(self)


def read_spans(path: Path) -> list[Span]:
    """Spans of a truth file; errors name the file, row and field."""
    spans = []
    for _, row in truth_rows(path, SPAN_COLUMNS):
        key = (row["source"], row["record_id"], row["field"])
        spans.append(
            (key, row["indicator_id"], int(row["start"]), int(row["end"]), row["heldout"] == "true")
        )
    return spans


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def score_indicators(
    hits: Iterable[tuple[Key, str, int, int]], signs: list[Span], negations: list[Span]
) -> IndicatorScores:
    """Scores of `hits` (key, indicator, start, end) against the true signs and negations."""
    found: dict[Where, list[tuple[int, int]]] = defaultdict(list)
    for key, indicator, start, end in hits:
        found[(key, indicator)].append((start, end))
    truth: dict[Where, list[tuple[int, int]]] = defaultdict(list)
    for key, indicator, start, end, _ in signs:
        truth[(key, indicator)].append((start, end))

    def hit(where: Where, start: int, end: int, pool: dict[Where, list[tuple[int, int]]]) -> bool:
        return any(s < end and start < e for s, e in pool.get(where, ()))

    by_key: dict[Key, list[tuple[str, int, int]]] = defaultdict(list)
    for (key, indicator), spans in found.items():
        by_key[key].extend((indicator, s, e) for s, e in spans)
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    missed_as: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, indicator, start, end, heldout in signs:
        got = hit((key, indicator), start, end, found)
        if not got:  # what, if anything, the matcher wrongly took this sign for
            taken = {
                i
                for i, s, e in by_key.get(key, ())
                if s < end and start < e and not hit((key, i), s, e, truth)
            }
            for other in sorted(taken):
                missed_as[indicator][other] += 1
        per[indicator]["support"] += 1
        per[indicator]["found"] += got
        per[indicator]["heldout_support"] += heldout
        per[indicator]["heldout_found"] += got and heldout
        per["__heldout"]["support"] += heldout
        per["__heldout"]["found"] += got and heldout
    for (key, indicator), spans in found.items():
        for start, end in spans:
            per[indicator]["hits"] += 1
            per[indicator]["right"] += hit((key, indicator), start, end, truth)
    negated = sum(hit((k, i), s, e, found) for k, i, s, e, _ in negations)
    held = per.pop("__heldout", {"support": 0, "found": 0})
    by_indicator: dict[str, dict[str, float | int | dict[str, int]]] = {}
    for indicator, c in sorted(per.items()):
        p, r = _ratio(c["right"], c["hits"]), _ratio(c["found"], c["support"])
        by_indicator[indicator] = {
            "precision": p,
            "recall": r,
            "f1": _f1(p, r),
            "support": c["support"],
            "hits": c["hits"],
            "heldout_recall": _ratio(c["heldout_found"], c["heldout_support"]),
            "heldout_support": c["heldout_support"],
            "missed_as": dict(sorted(missed_as[indicator].items())),
        }
    total = {k: sum(c[k] for c in per.values()) for k in ("right", "hits", "found", "support")}
    p, r = _ratio(total["right"], total["hits"]), _ratio(total["found"], total["support"])
    return IndicatorScores(
        micro_precision=p,
        micro_recall=r,
        micro_f1=_f1(p, r),
        heldout_recall=_ratio(held["found"], held["support"]),
        known_recall=_ratio(total["found"] - held["found"], total["support"] - held["support"]),
        negated_matched=_ratio(negated, len(negations)),
        signs=len(signs),
        heldout_signs=held["support"],
        negations=len(negations),
        hits=total["hits"],
        by_indicator=by_indicator,
    )
