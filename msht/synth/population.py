"""The synthetic population: people in households, with phones and vehicles."""

from __future__ import annotations

import random
from datetime import date
from typing import NamedTuple

from msht.synth.geography import Address, Geography, Town
from msht.synth.identifiers import Identifiers
from msht.synth.names import NameBook
from msht.synth.nationality import Nationalities, Nationality
from msht.synth.year import REFERENCE_DAY

_REFERENCE = REFERENCE_DAY.toordinal()
_from_ordinal = date.fromordinal


class Person(NamedTuple):
    """One true person: how they are really called, born and reached.

    A named tuple rather than a frozen dataclass: hundreds of thousands are made, and a
    frozen dataclass's __init__ costs ten times as much.
    """

    pid: int
    forename: str
    middle: str
    surname: str
    sex: str
    dob: date
    nationality: str
    group: str
    languages: tuple[str, ...]
    home: Address
    phone: str
    vrm: str
    household: int

    @property
    def person_id(self) -> str:
        """The ground-truth id, e.g. "P000123"."""
        return f"P{self.pid:06d}"


class People:
    """Makes people one at a time, numbering them and their households."""

    def __init__(
        self, geo: Geography, ids: Identifiers, book: NameBook, nats: Nationalities
    ) -> None:
        self.geo = geo
        self.ids = ids
        self.book = book
        self.nats = nats
        self.people: list[Person] = []
        self.households = 0

    def new_household(self) -> int:
        """A fresh household number."""
        self.households += 1
        return self.households

    def make(
        self,
        rng: random.Random,
        *,
        sex: str,
        age: int,
        nat: Nationality,
        group: str,
        family: str,
        home: Address,
        household: int,
        phone: str | None = None,
        vrm: str | None = None,
    ) -> Person:
        """Create and keep one person; phone and vehicle are drawn unless given."""
        names = self.book.groups[group]
        r = rng.random
        if phone is None:
            has_phone = r() < (0.93 if age >= 18 else 0.75 if age >= 11 else 0.0)
            phone = self.ids.phone(rng) if has_phone else ""
        if vrm is None:
            vrm = self.ids.vrm(rng) if 17 <= age <= 85 and r() < 0.45 else ""
        female = sex == "female"
        given = names.female if female else names.male
        middle = ""
        if names.middle_share and r() < names.middle_share:
            middles = names.middle_female if female else names.middle_male
            middle = middles[int(r() * len(middles))] if middles else ""
        person = Person(
            len(self.people) + 1,
            given[int(r() * len(given))],
            middle,
            self.book.surname(group, family, sex) if female else family,
            sex,
            _from_ordinal(_REFERENCE - int((age + r()) * 365.2425)),
            nat.name,
            group,
            nat.speaks(rng),
            home,
            phone,
            vrm,
            household,
        )
        self.people.append(person)
        return person

    def family_name(self, rng: random.Random, group: str) -> str:
        """A family name of the group (the masculine/base form)."""
        surnames = self.book.groups[group].surnames
        return surnames[int(rng.random() * len(surnames))]


def _adult_age(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.5:
        return _between(rng, 19, 40)
    return _between(rng, 41, 65) if r < 0.75 else _between(rng, 66, 92)


def _between(rng: random.Random, low: int, high: int) -> int:
    """rng.randint without its overhead (called for every person)."""
    return low + int(rng.random() * (high - low + 1))


def _sex(rng: random.Random) -> str:
    return "female" if rng.random() < 0.51 else "male"


def add_households(rng: random.Random, people: People, target: int) -> None:
    """Add ordinary households until `target` people exist."""
    geo, nats = people.geo, people.nats
    while len(people.people) < target:
        room = target - len(people.people)
        town = geo.random_town(rng)
        r = rng.random()
        if r < 0.27 or room == 1:
            _single(rng, people, town)
        elif r < 0.50:
            _couple(rng, people, town, nats.draw(rng))
        elif r < 0.80:
            _family(rng, people, town, nats.draw(rng), room, grown=False)
        elif r < 0.89:
            _family(rng, people, town, nats.draw(rng), room, grown=True)
        else:
            _shared(rng, people, town, min(room, _between(rng, 2, 5)))


def _single(rng: random.Random, people: People, town: Town) -> None:
    nat = people.nats.draw(rng)
    group = nat.group(rng)
    home = people.geo.new_address(rng, town, flat_share=0.45)
    people.make(
        rng,
        sex=_sex(rng),
        age=_adult_age(rng),
        nat=nat,
        group=group,
        family=people.family_name(rng, group),
        home=home,
        household=people.new_household(),
    )


def _couple(rng: random.Random, people: People, town: Town, nat: Nationality) -> None:
    group = nat.group(rng)
    family = people.family_name(rng, group)
    home = people.geo.new_address(rng, town, flat_share=0.2)
    house = people.new_household()
    age = _adult_age(rng)
    first = people.make(
        rng, sex="male", age=age, nat=nat, group=group, family=family, home=home, household=house
    )
    other_nat, other_group = nat, group
    if rng.random() < 0.1:
        other_nat = people.nats.draw(rng)
        other_group = other_nat.group(rng)
    keeps_own = rng.random() < 0.2 or other_group != group
    partner_family = people.family_name(rng, other_group) if keeps_own else family
    partner_age = max(18, age + _between(rng, -6, 4))
    people.make(
        rng,
        sex="female",
        age=partner_age,
        nat=other_nat,
        group=other_group if keeps_own else group,
        family=partner_family,
        home=home,
        household=house,
        vrm="" if first.vrm and rng.random() < 0.5 else None,
    )


def _family(
    rng: random.Random, people: People, town: Town, nat: Nationality, room: int, grown: bool
) -> None:
    group = nat.group(rng)
    family = people.family_name(rng, group)
    home = people.geo.new_address(rng, town, flat_share=0.1)
    house = people.new_household()
    parent_age = _between(rng, 45, 66) if grown else _between(rng, 23, 52)
    single_parent = rng.random() < 0.25
    adults = [("female", parent_age)]
    if not single_parent:
        adults.append(("male", max(18, parent_age + _between(rng, -3, 6))))
    kids = rng.choices((1, 2, 3, 4), (35, 40, 18, 7))[0]
    kids = max(1, min(kids, room - len(adults)))
    for sex, age in adults:
        people.make(
            rng, sex=sex, age=age, nat=nat, group=group, family=family, home=home, household=house
        )
    oldest = parent_age - 18
    for _ in range(kids):
        if grown:
            age = _between(rng, 18, min(34, max(18, oldest)))
        else:
            age = _between(rng, 0, max(0, min(17, oldest)))
        people.make(
            rng,
            sex=_sex(rng),
            age=age,
            nat=nat,
            group=group,
            family=family,
            home=home,
            household=house,
        )


def _shared(rng: random.Random, people: People, town: Town, size: int) -> None:
    home = people.geo.new_address(rng, town, flat_share=0.5)
    house = people.new_household()
    for _ in range(size):
        nat = people.nats.draw(rng, foreign_only=rng.random() < 0.5)
        group = nat.group(rng)
        people.make(
            rng,
            sex=_sex(rng),
            age=_between(rng, 19, 45),
            nat=nat,
            group=group,
            family=people.family_name(rng, group),
            home=home,
            household=house,
        )
