"""Synthetic multi-source data with planted exploitation networks and ground truth.

`generate(out)` writes a complete, runnable project folder: the example project's
configuration and source mappings, eight source exports under `data/` (crime, intel,
custody, nrm, ms1, partner, public, missing) and the ground truth under `truth/`.
Everything is drawn from `random.Random` instances seeded from `seed`, so the same
arguments give byte-identical files.

Size: the default 20,000 people give about 54,000 source rows; about 1,000,000 rows need
`people=372_000` (see README.md in this folder for formats, truth files and timings).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from msht.synth.appearances.plan import plan_appearances
from msht.synth.calibration import CalibrationRow, measure
from msht.synth.catalogue import load
from msht.synth.names import name_book
from msht.synth.project import copy_example
from msht.synth.runner import Job, workers_default, write_sources
from msht.synth.text import Texts
from msht.synth.truth import write_planted
from msht.synth.variation import Variation
from msht.synth.world import World, build_world

__all__ = ["CalibrationRow", "SynthResult", "generate"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SynthResult:
    """What `generate` wrote: rows per source, planted people and the calibration."""

    out: Path
    rows: dict[str, int]
    people: int
    victims: int
    controllers: int
    networks: int
    calibration: tuple[CalibrationRow, ...]
    seconds: float


def _calibration(world: World) -> tuple[CalibrationRow, ...]:
    return measure(
        (net.etype, net.division, world.person(pid).nationality)
        for net in world.networks
        for pid in net.victims
    )


def generate(
    out: Path,
    people: int = 20_000,
    seed: int = 0,
    progress: Progress | None = None,
    *,
    workers: int | None = None,
) -> SynthResult:
    """Write a synthetic project of `people` people into `out`; same arguments, same bytes.

    `workers` processes write the sources (default: one per CPU, up to four); the output
    does not depend on it.
    """
    started = time.perf_counter()
    if people < 100:
        raise ValueError(f"people must be at least 100, not {people}")
    copy_example(out)
    world = build_world(seed, people, progress)
    plan, sampler = plan_appearances(world)
    if progress:
        progress("plan", 1, 1)
    rates = load("appearances")
    texts = Texts(seed, min(2500, max(300, people // 10)), float(rates["ordinary_negated_share"]))
    vary = Variation(name_book(), load("geography")["abbreviations"])
    job = Job(world, plan, sampler, vary, texts, out / "data", out / "truth")
    gc.freeze()  # the world is read-only from here: keep the collector (and fork) off it
    try:
        rows = write_sources(job, workers_default() if workers is None else workers, progress)
    finally:
        gc.unfreeze()
    write_planted(out / "truth", world)
    if progress:
        progress("truth", 1, 1)
    return SynthResult(
        out=out,
        rows=rows,
        people=len(world.people),
        victims=sum(len(n.victims) for n in world.networks),
        controllers=sum(len(n.controllers) for n in world.networks),
        networks=len(world.networks),
        calibration=_calibration(world),
        seconds=time.perf_counter() - started,
    )
