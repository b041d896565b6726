"""Premises (car washes, farms, nail bars…) and the ordinary people who work there."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from msht.synth.catalogue import load
from msht.synth.geography import Address, Geography, Town
from msht.synth.population import Person
from msht.synth.year import REFERENCE_DAY, age_on

#: Sectors whose premises are a named rural site rather than a numbered address.
RURAL = frozenset({"agricultural", "shellfish"})


@dataclass(frozen=True, slots=True)
class Premises:
    """A business or site; `owner` is a person number or 0, `network` an index or -1."""

    index: int
    name: str
    sector: str
    address: Address
    owner: int
    network: int

    @property
    def premises_id(self) -> str:
        """The ground-truth id, e.g. "PR00042"."""
        return f"PR{self.index:05d}"


class PremisesBook:
    """All premises, with name templates and sector labels from the data file."""

    def __init__(self, geo: Geography) -> None:
        data = load("premises")
        self.geo = geo
        self.words: tuple[str, ...] = tuple(data["words"])
        self.templates: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in data["names"].items()}
        self.labels: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in data["labels"].items()}
        self.per_10000: dict[str, float] = {k: float(v) for k, v in data["per_10000"].items()}
        self.worker_range: dict[str, tuple[int, int]] = {
            k: (int(v[0]), int(v[1])) for k, v in data["workers"].items()
        }
        self.all: list[Premises] = []
        self.workers: dict[int, tuple[int, ...]] = {}

    def add(
        self,
        rng: random.Random,
        sector: str,
        town: Town,
        owner: int = 0,
        network: int = -1,
        address: Address | None = None,
    ) -> Premises:
        """Create premises of a sector in a town (at `address` if given)."""
        word = self.words[int(rng.random() * len(self.words))]
        template = rng.choice(self.templates[sector])
        if address is None:
            if sector in RURAL:
                site = template.format(word=word, town=town.name, line1="")
                address = self.geo.new_address(rng, town, flat_share=-1, building=site)
            else:
                address = self.geo.new_address(rng, town, flat_share=0.0)
        name = template.format(word=word, town=town.name, line1=address.line1())
        premises = Premises(len(self.all) + 1, name, sector, address, owner, network)
        self.all.append(premises)
        return premises

    def ordinary(self, rng: random.Random, people: list[Person], population: int) -> None:
        """Ordinary premises of every sector, each with workers from its district."""
        pools: dict[str, list[int]] = defaultdict(list)
        for p in people:
            if 18 <= age_on(p.dob, REFERENCE_DAY) <= 64:
                pools[p.home.district].append(p.pid)
        for pool in pools.values():
            rng.shuffle(pool)
        for sector, rate in self.per_10000.items():
            expected = rate * population / 10_000
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for _ in range(count):
                town = self._town(rng, sector)
                owner_pool = pools[town.district]
                owner = owner_pool.pop() if owner_pool else 0
                premises = self.add(rng, sector, town, owner=owner)
                low, high = self.worker_range[sector]
                wanted = rng.randint(low, high)
                pool = pools[town.district]
                staff = [pool.pop() for _ in range(min(wanted, len(pool)))]
                self.workers[premises.index] = tuple(staff)

    def _town(self, rng: random.Random, sector: str) -> Town:
        if sector != "shellfish":
            return self.geo.random_town(rng)
        division = rng.choice(("North", "East"))
        return self.geo.random_town(rng, self.geo.random_district(rng, division, coastal=True))
