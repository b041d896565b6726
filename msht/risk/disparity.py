"""Who the cohort holds, by nationality, sex and age band, against the resolved population
(R12): each group's cohort rate, its ratio to the rate of everyone else, and 95% intervals.
Counts under 5 are suppressed. These statistics describe the cohort; nothing in scoring
reads them, or any protected characteristic (a test proves a person's score does not move
when theirs change).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass

from msht.engine.base import Engine
from msht.risk.profiles import PROFILES

#: Groups with fewer people than this (in the population or the cohort) are not shown.
SUPPRESS_UNDER = 5
_Z = 1.959964  # 95%


@dataclass(frozen=True)
class Disparity:
    """One group of one characteristic: its people, how many are in the cohort, the rate
    (with a Wilson 95% interval) and the rate ratio to everyone else (Katz log interval);
    None where suppressed."""

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
        for group in sorted(people):
            n, k = people[group], inside[group]
            if n < SUPPRESS_UNDER or 0 < k < SUPPRESS_UNDER:
                found.append(Disparity(characteristic, group, *([None] * 8)))
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
