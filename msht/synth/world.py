"""The whole synthetic world: population, premises and planted networks."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from msht.synth.geography import Geography
from msht.synth.identifiers import Identifiers
from msht.synth.names import name_book
from msht.synth.nationality import nationalities
from msht.synth.network_build import Document, LocalPool, Network, build_network
from msht.synth.networks import plan_networks
from msht.synth.population import People, Person, add_households
from msht.synth.premises import Premises, PremisesBook

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Role:
    """A planted person's part in a network."""

    network: int
    role: str  # "victim" or "controller"


@dataclass(frozen=True)
class World:
    """Everything the source writers may mention, with its ground truth."""

    seed: int
    people: list[Person]
    premises: list[Premises]
    workers: dict[int, tuple[int, ...]]
    networks: list[Network]
    roles: dict[int, Role]
    documents: dict[int, Document]
    ids: Identifiers

    def person(self, pid: int) -> Person:
        """The person numbered `pid`."""
        return self.people[pid - 1]

    def network_of(self, pid: int) -> Network | None:
        """The network a planted person belongs to, if any."""
        role = self.roles.get(pid)
        return self.networks[role.network - 1] if role else None


def build_world(seed: int, size: int, progress: Progress | None = None) -> World:
    """Build a world of `size` people with planted networks, deterministically from `seed`."""
    geo = Geography(seed, households=max(1, int(size / 2.3)))
    plans = plan_networks(random.Random(f"{seed}:networks"), geo, size)
    planted = sum(
        sum(1 for s in p.slots if s.nationality != "British") + 2 * p.controllers for p in plans
    )
    people = People(geo, Identifiers(), name_book(), nationalities())
    rng = random.Random(f"{seed}:people")
    add_households(rng, people, max(1, size - planted))
    if progress:
        progress("people", len(people.people), size)
    book = PremisesBook(geo)
    pool = LocalPool(people.people)
    net_rng = random.Random(f"{seed}:build")
    networks = [build_network(net_rng, plan, people, book, pool) for plan in plans]
    add_households(rng, people, size)
    book.ordinary(random.Random(f"{seed}:premises"), people.people, size)
    for net in networks:
        book.workers[net.premises.index] = net.victims
    roles: dict[int, Role] = {}
    for net in networks:
        for pid in net.controllers:
            roles[pid] = Role(net.index, "controller")
        for pid in net.victims:
            roles[pid] = Role(net.index, "victim")
    documents = {d.holder: d for net in networks for d in net.documents}
    if progress:
        progress("people", len(people.people), size)
    return World(
        seed=seed,
        people=people.people,
        premises=book.all,
        workers=book.workers,
        networks=networks,
        roles=roles,
        documents=documents,
        ids=people.ids,
    )
