"""MS1 Duty to Notify: anonymous notifications, JSON lines.

No person at all: no name, date of birth, phone or address (MSA 2015 s.52(3)); only an
age band, sex, nationality, exploitation type, the town and an account without names.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from msht.synth.appearances import Event
from msht.synth.writers.base import Pen
from msht.synth.year import age_band, age_on

SOURCE = "ms1"
_ORGS = (
    "Kent Police",
    "Kent Police",
    "Kent Police",
    "GLAA",
    "Immigration Enforcement",
    "Border Force",
    "Kent County Council",
    "Medway Council",
)


def write(pen: Pen, events: list[Event], folder: Path, rng: random.Random) -> int:
    """Write the MS1 notifications; return the number of lines."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for seq, event in enumerate(events, start=1):
        pid = event.people[0][0]
        p = pen.person(pid)
        net = pen.world.networks[event.network - 1]
        ref = f"DTN-{event.day.year}-{seq:05d}"
        story = pen.story(rng, "ms1_account", event, pid)
        band = age_band(age_on(p.dob, event.day))
        record = {
            "notification_id": ref,
            "date": event.day.isoformat(),
            "notifying_org": _ORGS[int(rng.random() * len(_ORGS))],
            "age_band": "unknown" if band == "under_18" or rng.random() < 0.08 else band,
            "sex": p.sex if rng.random() < 0.97 else "unknown",
            "nationality": p.nationality if rng.random() < 0.9 else "",
            "exploitation_type": net.etype,
            "location": net.premises.address.town,
            "division": net.division,
            "account": story.text,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
        pen.truth.ms1.append((ref, net.network_id, p.person_id))
        pen.truth.text(SOURCE, ref, "account", story)
    (folder / "ms1_notifications.jsonl").write_text(
        "".join(line + "\n" for line in lines), encoding="utf-8"
    )
    return len(lines)
