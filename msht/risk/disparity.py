"""Who the cohort holds, by nationality, sex and age band, against the resolved population
(R12): each group's cohort rate, its ratio to the rate of everyone else, and 95% intervals.
These statistics describe the cohort; nothing in scoring reads them, or any protected
characteristic (a test proves a person's score does not move when theirs change).

Small counts are suppressed twice over. Primary: a group with under 5 people, under 5 in the
cohort (but not none) or under 5 outside it (but not none). Secondary: the population and
the cohort size are known, so within a characteristic one hidden group would be their
difference from the groups shown; more groups are hidden, smallest first, until at least
two are and together they hold at least 5 people in the cohort and 5 outside it, so that
neither a hidden group's counts nor its rate can be worked out. (When the whole cannot meet
that, as with a cohort of under 5, every group of the characteristic is hidden.)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Literal

from msht.engine.base import Engine
from msht.risk.profiles import PROFILES

#: Groups with fewer people than this (in the population, the cohort or outside it) are
#: not shown.
SUPPRESS_UNDER = 5
_Z = 1.959964  # 95%

#: Why a group is not shown: its own small count, or to keep another's from being worked out.
Suppression = Literal["primary", "secondary"]


@dataclass(frozen=True)
class Disparity:
    """One group of one characteristic: its people, how many are in the cohort, the rate
    (with a Wilson 95% interval) and the rate ratio to everyone else (Katz log interval);
    None where suppressed, with `suppressed` saying why."""

    characteristic: str
    group: str
    people: int | None
    in_cohort: int | None
    rate: float | None
    rate_low: float | None
    rate_high: float | None
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    suppressed: Suppression | None = None

    @classmethod
    def hidden(cls, characteristic: str, group: str, why: Suppression) -> Disparity:
        """A suppressed group: its name and why, no count, rate, ratio or interval."""
        return cls(characteristic, group, None, None, None, None, None, None, None, None, why)

    def as_dict(self) -> dict[str, object]:
        """Plain dictionary, for JSON and CSV."""
        return asdict(self)


def _people_sql(age_on: str) -> str:
    by_dob = age_on.format(dob="p.dob", on="current_date")
    moved = age_on.format(dob="p.age_estimated_on", on="current_date")
    age = f"coalesce({by_dob}, p.age_estimate + coalesce({moved}, 0))"
    return f"""
SELECT r.entity_id,
       coalesce(min(p.nationality), 'not recorded') AS nationality,
       coalesce(min(p.sex), 'not recorded') AS sex,
       CASE WHEN min({age}) IS NULL THEN 'not recorded'
            WHEN min({age}) < 18 THEN 'under 18'
            WHEN min({age}) < 25 THEN '18-24'
            WHEN min({age}) < 35 THEN '25-34'
            WHEN min({age}) < 45 THEN '35-44'
            WHEN min({age}) < 55 THEN '45-54'
            ELSE '55+' END AS age_band,
       max(CASE WHEN k.cohort THEN 1 ELSE 0 END) AS in_cohort
FROM resolved_record r JOIN person p ON p.id = r.record_id
LEFT JOIN {PROFILES} k ON k.entity_id = r.entity_id
WHERE r.entity_type = 'Person'
GROUP BY r.entity_id"""


def _wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = p + _Z**2 / (2 * n)
    spread = _Z * math.sqrt(p * (1 - p) / n + _Z**2 / (4 * n * n))
    low, high = (centre - spread) / (1 + _Z**2 / n), (centre + spread) / (1 + _Z**2 / n)
    return round(max(0.0, low), 4), round(min(1.0, high), 4)


def _ratio(k1: int, n1: int, k0: int, n0: int) -> tuple[float | None, float | None, float | None]:
    if k1 == 0 or k0 == 0 or n0 == 0:
        return None, None, None
    ratio = (k1 / n1) / (k0 / n0)
    se = math.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0)
    return (
        round(ratio, 3),
        round(ratio * math.exp(-_Z * se), 3),
        round(ratio * math.exp(_Z * se), 3),
    )


def _small(people: int, in_cohort: int) -> bool:
    """Under the threshold: the people, those in the cohort or those outside it (none is
    not small: a group of whom no one, or everyone, is in the cohort is shown)."""
    outside = people - in_cohort
    return people < SUPPRESS_UNDER or 0 < in_cohort < SUPPRESS_UNDER or 0 < outside < SUPPRESS_UNDER


def _hidden_enough(counts: Mapping[str, tuple[int, int]], hidden: Mapping[str, object]) -> bool:
    """Two or more groups hidden, holding together at least the threshold of people in the
    cohort and outside it: what the totals less the groups shown give away is then neither
    one group's counts nor a rate of none or all."""
    people = sum(counts[g][0] for g in hidden)
    in_cohort = sum(counts[g][1] for g in hidden)
    return len(hidden) >= 2 and min(in_cohort, people - in_cohort) >= SUPPRESS_UNDER


def suppression(counts: Mapping[str, tuple[int, int]]) -> dict[str, Suppression]:
    """Groups of one characteristic to hide, from each group's (people, in cohort): those
    with a small count (primary), then the smallest others (secondary), the smallest that
    is enough on its own if one is, until the hidden groups cannot be worked out from the
    totals."""
    hidden: dict[str, Suppression] = {g: "primary" for g, c in counts.items() if _small(*c)}
    while hidden and len(hidden) < len(counts) and not _hidden_enough(counts, hidden):
        shown = sorted((c, g) for g, c in counts.items() if g not in hidden)
        enough = [g for _, g in shown if _hidden_enough(counts, {**hidden, g: "secondary"})]
        hidden[enough[0] if enough else shown[0][1]] = "secondary"
    return hidden


def disparity(engine: Engine) -> list[Disparity]:
    """Cohort rates and ratios by nationality, sex and age band (needs risk profiles)."""
    age_on = engine.sql_dialect.age_in_years_sql("{dob}", "{on}")
    rows = engine.query(_people_sql(age_on)).to_pylist()
    total = len(rows)
    cohort = sum(r["in_cohort"] for r in rows)
    found = []
    for characteristic in ("nationality", "sex", "age_band"):
        people = Counter(r[characteristic] for r in rows)
        inside = Counter(r[characteristic] for r in rows if r["in_cohort"])
        counts = {group: (people[group], inside[group]) for group in people}
        hidden = suppression(counts)
        for group in sorted(counts):
            n, k = counts[group]
            if group in hidden:
                found.append(Disparity.hidden(characteristic, group, hidden[group]))
                continue
            low, high = _wilson(k, n)
            found.append(
                Disparity(
                    characteristic,
                    group,
                    n,
                    k,
                    round(k / n, 4),
                    low,
                    high,
                    *_ratio(k, n, cohort - k, total - n),
                )
            )
    return found
