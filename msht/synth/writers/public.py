"""Public reports (web form, phone, Crimestoppers, helpline): JSON lines.

Free text and a location as the reporter wrote it, an optional postcode, and optionally a
person of concern (often a first name only), a vehicle and a phone number.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, time
from pathlib import Path

from msht.synth.appearances import Event
from msht.synth.catalogue import load
from msht.synth.population import Person
from msht.synth.writers.base import Pen, vrm_text

SOURCE = "public"


def write(pen: Pen, events: list[Event], folder: Path, rng: random.Random) -> int:
    """Write the public reports; return the number of lines."""
    folder.mkdir(parents=True, exist_ok=True)
    channels: dict[str, int] = load("events")["public_channels"]
    names, weights = list(channels), list(channels.values())
    vary, r, world = pen.vary, rng.random, pen.world
    lines = []
    for seq, event in enumerate(events, start=1):
        ref = f"PR-{event.day.year % 100:02d}-{seq:06d}"
        net = world.networks[event.network - 1] if event.network else None
        premises = world.premises[event.premises - 1] if event.premises else None
        when = datetime.combine(event.day, time(int(r() * 24), int(r() * 60)))
        story = pen.story(rng, "public_report", event)
        place = event.place
        where, postcode = "", ""
        if premises is not None:
            where = (
                f"{premises.name}, {premises.address.town}"
                if r() < 0.5
                else f"near {vary.street(rng, premises.address)}, {premises.address.town}"
            )
        elif event.people:
            home = pen.person(event.people[0][0]).home
            where = f"{vary.street(rng, home)}, {home.town}"
            place = home
        if place is not None and r() < 0.45:
            postcode = vary.postcode(rng, place.postcode)
        concern, vehicle, phone = None, None, None
        if event.people:
            p = pen.person(event.people[0][0])
            concern = _name(rng, pen, p)
            if net and r() < 0.4:
                vehicle = vrm_text(rng, net.vrm)
            elif p.vrm and r() < 0.3:
                vehicle = vrm_text(rng, p.vrm)
            if net and p.pid in net.controllers and r() < 0.3:
                phone = vary.phone(rng, net.phone)
            elif p.phone and r() < 0.1:
                phone = vary.phone(rng, p.phone)
            pen.truth.record(SOURCE, ref, p.pid)
        elif net and r() < 0.3:
            vehicle = vrm_text(rng, net.vrm)
        record = {
            "report_id": ref,
            "received": when.isoformat(),
            "channel": rng.choices(names, weights)[0],
            "what_happened": story.text,
            "where": where or None,
            "postcode": postcode or None,
            "person_of_concern": concern,
            "vehicle": vehicle,
            "phone_number": phone,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
        pen.truth.text(SOURCE, ref, "what_happened", story)
    (folder / "public_reports.jsonl").write_text(
        "".join(line + "\n" for line in lines), encoding="utf-8"
    )
    return len(lines)


def _name(rng: random.Random, pen: Pen, p: Person) -> str:
    """How a member of the public names someone: often a first name, sometimes in full."""
    given, family = pen.names(rng, p, middle=0.0)
    x = rng.random()
    if x < 0.55:
        return f"{given} {family}"
    if x < 0.85:
        return given
    return f"{given} {family[:1]}"
