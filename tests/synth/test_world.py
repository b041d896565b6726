from __future__ import annotations

from collections import Counter

import pytest

from msht.synth.networks import victim_total
from msht.synth.world import World, build_world


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(3, 4000)


def test_population_has_the_size_asked_for(world: World) -> None:
    assert len(world.people) == 4000
    assert [p.pid for p in world.people] == list(range(1, 4001))


def test_households_share_a_home(world: World) -> None:
    homes: dict[int, set[object]] = {}
    for p in world.people:
        homes.setdefault(p.household, set()).add(p.home)
    assert all(len(h) == 1 for h in homes.values())
    sizes = Counter(Counter(p.household for p in world.people).values())
    assert sizes[1] and sizes[2] and sizes[3]


def test_networks_are_complete(world: World) -> None:
    assert sum(len(n.victims) for n in world.networks) == victim_total(4000) == 76
    for net in world.networks:
        assert 1 <= len(net.controllers) <= 3 and net.victims
        assert len(net.phone) == 11 and len(net.vrm) == 7
        assert world.person(net.controllers[0]).vrm == net.vrm
        for doc in net.documents:
            assert doc.held_by in net.controllers and doc.holder in net.victims
        foreign = [v for v in net.victims if world.person(v).nationality != "British"]
        assert all(world.person(v).home == net.house for v in foreign)


def test_identifiers_are_unique(world: World) -> None:
    shared = {n.phone for n in world.networks}  # victims given the control phone as theirs
    phones = [p.phone for p in world.people if p.phone and p.phone not in shared]
    assert len(phones) == len(set(phones))
    assert any(p.phone in shared for p in world.people)
    vrms = [p.vrm for p in world.people if p.vrm]
    assert len(vrms) == len(set(vrms))
