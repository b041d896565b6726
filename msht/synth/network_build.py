"""Turn network plans into people, premises, a shared house, a vehicle, a phone, documents."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from msht.synth.geography import Address
from msht.synth.identifiers import document_number
from msht.synth.networks import Kind, NetworkPlan, Slot
from msht.synth.population import People, Person
from msht.synth.premises import Premises, PremisesBook
from msht.synth.year import REFERENCE_DAY, YEAR_START, age_on

#: Kinds whose premises are the shared house itself.
_AT_HOUSE = frozenset({"residential", "cannabis_grow"})
#: Kinds whose victims are local people (British victims are drawn from the population).
_LOCAL = "British"
#: EU passport holders sometimes carry a national identity card instead.
_ID_CARD = frozenset({"Romanian", "Polish", "Lithuanian", "Bulgarian", "Slovak", "Czech"})


@dataclass(frozen=True)
class Document:
    """An identity document of a victim, held by a controller."""

    number: str
    doc_type: str
    country: str
    holder: int
    held_by: int


@dataclass(frozen=True)
class Network:
    """A planted network with everything the sources can mention about it."""

    index: int
    kind: Kind
    division: str
    district: str
    premises: Premises
    house: Address
    vrm: str
    phone: str
    controllers: tuple[int, ...]
    victims: tuple[int, ...]
    documents: tuple[Document, ...]
    discovered: date

    @property
    def network_id(self) -> str:
        """The ground-truth id, e.g. "N0042"."""
        return f"N{self.index:04d}"

    @property
    def etype(self) -> str:
        """Exploitation type."""
        return self.kind.etype


class LocalPool:
    """British residents who may become victims, by (division, sex, age)."""

    def __init__(self, people: list[Person]) -> None:
        self.by_key: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        self.by_sex_age: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.taken: set[int] = set()
        for p in people:
            if p.nationality == _LOCAL:
                age = age_on(p.dob, REFERENCE_DAY)
                self.by_key[(p.home.division, p.sex, age)].append(p.pid)
                self.by_sex_age[(p.sex, age)].append(p.pid)

    def take(self, rng: random.Random, division: str, slot: Slot) -> int:
        """A local person matching the slot (nearby ages if need be), or 0."""
        for spread in (0, 1, 2):
            for age in sorted({slot.age - spread, slot.age + spread}):
                for pool in (
                    self.by_key.get((division, slot.sex, age)),
                    self.by_sex_age.get((slot.sex, age)),
                ):
                    pid = self._draw(rng, pool or [])
                    if pid:
                        return pid
        return 0

    def _draw(self, rng: random.Random, pool: list[int]) -> int:
        for _ in range(4):
            if not pool:
                return 0
            i = int(rng.random() * len(pool))
            pid = pool[i]
            pool[i] = pool[-1]
            pool.pop()
            if pid not in self.taken:
                self.taken.add(pid)
                return pid
        return 0


def _controller_nat(rng: random.Random, kind: Kind, main: str) -> str:
    """Controllers mostly share the victims' nationality; some are British."""
    if kind.controller_nationality:
        names = list(kind.controller_nationality)
        return rng.choices(names, list(kind.controller_nationality.values()))[0]
    return "British" if rng.random() < 0.25 else main


def build_network(
    rng: random.Random, plan: NetworkPlan, people: People, book: PremisesBook, pool: LocalPool
) -> Network:
    """Create the people, places and objects of one planned network."""
    geo, nats, ids = people.geo, people.nats, people.ids
    town = geo.random_town(rng, plan.district)
    kind = plan.kind
    servitude = kind.etype == "domestic_servitude"
    bosses: list[Person] = []
    first_nat = next((s.nationality for s in plan.slots if s.nationality != _LOCAL), "British")
    boss_home = geo.new_address(rng, geo.random_town(rng, plan.district), flat_share=0.2)
    vrm = ids.vrm(rng)
    for n in range(plan.controllers):
        nat = nats.by_name[_controller_nat(rng, kind, first_nat)]
        group = nat.group(rng)
        family = people.family_name(rng, group)
        home = (
            boss_home
            if n == 0 or servitude
            else geo.new_address(rng, geo.random_town(rng, plan.district), flat_share=0.3)
        )
        house_no = people.new_household()
        sex = "male" if rng.random() < (0.5 if servitude else 0.85) else "female"
        boss = people.make(
            rng,
            sex=sex,
            age=rng.randint(23, 58),
            nat=nat,
            group=group,
            family=family,
            home=home,
            household=house_no,
            vrm=vrm if n == 0 else None,
        )
        bosses.append(boss)
        if rng.random() < 0.35 and not servitude:
            people.make(
                rng,
                sex="female" if sex == "male" else "male",
                age=rng.randint(22, 58),
                nat=nat,
                group=group,
                family=family,
                home=home,
                household=house_no,
            )
    house = boss_home if servitude else geo.new_address(rng, town, flat_share=0.35)
    phone = ids.phone(rng)
    if kind.sector in _AT_HOUSE:
        premises = book.add(
            rng, kind.sector, town, owner=bosses[0].pid, network=plan.index, address=house
        )
    else:
        premises = book.add(rng, kind.sector, town, owner=bosses[0].pid, network=plan.index)
    victims = _victims(rng, plan, people, pool, house, phone)
    documents = _documents(rng, people, victims, bosses)
    discovered = YEAR_START + timedelta(days=rng.randint(40, 330))
    return Network(
        index=plan.index,
        kind=kind,
        division=plan.division,
        district=plan.district,
        premises=premises,
        house=house,
        vrm=vrm,
        phone=phone,
        controllers=tuple(b.pid for b in bosses),
        victims=tuple(v.pid for v in victims),
        documents=documents,
        discovered=discovered,
    )


def _victims(
    rng: random.Random,
    plan: NetworkPlan,
    people: People,
    pool: LocalPool,
    house: Address,
    control_phone: str,
) -> list[Person]:
    out: list[Person] = []
    household = people.new_household()
    for slot in plan.slots:
        if slot.nationality == _LOCAL:
            pid = pool.take(rng, plan.division, slot)
            if pid:
                out.append(people.people[pid - 1])
                continue
        nat = people.nats.by_name[slot.nationality]
        group = nat.group(rng)
        r = rng.random()
        phone = control_phone if r < 0.35 else ("" if r < 0.65 else None)
        out.append(
            people.make(
                rng,
                sex=slot.sex,
                age=slot.age,
                nat=nat,
                group=group,
                family=people.family_name(rng, group),
                home=house,
                household=household,
                phone=phone,
                vrm="",
            )
        )
    return out


def _documents(
    rng: random.Random, people: People, victims: list[Person], bosses: list[Person]
) -> tuple[Document, ...]:
    docs = []
    for v in victims:
        if v.nationality == _LOCAL or rng.random() > 0.7:
            continue
        nat = people.nats.by_name[v.nationality]
        card = v.nationality in _ID_CARD and rng.random() < 0.3
        docs.append(
            Document(
                number=document_number(rng, nat.passport),
                doc_type="national_id" if card else "passport",
                country=nat.country,
                holder=v.pid,
                held_by=bosses[int(rng.random() * len(bosses))].pid,
            )
        )
    return tuple(docs)
