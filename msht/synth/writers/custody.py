"""Custody records: CSV in Windows-1252 (accented names, £ in the notes).

Arrest time "yyyy-mm-dd HH:MM"; date of birth "d/m/yy" (the mapping's pivot reads 25 as
2025 and 26 as 1926); surname and forenames apart; sex M/F/U. One row per detention.
"""

from __future__ import annotations

import random

from msht.synth.appearances import Event
from msht.synth.catalogue import load
from msht.synth.writers.base import DOC_LABELS, CsvPart, Faults, Pen

SOURCE = "custody"
FILE = "custody_records.csv"
ENCODING = "cp1252"
DELIMITER = ","
HEADER = (
    "Custody No",
    "Arrest Date Time",
    "Surname",
    "Forenames",
    "DOB",
    "Sex",
    "Nationality",
    "Address Line 1",
    "Town",
    "Postcode",
    "Phone",
    "Offence",
    "Custody Suite",
    "Notes",
    "ID Type",
    "ID Number",
    "ID Country",
    "ID Not Detainee's",
)
_BAD_POSTCODES = ("{o} 4{a}", "{o} {d}{d}{a}", "{o}{d}")


def _bad_postcode(rng: random.Random, postcode: str) -> str:
    outward = postcode.split()[0]
    template = _BAD_POSTCODES[int(rng.random() * len(_BAD_POSTCODES))]
    return template.format(o=outward, a="T", d=str(1 + int(rng.random() * 8)))


def render(pen: Pen, events: list[Event], first_seq: int, out: CsvPart, rng: random.Random) -> None:
    """Write one custody row per detention in `events`, numbered from `first_seq`."""
    faults = Faults(rng, first_seq == 1)
    suites: dict[str, list[str]] = load("events")["custody_suites"]
    vary, r, world = pen.vary, rng.random, pen.world
    for seq, event in enumerate(events, start=first_seq):
        pid = event.people[0][0]
        p = pen.home(rng, pen.person(pid))
        division = (event.place or p.home).division
        suite = suites[division][int(r() * len(suites[division]))]
        ref = f"{suite[:2].upper()}/{seq:06d}/{event.day.year % 100:02d}"
        surname, forenames = pen.names(rng, p, middle=0.7)[::-1]
        dob = pen.dob(rng, p, 0.03)
        net = world.network_of(pid) if event.network else None
        story = pen.story(rng, "custody_notes", event, pid)
        doc = ["", "", "", ""]
        if net is not None and pid in net.controllers and net.documents and r() < 0.5:
            d = net.documents[int(r() * len(net.documents))]
            doc = [DOC_LABELS[d.doc_type], d.number, d.country, "Y"]
        elif r() < 0.2:
            doc = [*pen.own_document(p), "N"]
        sex = "U" if r() < 0.01 else ("F" if p.sex == "female" else "M")
        row = [
            ref,
            f"{event.day.isoformat()} {int(r() * 24):02d}:{int(r() * 60):02d}",
            surname.upper() if r() < 0.3 else surname,
            forenames,
            f"{dob.day}/{dob.month}/{dob.year % 100:02d}" if dob else "",
            sex,
            p.nationality if r() < 0.9 else "",
            vary.line1(rng, p.home) if r() < 0.95 else "NFA",
            p.home.town,
            vary.postcode(rng, p.home.postcode) if r() < 0.92 else "",
            pen.phone(rng, p, 0.6),
            event.kind,
            suite,
            story.text,
            *doc,
        ]
        fault = faults.due()
        if fault:
            row[9] = _bad_postcode(rng, p.home.postcode)
        line = out.write(row, story.text.count("\n"))
        if fault:
            pen.truth.fault(SOURCE, ref, line, "Postcode", "invalid_postcode")
        pen.truth.record(SOURCE, ref, p.pid)
        pen.truth.text(SOURCE, ref, "Notes", story)
