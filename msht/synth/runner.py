"""Write every source from a planned world, in chunks, on several processes if there are.

A CSV source is cut into chunks of a fixed number of events; each chunk has its own seed,
so the bytes do not depend on how many processes wrote them. Chunks are joined under the
header afterwards and the row numbers of deliberate faults are shifted to match.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from msht.synth.appearances import SOURCES, Event, Plan
from msht.synth.appearances.sampling import Sampler
from msht.synth.text import Texts
from msht.synth.truth import PARTS, Truth, join_parts, write_parts, write_small
from msht.synth.variation import Variation
from msht.synth.world import World
from msht.synth.writers import crime, custody, intel, missing, ms1, nrm, partner, public
from msht.synth.writers.base import CsvPart, Pen

#: Events per chunk of a CSV source (fixed: it decides the seeds, hence the bytes).
CHUNK = 40_000
#: CSV sources, written in chunks.
CSV_WRITERS: dict[str, ModuleType] = {
    "crime": crime,
    "custody": custody,
    "partner": partner,
    "missing": missing,
}
#: Sources written whole by one call.
WHOLE_WRITERS: dict[str, Callable[[Pen, list[Event], Path, random.Random], int]] = {
    "intel": intel.write,
    "nrm": nrm.write,
    "ms1": ms1.write,
    "public": public.write,
}
#: Rough cost of one event, to start the longest tasks first.
_COST = {"intel": 4.0, "crime": 2.5, "partner": 3.0}


@dataclass(frozen=True)
class Job:
    """Everything the tasks read; handed to worker processes by fork, never pickled."""

    world: World
    plan: Plan
    sampler: Sampler
    vary: Variation
    texts: Texts
    data: Path
    truth: Path


@dataclass(frozen=True)
class Task:
    """One chunk of one source (chunk -1: the whole source by one writer)."""

    source: str
    chunk: int
    start: int
    stop: int


@dataclass(frozen=True)
class Done:
    """A finished task: rows and lines written, and its ground truth."""

    task: Task
    rows: int
    lines: int
    truth: Truth


_JOB: Job | None = None


def _part_path(data: Path, task: Task) -> Path:
    return data / task.source / f".part-{task.chunk:04d}"


def _key(task: Task) -> str:
    return f"{task.source}-{'whole' if task.chunk < 0 else f'{task.chunk:04d}'}"


def _run(task: Task) -> Done:
    job = _JOB
    assert job is not None, "no job: call write_sources"
    done = _render(job, task)
    return replace(done, truth=write_parts(job.truth, _key(task), done.truth))


def _render(job: Job, task: Task) -> Done:
    truth = Truth()
    pen = Pen(job.world, job.sampler, job.vary, job.texts, truth)
    events = job.plan[task.source][task.start : task.stop]
    seed = job.world.seed
    folder = job.data / task.source
    if task.chunk < 0:
        rng = random.Random(f"{seed}:write:{task.source}")
        rows = WHOLE_WRITERS[task.source](pen, events, folder, rng)
        return Done(task, rows, 0, truth)
    module = CSV_WRITERS[task.source]
    rng = random.Random(f"{seed}:write:{task.source}:{task.chunk}")
    encoding = "utf-8" if module.ENCODING == "utf-8-sig" else module.ENCODING
    part = CsvPart(_part_path(job.data, task), encoding, module.DELIMITER)
    module.render(pen, events, task.start + 1, part, rng)
    part.close()
    return Done(task, part.rows, part.lines, truth)


def _tasks(plan: Plan) -> list[Task]:
    tasks = []
    for source in SOURCES:
        size = len(plan[source])
        if source in CSV_WRITERS:
            starts = range(0, max(size, 1), CHUNK)
            tasks += [Task(source, i, a, min(a + CHUNK, size)) for i, a in enumerate(starts)]
        else:
            tasks.append(Task(source, -1, 0, size))
    return sorted(tasks, key=lambda t: -(t.stop - t.start) * _COST.get(t.source, 1.0))


def _assemble(data: Path, source: str, parts: list[Done]) -> Truth:
    """Join a CSV source's chunks under its header; shift fault rows; return the truth."""
    module = CSV_WRITERS[source]
    path = data / source / module.FILE
    truth = Truth()
    with path.open("wb") as out:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=module.DELIMITER, lineterminator="\r\n").writerow(
            module.HEADER
        )
        out.write(buffer.getvalue().encode(module.ENCODING))
        line = 2
        for done in parts:
            part = _part_path(data, done.task)
            out.write(part.read_bytes())
            part.unlink()
            shifted = replace(
                done.truth,
                faults=[
                    (s, ref, row + line, column, kind)
                    for s, ref, row, column, kind in done.truth.faults
                ],
            )
            truth.extend(shifted)
            line += done.lines
    return truth


def _clear_parts(job: Job) -> None:
    """Remove chunks an interrupted earlier run may have left behind."""
    shutil.rmtree(job.truth / PARTS, ignore_errors=True)
    for source in CSV_WRITERS:
        for stale in (job.data / source).glob(".part-*"):
            stale.unlink()


def workers_default() -> int:
    """Processes to use: the CPUs available, when the platform can fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(
        1,
        min(
            4,
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1,
        ),
    )


def write_sources(
    job: Job, workers: int, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, int]:
    """Write every source and its ground truth; return the rows written per source."""
    global _JOB
    tasks = _tasks(job.plan)
    _clear_parts(job)
    _JOB = job
    results: list[Done] = []
    try:
        if workers > 1 and len(tasks) > 1:
            context = multiprocessing.get_context("fork")
            with context.Pool(min(workers, len(tasks))) as pool:
                for done in pool.imap_unordered(_run, tasks):
                    results.append(done)
                    if progress:
                        progress("write", len(results), len(tasks))
        else:
            for task in tasks:
                results.append(_run(task))
                if progress:
                    progress("write", len(results), len(tasks))
    finally:
        _JOB = None
    truth, rows = Truth(), {}
    keys = []
    for source in SOURCES:
        parts = sorted((d for d in results if d.task.source == source), key=lambda d: d.task.chunk)
        rows[source] = sum(d.rows for d in parts)
        keys += [_key(d.task) for d in parts]
        if source in CSV_WRITERS:
            truth.extend(_assemble(job.data, source, parts))
        else:
            for d in parts:
                truth.extend(d.truth)
    join_parts(job.truth, keys)
    write_small(job.truth, truth)
    return rows
