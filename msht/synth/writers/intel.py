"""Intelligence log: XLSX, one row per subject mentioned in a log entry.

The report date is a real Excel date cell; dates of birth are date cells or text typed as
d/m/yy. The 3x5x2 grading is in three columns (source evaluation 1/2/3, intelligence
assessment A-E, handling code P/C) beside the security marking. An identity document seen
with a subject (a controller holding other people's passports) has its own columns.
"""

from __future__ import annotations

import random
from pathlib import Path

from msht.synth.appearances import Event
from msht.synth.writers.base import DOC_LABELS, Pen, vrm_text
from msht.synth.writers.xlsx import Cell, XlsxOut

SOURCE = "intel"
SHEET = "Intel Log"
HEADER = (
    "Subject Ref",
    "Log Ref",
    "Date",
    "Source Eval",
    "Intel Assessment",
    "Handling Code",
    "Marking",
    "District",
    "Intelligence",
    "Forename",
    "Surname",
    "DOB",
    "Address 1",
    "Address 2",
    "Town",
    "Postcode",
    "VRM",
    "Phone",
    "Premises",
    "Premises Type",
    "Doc Type",
    "Doc Number",
    "Doc Country",
    "Doc Held By Other",
)
_SECTOR_LABELS = {
    "hand_car_wash": "Hand car wash",
    "nail_bar": "Nail bar",
    "hotel": "Hotel",
    "massage_parlour": "Massage parlour",
    "takeaway": "Takeaway",
    "mini_market": "Mini-market",
    "agricultural": "Farm / agricultural",
    "shellfish": "Cockle beach / shellfish",
    "construction": "Construction",
    "factory": "Factory",
    "residential": "Residential",
    "cannabis_grow": "Cannabis grow (suspected)",
    "other": "Other",
}
_MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL SENSITIVE", "OFFICIAL", "SECRET")


def _grading(rng: random.Random) -> tuple[int, str, str, str]:
    r = rng.random
    x = r()
    source = 1 if x < 0.25 else 2 if x < 0.85 else 3
    x = r()
    assess = "A" if x < 0.15 else "B" if x < 0.5 else "C" if x < 0.85 else "D" if x < 0.97 else "E"
    x = r()
    marking = _MARKINGS[0 if x < 0.62 else 1 if x < 0.7 else 2 if x < 0.985 else 3]
    return source, assess, "P" if r() < 0.85 else "C", marking


def write(pen: Pen, events: list[Event], folder: Path, rng: random.Random) -> int:
    """Write the intelligence log workbook; return the number of subject rows."""
    out = XlsxOut(folder / "intelligence_log_2025-26.xlsx", SHEET, HEADER)
    vary, r, world = pen.vary, rng.random, pen.world
    for seq, event in enumerate(events, start=1):
        log_ref = f"IR/{event.day.year}/{seq:06d}"
        source, assess, handling, marking = _grading(rng)
        story = pen.story(rng, "intel", event)
        net = world.networks[event.network - 1] if event.network else None
        premises = world.premises[event.premises - 1] if event.premises and r() < 0.8 else None
        for k, (pid, _role) in enumerate(event.people, start=1):
            p = pen.home(rng, pen.person(pid))
            ref = f"{log_ref}-S{k}"
            forename, surname = pen.names(rng, p, middle=0.2)
            dob = pen.dob(rng, p, 0.2)
            dob_cell: Cell = dob
            if dob is not None and r() < 0.2:
                dob_cell = f"{dob.day}/{dob.month}/{dob.year % 100:02d}"
            boss = net if net is not None and pid in net.controllers else None
            vrm = boss.vrm if boss and r() < 0.6 else p.vrm if r() < 0.35 else ""
            phone = vary.phone(rng, boss.phone) if boss and r() < 0.5 else pen.phone(rng, p, 0.45)
            doc = _document(rng, pen, pid, boss is not None)
            home = p.home
            row: list[Cell] = [
                ref,
                log_ref,
                event.day,
                source,
                assess,
                handling,
                marking,
                (event.place or home).district,
                story.text,
                forename,
                surname,
                dob_cell,
                vary.line1(rng, home) if r() < 0.85 else "",
                home.district if r() < 0.1 else "",
                home.town if r() < 0.9 else "",
                vary.postcode(rng, home.postcode) if r() < 0.85 else "",
                vrm_text(rng, vrm) if vrm else "",
                phone,
                premises.name if premises else "",
                _SECTOR_LABELS[premises.sector] if premises else "",
                *doc,
            ]
            out.write(row)
            pen.truth.record(SOURCE, ref, p.pid)
            pen.truth.text(SOURCE, ref, "Intelligence", story)
    out.close()
    return out.rows


def _document(rng: random.Random, pen: Pen, pid: int, boss: bool) -> list[Cell]:
    """Document columns: another person's papers held by a controller, or one's own."""
    if boss:
        held = [
            d
            for net in pen.world.networks
            if pid in net.controllers
            for d in net.documents
            if d.held_by == pid
        ]
        if held and rng.random() < 0.4:
            d = held[int(rng.random() * len(held))]
            return [DOC_LABELS[d.doc_type], d.number, d.country, "Y"]
    if rng.random() < 0.03:
        return [*pen.own_document(pen.person(pid)), "N"]
    return ["", "", "", ""]
