"""Crime system export: one "crime nominal" row per person involved in a crime.

CSV, UTF-8 with a byte-order mark, comma separated. Dates dd/mm/yyyy; the name in one
column as "SURNAME, Forenames"; the address as one free-text field plus a postcode.
The role is in `Involvement` and repeated as Y flags (Victim / Suspect / Witness) so that a
mapping can produce the right link for each row.
"""

from __future__ import annotations

import random
from datetime import timedelta

from msht.synth.appearances import Event
from msht.synth.writers.base import CsvPart, Faults, Pen, dmy
from msht.synth.year import YEAR_END, age_on

SOURCE = "crime"
FILE = "crime_nominals_2025-26.csv"
ENCODING = "utf-8-sig"
DELIMITER = ","
HEADER = (
    "Nominal Ref",
    "Crime Ref",
    "Offence",
    "Committed Date",
    "Reported Date",
    "District",
    "Location",
    "Location Postcode",
    "MO",
    "Involvement",
    "Victim",
    "Suspect",
    "Witness",
    "Name",
    "DOB",
    "Age",
    "Sex",
    "Nationality",
    "Address",
    "Postcode",
    "Phone",
)
_FLAGS = {
    "victim": ("VICTIM", "Y", "", ""),
    "suspect": ("SUSPECT", "", "Y", ""),
    "witness": ("WITNESS", "", "", "Y"),
}
_MISSING_DOB = {"victim": 0.08, "suspect": 0.05, "witness": 0.25}
_BAD_DATES = ("31/02/2025", "30/02/2026", "31/04/2025", "32/01/2026", "29/02/2025")


def render(pen: Pen, events: list[Event], first_seq: int, out: CsvPart, rng: random.Random) -> None:
    """Write one crime nominal row per person of each crime in `events` (numbered on)."""
    faults = Faults(rng, first_seq == 1)
    vary, r = pen.vary, rng.random
    for seq, event in enumerate(events, start=first_seq):
        reported = min(event.day + timedelta(days=int(r() ** 3 * 20)), YEAR_END)
        crime_ref = f"CR/{reported.year}/{seq:06d}"
        place = event.place
        district = place.district if place else pen.person(event.people[0][0]).home.district
        location = vary.one_line(rng, place) if place else ""
        location_pc = vary.postcode(rng, place.postcode) if place and r() < 0.8 else ""
        story = pen.story(rng, "crime_mo", event)
        breaks = story.text.count("\n")
        head = [
            crime_ref,
            event.kind,
            dmy(event.day),
            dmy(reported),
            district,
            location,
            location_pc,
            story.text,
        ]
        for k, (pid, role) in enumerate(event.people, start=1):
            p = pen.home(rng, pen.person(pid))
            ref = f"{crime_ref}-N{k}"
            given, family = pen.names(rng, p)
            dob = pen.dob(rng, p, _MISSING_DOB[role])
            age = ""
            if dob is None and r() < 0.6:
                age = str(max(0, age_on(p.dob, event.day) + int(r() * 5) - 2))
            row = [
                ref,
                *head,
                *_FLAGS[role],
                f"{family.upper()}, {given}",
                dmy(dob) if dob else "",
                age,
                "" if r() < 0.02 else ("F" if p.sex == "female" else "M"),
                p.nationality if r() < 0.6 else "",
                vary.one_line(rng, p.home) if r() < 0.93 else ("NFA" if r() < 0.3 else ""),
                vary.postcode(rng, p.home.postcode) if r() < 0.88 else "",
                pen.phone(rng, p, 0.55),
            ]
            fault = ""
            if faults.due():
                if r() < 0.5:
                    row[3], fault = _BAD_DATES[int(r() * len(_BAD_DATES))], "impossible_date"
                else:
                    row[0], fault = "", "missing_record_id"
            line = out.write(row, breaks)
            if fault:
                pen.truth.fault(
                    SOURCE,
                    ref,
                    line,
                    "Committed Date" if fault == "impossible_date" else "Nominal Ref",
                    fault,
                )
            pen.truth.record(SOURCE, ref, p.pid)
            pen.truth.text(SOURCE, ref, "MO", story)
