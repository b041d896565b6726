"""How well the review cohort holds the planted victims of a synthetic project.

A planted victim (truth/victims.csv, role victim) is in the cohort when any entity of theirs
is; precision is the share of the cohort's entities that are planted victims. Controllers
in the cohort are counted apart: a safeguarding cohort that fills with exploiters has gone
wrong (target: under 5% of the cohort).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from msht.project.truth import truth_rows

PLANTED_COLUMNS = ("person_id", "role", "exploitation_type")


@dataclass(frozen=True)
class RiskScores:
    """Recall and precision of the cohort, its size, controllers in it, recall by type."""

    recall: float
    precision: float
    cohort_size: int
    victims: int
    victims_in_cohort: int
    controllers_in_cohort: int
    controller_share: float
    by_type: dict[str, dict[str, float | int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain dictionary, for JSON."""
        return asdict(self)


def read_roles(path: Path) -> dict[str, tuple[str, str]]:
    """person id → (role, exploitation type) from `victims.csv`."""
    return {
        row["person_id"]: (row["role"], row["exploitation_type"])
        for _, row in truth_rows(path, PLANTED_COLUMNS)
    }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def score_risk(
    roles: dict[str, tuple[str, str]], entities_of: dict[str, set[str]], cohort: set[str]
) -> RiskScores:
    """Scores of the `cohort` (entity ids) against the planted `roles` (person → role,
    type) and each person's entities."""
    owner: dict[str, tuple[str, str]] = {}
    for person, (role, _) in roles.items():
        for entity in entities_of.get(person, ()):
            owner[entity] = (person, role)
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    found = 0
    victims = 0
    for person, (role, etype) in roles.items():
        if role != "victim":
            continue
        victims += 1
        hit = bool(entities_of.get(person, set()) & cohort)
        found += hit
        per_type[etype][0] += hit
        per_type[etype][1] += 1
    of_victims = sum(1 for e in cohort if owner.get(e, ("", ""))[1] == "victim")
    of_controllers = sum(1 for e in cohort if owner.get(e, ("", ""))[1] == "controller")
    return RiskScores(
        recall=_ratio(found, victims),
        precision=_ratio(of_victims, len(cohort)),
        cohort_size=len(cohort),
        victims=victims,
        victims_in_cohort=found,
        controllers_in_cohort=of_controllers,
        controller_share=_ratio(of_controllers, len(cohort)),
        by_type={
            t: {"recall": _ratio(h, n), "victims": n} for t, (h, n) in sorted(per_type.items())
        },
    )
