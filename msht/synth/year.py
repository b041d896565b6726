"""The synthetic year: every event happens between 1 April 2025 and 31 March 2026."""

from __future__ import annotations

import random
from datetime import date

YEAR_START = date(2025, 4, 1)
YEAR_END = date(2026, 3, 31)
#: Ages are worked out on this day (the middle of the year).
REFERENCE_DAY = date(2025, 10, 1)
#: Every day of the synthetic year, in order.
DAYS = tuple(date.fromordinal(n) for n in range(YEAR_START.toordinal(), YEAR_END.toordinal() + 1))


def random_day(rng: random.Random) -> date:
    """A day of the synthetic year, uniformly."""
    return DAYS[int(rng.random() * len(DAYS))]


def dob_for_age(rng: random.Random, age: int) -> date:
    """A date of birth for someone `age` years old on the reference day."""
    days = int((age + rng.random()) * 365.2425)
    return date.fromordinal(REFERENCE_DAY.toordinal() - days)


def age_on(dob: date, day: date) -> int:
    """Whole years between `dob` and `day`."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def age_band(age: int) -> str:
    """Statistics age band: under_18, 18-24, 25-34, 35-44, 45-54 or 55+."""
    if age < 18:
        return "under_18"
    for top, band in ((24, "18-24"), (34, "25-34"), (44, "35-44"), (54, "45-54")):
        if age <= top:
            return band
    return "55+"
