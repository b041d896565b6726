"""Missing-person episodes: CSV (UTF-8, comma), one row per episode.

Reported and found times "dd/mm/yyyy HH:MM" (found is empty while still missing); the
home address in one field plus a postcode; circumstances as free text.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from msht.synth.appearances import Event
from msht.synth.writers.base import CsvPart, Faults, Pen, dmy
from msht.synth.year import age_on

SOURCE = "missing"
FILE = "missing_episodes.csv"
ENCODING = "utf-8"
DELIMITER = ","
HEADER = (
    "Episode ID",
    "Reported Missing",
    "Found",
    "Forename",
    "Surname",
    "DOB",
    "Sex",
    "Home Address",
    "Postcode",
    "Phone",
    "Risk Level",
    "Circumstances",
    "Found Location",
)
_FOUND = (
    "Returned home",
    "Found at a friend's address",
    "Located by police in {town}",
    "Found at an address in {town}",
    "Returned to placement",
    "Found at {town} railway station",
)


def _stamp(moment: datetime) -> str:
    return f"{dmy(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def render(pen: Pen, events: list[Event], first_seq: int, out: CsvPart, rng: random.Random) -> None:
    """Write one row per missing episode in `events`, numbered from `first_seq`."""
    faults = Faults(rng, first_seq == 1)
    vary, r, world = pen.vary, rng.random, pen.world
    for seq, event in enumerate(events, start=first_seq):
        pid = event.people[0][0]
        p = pen.person(pid)
        ref = f"MP/{event.day.year % 100:02d}/{seq:06d}"
        given, family = pen.names(rng, p, middle=0.2)
        dob = pen.dob(rng, p, 0.04)
        reported = datetime.combine(event.day, time(int(r() * 24), int(r() * 60)))
        found = reported + timedelta(minutes=int(r() ** 2 * 72 * 60) + 30)
        child = age_on(p.dob, event.day) < 18
        net = world.networks[event.network - 1] if event.network else None
        risk = "High" if net or r() < 0.15 else ("Medium" if child or r() < 0.4 else "Low")
        story = pen.story(rng, "missing_circumstances", event, pid)
        town = net.premises.address.town if net and r() < 0.6 else p.home.town
        where = _FOUND[int(r() * len(_FOUND))].format(town=town)
        still = r() < 0.04
        row = [
            ref,
            _stamp(reported),
            "" if still else _stamp(found),
            given,
            family,
            dmy(dob) if dob else "",
            "F" if p.sex == "female" else "M",
            vary.one_line(rng, p.home),
            vary.postcode(rng, p.home.postcode),
            pen.phone(rng, p, 0.5),
            risk,
            story.text,
            "" if still else where,
        ]
        fault = faults.due()
        if fault:
            row[1] = f"30/02/{event.day.year} {reported.hour:02d}:{reported.minute:02d}"
        line = out.write(row, story.text.count("\n"))
        if fault:
            pen.truth.fault(SOURCE, ref, line, "Reported Missing", "impossible_date")
        pen.truth.record(SOURCE, ref, p.pid)
        pen.truth.text(SOURCE, ref, "Circumstances", story)
