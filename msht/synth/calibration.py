"""Calibration to published Kent figures: targets, quotas and the achieved shares."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from msht.synth.catalogue import load

#: How far (percentage points) an achieved share may be from its target.
TOLERANCE_POINTS = 5.0
#: Exploitation types the published figures count (domestic servitude is kept small).
PUBLISHED_TYPES = ("criminal", "sexual", "labour")


@dataclass(frozen=True)
class CalibrationRow:
    """One category's target share of planted victims and the share generated."""

    dimension: str
    category: str
    target_share: float
    actual_share: float

    @property
    def diff_points(self) -> float:
        """Achieved minus target, in percentage points."""
        return (self.actual_share - self.target_share) * 100

    @property
    def ok(self) -> bool:
        """True when the achieved share is within the tolerance of its target."""
        return abs(self.diff_points) <= TOLERANCE_POINTS


def targets() -> dict[str, dict[str, float]]:
    """Published counts by dimension (exploitation_type, division, nationality)."""
    raw = load("networks")["targets"]
    return {
        dim: {str(k): float(v) for k, v in raw[dim].items()}
        for dim in ("exploitation_type", "division", "nationality")
    }


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights` (largest remainder; ties in key order)."""
    whole = sum(weights.values())
    if total <= 0 or whole <= 0:
        return dict.fromkeys(weights, 0)
    exact = {k: total * w / whole for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    short = total - sum(counts.values())
    order = sorted(weights, key=lambda k: (-(exact[k] - counts[k]), list(weights).index(k)))
    for key in order[:short]:
        counts[key] += 1
    return counts


def measure(victims: Iterable[tuple[str, str, str]]) -> tuple[CalibrationRow, ...]:
    """Compare (exploitation type, division, nationality) of each victim with the targets."""
    rows = list(victims)
    total = len(rows) or 1
    goal = targets()
    named = set(goal["nationality"]) - {"other"}
    by_dim = {
        "exploitation_type": Counter(r[0] for r in rows),
        "division": Counter(r[1] for r in rows),
        "nationality": Counter(r[2] if r[2] in named else "other" for r in rows),
    }
    out = []
    for dim, counts in goal.items():
        whole = sum(counts.values())
        for category, count in counts.items():
            out.append(CalibrationRow(dim, category, count / whole, by_dim[dim][category] / total))
    return tuple(out)
