"""National Referral Mechanism referrals: one JSON document, `referrals` a list of objects.

Nested objects (`potential_victim.name.given`) are read as dotted columns; lists of
scalars (`potential_victim.languages`) are joined with ";". ISO dates; an age estimate
when the date of birth is not known.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from msht.synth.appearances import Event
from msht.synth.catalogue import load
from msht.synth.population import Person
from msht.synth.writers.base import Pen
from msht.synth.year import age_on

SOURCE = "nrm"
_DECISIONS = (
    ("pending", 40),
    ("positive_rg", 35),
    ("negative_rg", 5),
    ("positive_cg", 15),
    ("negative_cg", 5),
)


def _responder(rng: random.Random, kind: str, child: bool) -> tuple[str, str]:
    responders: dict[str, list[str]] = load("events")["first_responders"]
    x = rng.random()
    if child and x < 0.3:
        kind_of = "local_authority"
    elif x < 0.6:
        kind_of = "police"
    elif kind in ("farm", "cockle_picking", "factory", "car_wash", "construction") and x < 0.8:
        kind_of = "government"
    else:
        kind_of = "ngo" if x < 0.9 else "government"
    names = responders[kind_of]
    return names[int(rng.random() * len(names))], kind_of


_NO_ADDRESS = {"line1": None, "town": None, "postcode": None}


def _address(rng: random.Random, pen: Pen, p: Person) -> dict[str, str | None]:
    home = p.home
    return {
        "line1": pen.vary.line1(rng, home),
        "town": home.town,
        "postcode": pen.vary.postcode(rng, home.postcode),
    }


def write(pen: Pen, events: list[Event], folder: Path, rng: random.Random) -> int:
    """Write the NRM referrals file; return the number of referrals."""
    r, world = rng.random, pen.world
    referrals: list[dict[str, Any]] = []
    for seq, event in enumerate(events, start=1):
        pid = event.people[0][0]
        p = pen.person(pid)
        net = world.networks[event.network - 1]
        ref = f"NRM-{event.day.year}-{seq:05d}"
        given, family = pen.names(rng, p, middle=0.5)
        age = age_on(p.dob, event.day)
        dob = pen.dob(rng, p, 0.25 if p.nationality == "British" else 0.5)
        estimate = None if dob else max(12, age + int(r() * 7) - 3)
        under = "yes" if age < 18 else "no"
        if dob is None and estimate is not None and 16 <= estimate <= 19:
            under = "not_sure"
        organisation, responder_type = _responder(rng, net.kind.name, age < 18)
        story = pen.story(rng, "nrm_account", event, pid)
        decision = rng.choices([d for d, _ in _DECISIONS], [w for _, w in _DECISIONS])[0]
        referrals.append(
            {
                "referral_id": ref,
                "submitted": event.day.isoformat(),
                "first_responder": {"organisation": organisation, "type": responder_type},
                "potential_victim": {
                    "name": {"given": given, "family": family},
                    "dob": dob.isoformat() if dob else None,
                    "age_estimate": estimate,
                    "sex": p.sex,
                    "nationality": p.nationality,
                    "languages": list(p.languages),
                    "interpreter_needed": "English" not in p.languages,
                    "contact": {
                        "phone": pen.phone(rng, p, 0.5) or None,
                        "address": _address(rng, pen, p) if r() < 0.6 else _NO_ADDRESS,
                    },
                },
                "under_18": under,
                "exploitation": {
                    "type": net.etype,
                    "uk_location": net.premises.address.town,
                    "district": net.district,
                },
                "account": story.text,
                "decision": {"stage": decision, "date": None},
            }
        )
        pen.truth.record(SOURCE, ref, p.pid)
        pen.truth.text(SOURCE, ref, "account", story)
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"export": {"system": "NRM case extract", "force": "Kent"}, "referrals": referrals}
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    (folder / "nrm_referrals.json").write_text(text + "\n", encoding="utf-8")
    return len(referrals)
