"""Planted appearances: where each network's victims and controllers leave traces.

Victims turn up in NRM referrals (or anonymous MS1 notifications), partner visits, intel,
custody (criminal exploitation victims are arrested), missing episodes (children), crime
and public reports; controllers in intel, crime (as suspects), custody and public reports.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from msht.synth.appearances import Event, Plan
from msht.synth.appearances.sampling import Sampler
from msht.synth.catalogue import load
from msht.synth.network_build import Network
from msht.synth.year import YEAR_END, YEAR_START

#: Sectors a partner agency visits (a business, not a private house).
_VISITED = frozenset(
    {
        "hand_car_wash",
        "agricultural",
        "shellfish",
        "construction",
        "factory",
        "massage_parlour",
        "nail_bar",
    }
)
#: Kinds the public notices and reports.
_NOTICED = frozenset(
    {
        "car_wash",
        "farm",
        "cockle_picking",
        "construction",
        "brothel",
        "massage_parlour",
        "nail_bar",
        "county_lines",
        "cannabis_grow",
        "forced_begging",
    }
)
#: Chance that a victim of the kind is arrested, and the most arrests per victim.
_ARRESTED = {
    "county_lines": (0.6, 2),
    "cannabis_grow": (0.7, 1),
    "forced_shoplifting": (0.8, 3),
    "forced_begging": (0.3, 2),
    "brothel": (0.08, 1),
    "car_wash": (0.05, 1),
}


def _between(rng: random.Random, start: date, end: date) -> date:
    start, end = max(start, YEAR_START), min(end, YEAR_END)
    if end <= start:
        return start
    return start + timedelta(days=int(rng.random() * ((end - start).days + 1)))


def _event(net: Network, day: date, people: tuple[tuple[int, str], ...], kind: str) -> Event:
    return Event(day, people, kind, net.index, net.premises.index, net.premises.address)


class Planted:
    """Draws the events of every planted network."""

    def __init__(self, sampler: Sampler) -> None:
        self.sampler = sampler
        events = load("events")
        self.offences: dict[str, list[str]] = events["network_offences"]
        self.arrest_offences: dict[str, list[str]] = events["victim_arrests"]

    def plan(self, rng: random.Random, networks: list[Network], plan: Plan) -> None:
        """Add the events of every network to `plan`."""
        for net in networks:
            self.network(rng, net, plan)

    def network(self, rng: random.Random, net: Network, plan: Plan) -> None:
        """Every event one network leaves in the sources."""
        r = rng.random
        kind, found = net.kind.name, net.discovered
        victims, bosses = net.victims, net.controllers
        for _ in range(2 + int(r() * 4) + len(victims) // 4):
            pairs = [(b, "subject") for b in bosses if r() < 0.55]
            pairs += [(v, "subject") for v in victims if r() < 1.5 / len(victims)]
            if not pairs:
                pairs = [(bosses[0], "subject")]
            plan["intel"].append(
                _event(
                    net,
                    _between(rng, YEAR_START, found + timedelta(days=60)),
                    tuple(pairs),
                    "intel",
                )
            )
        if kind in _NOTICED:
            for _ in range(int(r() * 4)):
                x = r()
                who = (
                    ((bosses[int(r() * len(bosses))], "concern"),)
                    if x < 0.5
                    else ((victims[int(r() * len(victims))], "concern"),)
                    if x < 0.7
                    else ()
                )
                plan["public"].append(_event(net, _between(rng, YEAR_START, found), who, "public"))
        if net.premises.sector in _VISITED:
            for _ in range(1 + int(r() * 2.5)):
                met = [(v, "subject") for v in victims if r() < 0.6] or [(victims[0], "subject")]
                if r() < 0.25:
                    met.append((bosses[0], "subject"))
                plan["partner"].append(
                    _event(net, _between(rng, YEAR_START, YEAR_END), tuple(met), "visit")
                )
        self._crime(rng, net, plan)
        self._custody(rng, net, plan)
        self._victims(rng, net, plan)

    def _crime(self, rng: random.Random, net: Network, plan: Plan) -> None:
        r = rng.random
        offences = self.offences[net.kind.name]
        if r() < 0.8:
            pairs = [(b, "suspect") for b in net.controllers]
            pairs += [(v, "victim") for v in net.victims[:8] if r() < 0.8]
            day = _between(rng, net.discovered, net.discovered + timedelta(days=10))
            plan["crime"].append(_event(net, day, tuple(pairs), offences[0]))
        if r() < 0.25:
            pairs = [
                (net.victims[int(r() * len(net.victims))], "victim"),
                (net.controllers[0], "suspect"),
            ]
            day = _between(rng, YEAR_START, net.discovered)
            plan["crime"].append(
                _event(net, day, tuple(pairs), "Assault occasioning actual bodily harm")
            )
        own = self.arrest_offences.get(net.kind.name)
        if own and net.etype == "criminal":
            for v in net.victims:
                if r() < 0.5:
                    day = _between(rng, YEAR_START, YEAR_END)
                    plan["crime"].append(_event(net, day, ((v, "suspect"),), own[0]))

    def _custody(self, rng: random.Random, net: Network, plan: Plan) -> None:
        r = rng.random
        offence = self.offences[net.kind.name][0]
        for b in net.controllers:
            if r() < 0.5:
                day = _between(rng, net.discovered, net.discovered + timedelta(days=5))
                plan["custody"].append(_event(net, day, ((b, "subject"),), offence))
        chance, most = _ARRESTED.get(net.kind.name, (0.0, 0))
        own = self.arrest_offences.get(net.kind.name, [offence])
        for v in net.victims:
            if r() < chance:
                for _ in range(1 + int(r() * most)):
                    day = _between(rng, YEAR_START, YEAR_END)
                    plan["custody"].append(_event(net, day, ((v, "subject"),), rng.choice(own)))

    def _victims(self, rng: random.Random, net: Network, plan: Plan) -> None:
        r = rng.random
        for v in net.victims:
            child = self.sampler.age(v) < 18
            if child:
                low, high = {"county_lines": (2, 6), "child_sexual_exploitation": (1, 4)}.get(
                    net.kind.name, (0, 2)
                )
                for _ in range(low + int(r() * (high - low + 1))):
                    day = _between(rng, YEAR_START, YEAR_END)
                    plan["missing"].append(_event(net, day, ((v, "subject"),), "missing"))
            elif r() < 0.05:
                plan["missing"].append(
                    _event(
                        net, _between(rng, YEAR_START, net.discovered), ((v, "subject"),), "missing"
                    )
                )
            x = r()
            day = _between(rng, net.discovered, net.discovered + timedelta(days=40))
            if (child and x < 0.95) or (not child and x < 0.68):
                plan["nrm"].append(_event(net, day, ((v, "victim"),), "nrm"))
            elif not child and x < 0.88:
                plan["ms1"].append(_event(net, day, ((v, "victim"),), "ms1"))
