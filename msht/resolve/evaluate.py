"""Accuracy of person clusters against a truth file (`source,record_id,person_id`).

Pairwise scores count pairs of records put together; B-cubed scores average, per record, how
much of its predicted cluster is truly its person (precision) and how much of its person its
cluster holds (recall). Only records both in the store and in the truth are scored; records
quarantined at ingest are in the truth only and are counted apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from msht.errors import MshtError
from msht.project.truth import truth_rows

TRUTH_COLUMNS = ("source", "record_id", "person_id")


@dataclass(frozen=True)
class ResolveScores:
    """Pairwise and B-cubed precision, recall and F1, with the counts they rest on."""

    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    records: int
    entities: int
    true_persons: int
    records_not_in_truth: int
    truth_records_not_in_store: int
    #: Share of true pairs the blocking rules compare (the ceiling of pairwise recall).
    blocking_recall: float | None = None

    def as_dict(self) -> dict[str, float | int | None]:
        """Plain dictionary, for JSON."""
        return asdict(self)


def read_truth(path: Path) -> dict[tuple[str, str], str]:
    """(source, record_id) → person_id; MshtError naming the file and row when malformed."""
    truth: dict[tuple[str, str], str] = {}
    for number, row in truth_rows(path, TRUTH_COLUMNS):
        key = (row["source"], row["record_id"])
        if key in truth:
            raise MshtError(f"{path}: row {number}: record {key} is listed twice")
        truth[key] = row["person_id"]
    return truth


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(sizes: Counter[str] | Counter[tuple[str, str]]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def score(
    predicted: dict[tuple[str, str], str], truth: dict[tuple[str, str], str]
) -> ResolveScores:
    """Scores of `predicted` ((source, record_id) → entity id) against `truth`."""
    common = [key for key in predicted if key in truth]
    if not common:
        raise MshtError("no record of the store is in the truth file: is it this project's?")
    entity = Counter(predicted[k] for k in common)
    person = Counter(truth[k] for k in common)
    both = Counter((predicted[k], truth[k]) for k in common)
    together, true_pairs, right = _pairs(entity), _pairs(person), _pairs(both)
    precision = right / together if together else 1.0
    recall = right / true_pairs if true_pairs else 1.0
    b_precision = sum(both[(predicted[k], truth[k])] / entity[predicted[k]] for k in common)
    b_recall = sum(both[(predicted[k], truth[k])] / person[truth[k]] for k in common)
    bp, br = b_precision / len(common), b_recall / len(common)
    return ResolveScores(
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=bp,
        bcubed_recall=br,
        bcubed_f1=_f1(bp, br),
        records=len(common),
        entities=len(entity),
        true_persons=len(person),
        records_not_in_truth=len(predicted) - len(common),
        truth_records_not_in_store=sum(1 for k in truth if k not in predicted),
    )
