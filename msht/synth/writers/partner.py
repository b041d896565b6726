"""Partner-agency visit forms (GLAA, local authority, Border Force, KEICA, fire & rescue…).

CSV with semicolons, one row per worker engaged at a visit (`V-2025-0312-W3`). Visit dates
like "14-Sep-2025"; the worker's name in one column ("Forename Surname"); a date of birth
or, when the worker would not give one, an approximate age in `Worker Age`.
"""

from __future__ import annotations

import random

from msht.synth.appearances import Event
from msht.synth.catalogue import load
from msht.synth.writers.base import DOC_LABELS, MONTHS, CsvPart, Faults, Pen, dmy, vrm_text
from msht.synth.year import age_on

SOURCE = "partner"
FILE = "partner_visits.csv"
ENCODING = "utf-8"
DELIMITER = ";"
HEADER = (
    "Worker Ref",
    "Visit Ref",
    "Visit Date",
    "Agency",
    "Business Name",
    "Business Type",
    "Business Address",
    "Business Postcode",
    "Workers Spoken To",
    "Concerns",
    "Findings",
    "Worker Name",
    "Worker DOB",
    "Worker Age",
    "Worker Nationality",
    "Worker Phone",
    "Vehicle Seen",
    "ID Type",
    "ID Number",
    "ID Country",
    "ID Held By Employer",
)
_VAGUE = ("several", "approx 6", "lots", "unknown", "5 or 6")


def render(pen: Pen, events: list[Event], first_seq: int, out: CsvPart, rng: random.Random) -> None:
    """Write one row per worker engaged at each visit in `events` (numbered on)."""
    faults = Faults(rng, first_seq == 1)
    data = load("events")
    agencies: dict[str, dict[str, int]] = data["agencies"]
    labels = load("premises")["labels"]
    vary, r, world = pen.vary, rng.random, pen.world
    for seq, event in enumerate(events, start=first_seq):
        premises = world.premises[event.premises - 1]
        net = world.networks[event.network - 1] if event.network else None
        visit = f"V-{event.day.year}-{seq:04d}"
        table = agencies.get(premises.sector, agencies["other"])
        agency = rng.choices(list(table), list(table.values()))[0]
        kind_labels = labels[premises.sector]
        business = [
            premises.name,
            kind_labels[int(r() * len(kind_labels))],
            vary.line1(rng, premises.address) + f", {premises.address.town}",
            vary.postcode(rng, premises.address.postcode),
        ]
        day = f"{event.day.day:02d}-{MONTHS[event.day.month - 1]}-{event.day.year}"
        spoken = str(len(event.people) + int(r() * 4))
        concerns = "Yes" if (r() < 0.8 if net else r() < 0.05) else "No"
        for k, (pid, _role) in enumerate(event.people, start=1):
            p = pen.person(pid)
            ref = f"{visit}-W{k}"
            given, family = pen.names(rng, p, middle=0.1)
            dob = pen.dob(rng, p, 0.45)
            age = ""
            if dob is None and r() < 0.75:
                age = str(max(14, age_on(p.dob, event.day) + int(r() * 9) - 4))
            story = pen.story(rng, "partner_findings", event, pid)
            vrm = net.vrm if net and r() < 0.4 else p.vrm if p.vrm and r() < 0.1 else ""
            row = [
                ref,
                visit,
                day,
                agency,
                *business,
                spoken,
                concerns,
                story.text,
                f"{given} {family}",
                dmy(dob) if dob else "",
                age,
                p.nationality if r() < 0.8 else "",
                pen.phone(rng, p, 0.5),
                vrm_text(rng, vrm) if vrm else "",
                *_document(rng, pen, pid, net is not None),
            ]
            fault = faults.due()
            if fault:
                row[8] = _VAGUE[int(r() * len(_VAGUE))]
            line = out.write(row, story.text.count("\n"))
            if fault:
                pen.truth.fault(SOURCE, ref, line, "Workers Spoken To", "text_in_numeric")
            pen.truth.record(SOURCE, ref, p.pid)
            pen.truth.text(SOURCE, ref, "Findings", story)


def _document(rng: random.Random, pen: Pen, pid: int, planted: bool) -> list[str]:
    """The worker's identity document if seen, and whether the employer held it."""
    held = pen.world.documents.get(pid)
    if planted and held is not None and rng.random() < 0.5:
        return [DOC_LABELS[held.doc_type], held.number, held.country, "Yes"]
    if rng.random() < 0.12:
        return [*pen.own_document(pen.person(pid)), "No"]
    return ["", "", "", ""]
