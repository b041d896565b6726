"""Put ordinary and planted appearances together into one plan per source."""

from __future__ import annotations

import random
from operator import attrgetter

from msht.synth.appearances import SOURCES, Plan
from msht.synth.appearances.ordinary import Ordinary
from msht.synth.appearances.planted import Planted
from msht.synth.appearances.sampling import Sampler
from msht.synth.world import World


def plan_appearances(world: World) -> tuple[Plan, Sampler]:
    """Every source's events in date order (ties keep their drawing order)."""
    seed = world.seed
    sampler = Sampler(world, random.Random(f"{seed}:sampler"))
    plan: Plan = {source: [] for source in SOURCES}
    Ordinary(world, sampler).plan(random.Random(f"{seed}:ordinary"), plan)
    Planted(sampler).plan(random.Random(f"{seed}:planted"), world.networks, plan)
    for events in plan.values():
        events.sort(key=attrgetter("day"))
    return plan, sampler
