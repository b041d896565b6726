"""Ordinary appearances: the crimes, arrests, intelligence and missing episodes of everyone.

These rows have nothing to do with exploitation; they make record linkage and indicator
finding a real task rather than a lookup of the planted few.
"""

from __future__ import annotations

import bisect
import itertools
import random
from datetime import timedelta

from msht.synth.appearances import Event, Plan
from msht.synth.appearances.sampling import Sampler
from msht.synth.catalogue import load, weights
from msht.synth.geography import Address
from msht.synth.world import World
from msht.synth.year import DAYS, YEAR_END, random_day

#: Offences committed at the victim's home.
_AT_HOME = frozenset(
    {
        "Burglary dwelling",
        "Harassment",
        "Stalking",
        "Malicious communications",
        "Domestic abuse - controlling or coercive behaviour",
        "Criminal damage",
    }
)
#: Offences with a business, not a person, as the victim.
_BUSINESS = frozenset({"Theft from shop", "Burglary other than dwelling"})


def _count(rng: random.Random, expected: float) -> int:
    """A whole number with the given expectation."""
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def _unique(pairs: list[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """The pairs with each person once (the first role drawn wins)."""
    if len(pairs) == 1 or len({pid for pid, _ in pairs}) == len(pairs):
        return tuple(pairs)
    seen: set[int] = set()
    out = []
    for pid, role in pairs:
        if pid not in seen:
            seen.add(pid)
            out.append((pid, role))
    return tuple(out)


class Ordinary:
    """Draws the ordinary events of every source for a world."""

    def __init__(self, world: World, sampler: Sampler) -> None:
        self.world = world
        self.sampler = sampler
        self.rates = {k: float(v) for k, v in load("appearances").items()}
        offences, offence_weights = weights(load("events")["offences"])
        self.offences = offences
        self.offence_cum = tuple(itertools.accumulate(offence_weights))
        self.shops = [
            p.index for p in world.premises if p.sector == "mini_market" and p.network < 0
        ] or [0]
        self.sites = [p.index for p in world.premises if p.network < 0] or [0]

    def offence(self, rng: random.Random) -> str:
        """An ordinary offence, weighted by how often it is recorded."""
        return self.offences[bisect.bisect(self.offence_cum, rng.random() * self.offence_cum[-1])]

    def plan(self, rng: random.Random, plan: Plan) -> None:
        """Add the ordinary events of every source to `plan`."""
        size = len(self.world.people)
        crimes = self.crimes(rng, _count(rng, self.rates["crime_events"] * size))
        plan["crime"].extend(crimes)
        plan["custody"].extend(self.arrests(rng, crimes, _count(rng, self.rates["arrests"] * size)))
        plan["intel"].extend(self.intel(rng, _count(rng, self.rates["intel_logs"] * size)))
        plan["missing"].extend(
            self.missing(rng, _count(rng, self.rates["missing_episodes"] * size))
        )
        plan["partner"].extend(self.visits(rng))
        plan["public"].extend(self.public(rng, _count(rng, self.rates["public_reports"] * size)))

    def crimes(self, rng: random.Random, n: int) -> list[Event]:
        """Crimes with their victims, suspects and witnesses."""
        r = rng.random
        victims = self.sampler.anyone(rng, n * 2)
        suspects = self.sampler.active(rng, n * 2)
        witnesses = self.sampler.anyone(rng, n * 2)
        offences = rng.choices(self.offences, cum_weights=self.offence_cum, k=n)
        people, premises_all = self.world.people, self.world.premises
        shops, sites, days = self.shops, self.sites, DAYS
        out = []
        for i in range(n):
            offence = offences[i]
            pairs: list[tuple[int, str]] = []
            business = offence in _BUSINESS
            if not business:
                pairs.append((victims[2 * i], "victim"))
                if r() < 0.15:
                    pairs.append((victims[2 * i + 1], "victim"))
            x = r()
            if x < 0.65:
                pairs.append((suspects[2 * i], "suspect"))
                if x < 0.15:
                    pairs.append((suspects[2 * i + 1], "suspect"))
            x = r()
            if x < 0.45:
                pairs.append((witnesses[2 * i], "witness"))
                if x < 0.1:
                    pairs.append((witnesses[2 * i + 1], "witness"))
            if not pairs:
                continue
            place: Address | None
            if not business and offence in _AT_HOME:
                place, premises = people[pairs[0][0] - 1].home, 0
            else:
                pool = shops if business else sites
                premises = pool[int(r() * len(pool))]
                place = premises_all[premises - 1].address if premises else None
            day = days[int(r() * len(days))]
            out.append(Event(day, _unique(pairs), offence, 0, premises, place))
        return out

    def arrests(self, rng: random.Random, crimes: list[Event], n: int) -> list[Event]:
        """Custody records: suspects of recorded crimes, and others."""
        out = []
        share = self.rates["arrested_suspect_share"]
        suspects = [(e, pid) for e in crimes for pid, role in e.people if role == "suspect"]
        rng.shuffle(suspects)
        for event, pid in suspects[: int(n * share)]:
            day = min(event.day + timedelta(days=int(rng.random() * 30)), YEAR_END)
            out.append(Event(day, ((pid, "subject"),), event.kind))
        for pid in self.sampler.active(rng, max(0, n - len(out))):
            out.append(Event(random_day(rng), ((pid, "subject"),), self.offence(rng)))
        return out

    def intel(self, rng: random.Random, n: int) -> list[Event]:
        """Intelligence logs naming one to three subjects (often of one household)."""
        people = self.world.people
        subjects = self.sampler.active(rng, n * 3)
        households: dict[int, list[int]] = {}
        out = []
        for i in range(n):
            first = subjects[3 * i]
            pairs = [(first, "subject")]
            for j in (1, 2):
                if rng.random() < (0.45 if j == 1 else 0.15):
                    other = subjects[3 * i + j]
                    if rng.random() < 0.4:
                        house = households.setdefault(people[first - 1].household, [])
                        if not house:
                            house.extend(
                                p.pid
                                for p in people[max(0, first - 6) : first + 5]
                                if p.household == people[first - 1].household
                            )
                        other = house[int(rng.random() * len(house))]
                    pairs.append((other, "subject"))
            out.append(Event(random_day(rng), _unique(pairs), "intel"))
        return out

    def missing(self, rng: random.Random, n: int) -> list[Event]:
        """Missing-person episodes; some children go missing again and again."""
        out: list[Event] = []
        for pid in self.sampler.missing(rng, n):
            repeats = 1 + (
                int(rng.random() * 4) if self.sampler.age(pid) < 18 and rng.random() < 0.3 else 0
            )
            for _ in range(repeats):
                out.append(Event(random_day(rng), ((pid, "subject"),), "missing"))
                if len(out) >= n:
                    return out
        return out

    def visits(self, rng: random.Random) -> list[Event]:
        """Partner-agency visits to ordinary premises, naming the workers spoken to."""
        out = []
        rate = self.rates["visits_per_premises"]
        for premises in self.world.premises:
            staff = self.world.workers.get(premises.index, ())
            if premises.network >= 0 or not staff:
                continue
            for _ in range(_count(rng, rate * rng.random() * 2)):
                k = 1 + int(rng.random() * min(8, len(staff)))
                met = rng.sample(staff, k)
                out.append(
                    Event(
                        random_day(rng),
                        tuple((pid, "subject") for pid in met),
                        "visit",
                        0,
                        premises.index,
                        premises.address,
                    )
                )
        return out

    def public(self, rng: random.Random, n: int) -> list[Event]:
        """Public reports: about premises, about a named person, or vague."""
        out = []
        concerned = self.sampler.active(rng, n)
        for i in range(n):
            r = rng.random()
            premises = self.sites[int(rng.random() * len(self.sites))] if r < 0.4 else 0
            pairs = ((concerned[i], "concern"),) if 0.35 < r < 0.8 else ()
            place = self.world.premises[premises - 1].address if premises else None
            out.append(Event(random_day(rng), pairs, "public", 0, premises, place))
        return out
