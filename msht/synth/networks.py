"""Plan the planted exploitation networks so that their victims match the Kent figures.

Planning is abstract (kinds, sizes, divisions, each victim's nationality, sex and age);
`network_build` later turns each plan into people, premises, a vehicle and a phone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from msht.synth.calibration import apportion, targets
from msht.synth.catalogue import load
from msht.synth.geography import Geography

#: Planted victims at the default population of 20,000 (Kent: 379 in a year).
VICTIMS_PER_20000 = 380


@dataclass(frozen=True)
class Kind:
    """A kind of network (car wash, county line…) as described in networks.yaml."""

    name: str
    etype: str
    sector: str
    share: float
    size: tuple[int, int]
    child: float
    ages: tuple[int, int]
    male: float
    vehicle: str
    nationalities: dict[str, float]
    controller_nationality: dict[str, float]


@dataclass(frozen=True)
class Slot:
    """One planned victim: nationality, sex and age on the reference day."""

    nationality: str
    sex: str
    age: int


@dataclass(frozen=True)
class NetworkPlan:
    """One planned network: where it operates and whom it exploits."""

    index: int
    kind: Kind
    division: str
    district: str
    slots: tuple[Slot, ...]
    controllers: int


def kinds() -> dict[str, Kind]:
    """Network kinds from the data file, in file order."""
    out = {}
    for name, raw in load("networks").items():
        if name == "targets":
            continue
        out[name] = _kind(name, raw)
    return out


def _kind(name: str, raw: dict[str, Any]) -> Kind:
    return Kind(
        name=name,
        etype=str(raw["type"]),
        sector=str(raw["sector"]),
        share=float(raw["share"]),
        size=(int(raw["size"][0]), int(raw["size"][1])),
        child=float(raw["child"]),
        ages=(int(raw["ages"][0]), int(raw["ages"][1])),
        male=float(raw["male"]),
        vehicle=str(raw["vehicle"]),
        nationalities={str(k): float(v) for k, v in raw["nationalities"].items()},
        controller_nationality={
            str(k): float(v) for k, v in (raw.get("controller_nationality") or {}).items()
        },
    )


def victim_total(people: int) -> int:
    """Planted victims for a population: 380 per 20,000, scaled linearly."""
    return max(1, round(VICTIMS_PER_20000 * people / 20_000))


def _type_counts(total: int) -> dict[str, int]:
    raw = load("networks")["targets"]
    servitude = round(total * float(raw["domestic_servitude_share"]))
    counts = apportion(total - servitude, targets()["exploitation_type"])
    counts["domestic_servitude"] = servitude
    return counts


def _sizes(rng: random.Random, all_kinds: dict[str, Kind], total: int) -> list[tuple[Kind, int]]:
    sizes: list[tuple[Kind, int]] = []
    for etype, count in _type_counts(total).items():
        members = {k: v.share for k, v in all_kinds.items() if v.etype == etype}
        for name, kind_count in apportion(count, members).items():
            left = kind_count
            while left > 0:
                size = min(left, rng.randint(*all_kinds[name].size))
                sizes.append((all_kinds[name], size))
                left -= size
    return sizes


def _divisions(geo: Geography, sizes: list[tuple[Kind, int]], total: int) -> list[str]:
    """Give each network a division, biggest first, to the division furthest below target."""
    goal = targets()["division"]
    whole = sum(goal.values())
    assigned = dict.fromkeys(goal, 0)
    out = [""] * len(sizes)
    order = sorted(range(len(sizes)), key=lambda i: -sizes[i][1])
    for i in order:
        kind, size = sizes[i]
        allowed = [
            d
            for d in goal
            if kind.sector != "shellfish" or any(x in geo.coastal for x in geo.divisions[d])
        ]
        best = max(allowed, key=lambda d: goal[d] / whole * total - assigned[d])
        assigned[best] += size
        out[i] = best
    return out


def _quotas(total: int) -> dict[str, int]:
    raw = load("networks")["targets"]
    top = apportion(total, targets()["nationality"])
    other = {str(k): float(v) for k, v in raw["other_nationalities"].items()}
    quotas = {k: v for k, v in top.items() if k != "other"}
    quotas.update(apportion(top["other"], other))
    return quotas


def _nationalities(
    rng: random.Random, sizes: list[tuple[Kind, int]], total: int
) -> list[list[str]]:
    """Each victim's nationality: kinds' affinities, bent so the quotas come out exactly."""
    quotas = _quotas(total)
    demand = dict.fromkeys(quotas, 0.0)
    for kind, size in sizes:
        whole = sum(kind.nationalities.values())
        for nat, w in kind.nationalities.items():
            if nat in demand:
                demand[nat] += size * w / whole
    factor = {n: quotas[n] / demand[n] if demand[n] else 0.0 for n in quotas}
    left = dict(quotas)
    out: list[list[str]] = [[] for _ in sizes]

    def pick(kind: Kind) -> str:
        names = [n for n in left if left[n] > 0]
        scores = [kind.nationalities.get(n, 0.0) * factor[n] * left[n] / quotas[n] for n in names]
        if sum(scores) <= 0:
            scores = [float(left[n]) for n in names]
        return rng.choices(names, scores)[0]

    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i][1]):
        kind, size = sizes[i]
        primary = pick(kind)
        for _ in range(size):
            nat = primary if left[primary] > 0 and rng.random() < 0.8 else pick(kind)
            left[nat] -= 1
            out[i].append(nat)
    return out


def _slot(rng: random.Random, kind: Kind, nationality: str) -> Slot:
    sex = "male" if rng.random() < kind.male else "female"
    if rng.random() < kind.child:
        low = 12 if kind.name in ("forced_shoplifting", "child_sexual_exploitation") else 14
        age = rng.randint(low, 17)
    else:
        age = rng.randint(*kind.ages)
    return Slot(nationality, sex, age)


def plan_networks(rng: random.Random, geo: Geography, people: int) -> list[NetworkPlan]:
    """Plan every planted network for a population of `people`."""
    total = victim_total(people)
    sizes = _sizes(rng, kinds(), total)
    divisions = _divisions(geo, sizes, total)
    nationalities = _nationalities(rng, sizes, total)
    plans = []
    for i, ((kind, size), division) in enumerate(zip(sizes, divisions, strict=True)):
        coastal = kind.sector == "shellfish"
        district = geo.random_district(rng, division, coastal=coastal)
        slots = tuple(_slot(rng, kind, nat) for nat in nationalities[i])
        top = 1 if size <= 2 else 2 if size <= 5 else 3
        plans.append(NetworkPlan(i + 1, kind, division, district, slots, rng.randint(1, top)))
    return plans
