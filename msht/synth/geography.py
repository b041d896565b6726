"""Kent geography: divisions, districts, towns, invented streets and postcodes."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from typing import NamedTuple

from msht.synth.catalogue import load, weights

#: Letters used in the inward part of a postcode (never C, I, K, M, O, V).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


class Town(NamedTuple):
    """A post town with its district, division and outward codes."""

    name: str
    district: str
    division: str
    outwards: tuple[str, ...]


class Street(NamedTuple):
    """An invented street of a town and the postcode units along it."""

    name: str
    kind: str
    town: Town
    postcodes: tuple[str, ...]


class Address(NamedTuple):
    """One dwelling or business address; `flat` and `building` may be empty.

    Town, Street and Address are named tuples: hundreds of thousands are made.
    """

    number: int
    flat: str
    building: str
    street: Street
    postcode: str

    @property
    def town(self) -> str:
        """Post town."""
        return self.street.town.name

    @property
    def district(self) -> str:
        """Local authority district."""
        return self.street.town.district

    @property
    def division(self) -> str:
        """Police division."""
        return self.street.town.division

    def line1(self) -> str:
        """The canonical first line: "Flat 2, 14 Orchard Road" or "Kestrel Farm, Kiln Lane"."""
        road = f"{self.number} {self.street.name}" if self.number else self.street.name
        if self.building:
            road = f"{self.building}, {road}"
        return f"Flat {self.flat}, {road}" if self.flat else road


class Geography:
    """Towns of Kent and a stock of invented addresses, created on demand."""

    def __init__(self, seed: int, households: int) -> None:
        data = load("geography")
        self.divisions: dict[str, tuple[str, ...]] = {}
        self.coastal: frozenset[str] = frozenset(data["coastal"])
        self.abbreviations: dict[str, str] = dict(data["abbreviations"])
        self.blocks: tuple[str, ...] = tuple(data["block_names"])
        self._stems: tuple[str, ...] = tuple(data["street_stems"])
        self._kinds, kind_weights = weights(data["street_kinds"])
        self._kind_cum = tuple(itertools.accumulate(kind_weights))
        self.towns: list[Town] = []
        town_weights: list[float] = []
        self.district_weight: dict[str, float] = {}
        for division, districts in data["divisions"].items():
            self.divisions[division] = tuple(districts)
            for district, info in districts.items():
                self.district_weight[district] = float(info["weight"])
                towns = info["towns"]
                shares = _town_shares(len(towns))
                for (name, outwards), share in zip(towns.items(), shares, strict=True):
                    self.towns.append(Town(name, district, division, tuple(outwards)))
                    town_weights.append(info["weight"] * share)
        total = sum(town_weights)
        self._town_cum = tuple(itertools.accumulate(w / total for w in town_weights))
        self._seed = seed
        self._used_postcodes: set[str] = set()
        self._used: set[tuple[str, str, int, str]] = set()
        self._streets: dict[str, list[Street]] = {}
        self._households = households

    def district_of_division(self, division: str) -> tuple[str, ...]:
        """Districts of a division, in file order."""
        return self.divisions[division]

    def division_of(self, district: str) -> str:
        """The division a district belongs to."""
        for division, districts in self.divisions.items():
            if district in districts:
                return division
        raise KeyError(district)

    def random_town(self, rng: random.Random, district: str | None = None) -> Town:
        """A town weighted by population, optionally within one district."""
        if district is None:
            return self.towns[bisect.bisect(self._town_cum, rng.random() * self._town_cum[-1])]
        towns = [t for t in self.towns if t.district == district]
        return towns[0] if rng.random() < 0.6 else rng.choice(towns)

    def random_district(self, rng: random.Random, division: str, coastal: bool = False) -> str:
        """A district of `division` weighted by population (coastal ones only if asked)."""
        names = [d for d in self.divisions[division] if not coastal or d in self.coastal]
        return rng.choices(names, [self.district_weight[d] for d in names])[0]

    def streets(self, town: Town) -> list[Street]:
        """The invented streets of a town (made the first time they are needed)."""
        found = self._streets.get(town.name)
        if found is None:
            found = self._make_streets(town)
            self._streets[town.name] = found
        return found

    def _make_streets(self, town: Town) -> list[Street]:
        rng = random.Random(f"{self._seed}:streets:{town.name}")
        share = self._town_share(town)
        count = max(6, math.ceil(self._households * share / 25))
        names: set[str] = set()
        streets: list[Street] = []
        while len(streets) < count:
            stem = rng.choice(self._stems)
            kind = self._kinds[bisect.bisect(self._kind_cum, rng.random() * self._kind_cum[-1])]
            name = f"{stem} {kind}"
            if name in names:
                if len(names) >= len(self._stems) * 4:
                    name = f"{name} {len(streets)}"
                else:
                    continue
            names.add(name)
            units = tuple(self._postcode(rng, town) for _ in range(rng.randint(1, 3)))
            streets.append(Street(name, kind, town, units))
        return streets

    def _more_streets(self, town: Town, have: int) -> list[Street]:
        """New streets for a town that has run out of free numbers (a new estate)."""
        rng = random.Random(f"{self._seed}:estate:{town.name}:{have}")
        taken = {x.name for x in self._streets[town.name]}
        out: list[Street] = []
        for _ in range(max(4, have // 4)):
            for _attempt in range(20):
                kind = rng.choice(self._kinds)
                name = f"{rng.choice(self._stems)} {kind}"
                if name not in taken:
                    break
            else:
                name = f"{name} {have + len(out)}"
            taken.add(name)
            out.append(Street(name, kind, town, (self._postcode(rng, town),)))
        return out

    def _town_share(self, town: Town) -> float:
        index = self.towns.index(town)
        low = self._town_cum[index - 1] if index else 0.0
        return (self._town_cum[index] - low) / self._town_cum[-1]

    def _postcode(self, rng: random.Random, town: Town) -> str:
        while True:
            outward = rng.choice(town.outwards)
            inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
            code = f"{outward} {inward}"
            if code not in self._used_postcodes:
                self._used_postcodes.add(code)
                return code

    def new_address(
        self, rng: random.Random, town: Town, flat_share: float = 0.2, building: str = ""
    ) -> Address:
        """A dwelling not handed out before, on one of the town's streets.

        A negative `flat_share` with a `building` makes an unnumbered named site.
        """
        streets = self.streets(town)
        tries = 0
        while True:
            tries += 1
            if tries % 50 == 0:
                streets.extend(self._more_streets(town, len(streets)))
            street = streets[int(rng.random() * len(streets))]
            r = rng.random()
            number = 1 + int(r * 1000) % (40 if r < 0.4 else 90 if r < 0.8 else 160)
            if building and flat_share < 0:
                number = 0  # a named rural site: "Kestrel Farm, Kiln Lane"
            flat = str(1 + int(rng.random() * 8)) if rng.random() < flat_share else ""
            key = (town.name, street.name, number, flat + building)
            if key in self._used:
                continue
            self._used.add(key)
            unit = street.postcodes[min(number // 60, len(street.postcodes) - 1)]
            return Address(number, flat, building, street, unit)


def _town_shares(count: int) -> list[float]:
    """The main town of a district is biggest, the others share the rest."""
    if count == 1:
        return [1.0]
    rest = 0.45 / (count - 1)
    return [0.55, *([rest] * (count - 1))]
