"""Ingest every source of a project into a new version of the POLE store."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

import pyarrow as pa

from msht.engine.base import Engine
from msht.engine.parts import PartWriter
from msht.errors import ConfigError, EngineError, MshtError, SourceError
from msht.ingest.mapping import Mapping, load_mapping
from msht.ingest.source import SourceIngest, SourceStats
from msht.ingest.tables import builders
from msht.model.schema import pole_schema
from msht.project.config import Project
from msht.settings import settings

#: Quarantine reasons per source, counted by the engine from the stored quarantine table.
#: Progress callback: (task, amount done since the last call, total).
Progress = Callable[[str, int, int], None]

REASONS_SQL = """
SELECT source, reason, count(*) AS n
FROM quarantine
GROUP BY source, reason
ORDER BY source, reason
"""


@dataclass
class IngestReport:
    """Per-source statistics of one ingest, and the sources that failed."""

    sources: dict[str, SourceStats] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        """Sources that could not be read at all."""
        return [name for name, s in self.sources.items() if s.error is not None]

    def as_summary(self) -> dict[str, dict[str, Any]]:
        """The `sources` part of summary.json (shape fixed: later stages add keys only)."""
        out: dict[str, dict[str, Any]] = {}
        for name, s in self.sources.items():
            out[name] = {
                "rows_in": s.rows_in,
                "loaded": s.loaded,
                "quarantined": s.quarantined,
                "quarantine_reasons": dict(sorted(s.reasons.items())),
                "files": s.files,
            }
            if s.error is not None:
                out[name]["error"] = s.error
        return out


def _load_mappings(project: Project, report: IngestReport) -> list[Mapping]:
    mappings: list[Mapping] = []
    for path in project.mapping_files():
        try:
            mapping = load_mapping(path)
        except ConfigError as exc:
            report.sources[path.stem] = SourceStats(path.stem, error=str(exc))
            continue
        if mapping.source in report.sources:
            error = f"{path}: source name {mapping.source!r} is used by another mapping"
            report.sources[f"{mapping.source} ({path.name})"] = SourceStats(path.stem, error=error)
            continue
        mappings.append(mapping)
        report.sources[mapping.source] = SourceStats(mapping.source)
    return mappings


Result = tuple[SourceStats, dict[str, pa.Table]]


def ingest_source(root: Path, mapping: Mapping, run_id: str) -> Result:
    """One source's statistics and tables (a source that cannot be read has only an error)."""
    try:
        job = SourceIngest(mapping, pole_schema(), root, run_id)
        stats = job.run()
    except SourceError as exc:
        return SourceStats(mapping.source, error=str(exc)), {}
    except Exception as exc:
        error = f"source {mapping.source!r}: unexpected {type(exc).__name__}: {exc}"
        return SourceStats(mapping.source, error=error), {}
    return stats, {name: builder.build() for name, builder in job.tables.items()}


def ingest_project(
    project: Project, engine: Engine, run_id: str, progress: Progress | None = None
) -> IngestReport:
    """Read every source into `engine`'s tables; a failing source is reported, others go on."""
    report = IngestReport()
    mappings = _load_mappings(project, report)
    writer = engine.part_writer()
    if writer is not None:
        workers = min(settings().ingest_workers, len(mappings))
        if workers > 1:
            _in_workers(project.root, mappings, run_id, writer, workers, report, progress)
        else:  # one source at a time, in this process: the least memory
            for mapping in mappings:
                stats = ingest_and_write(project.root, mapping, run_id, writer)
                report.sources[mapping.source] = stats
                if progress is not None:
                    progress("sources", 1, len(mappings))
        engine.refresh()
        present = set(engine.tables())
        empty = {n: b.schema.empty_table() for n, b in builders(pole_schema()).items()}
        engine.create_tables({n: t for n, t in empty.items() if n not in present})
    else:
        _in_threads(project.root, mappings, run_id, engine, report, progress)
    engine.create_table("source_stats", _stats_table(report, run_id))
    _reconcile(engine, report)
    return report


def _in_threads(
    root: Path,
    mappings: list[Mapping],
    run_id: str,
    engine: Engine,
    report: IngestReport,
    progress: Progress | None,
) -> None:
    """For engines that store whole tables: two sources at a time on threads, tables
    gathered and stored at the end.

    While one thread runs Python normalisers, the other's Arrow parsing and kernels (which
    release the GIL) use the second core.
    """
    tables = builders(pole_schema())
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda m: ingest_source(root, m, run_id), mappings)
        for mapping, (stats, parts) in zip(mappings, results, strict=True):
            report.sources[mapping.source] = stats
            for name, part in parts.items():
                tables[name].add(part)
            if progress is not None:
                progress("sources", 1, len(mappings))
    engine.create_tables({name: builder.build() for name, builder in tables.items()})


def ingest_and_write(root: Path, mapping: Mapping, run_id: str, writer: PartWriter) -> SourceStats:
    """In a worker process: ingest one source and write its rows as parts of the tables."""
    stats, parts = ingest_source(root, mapping, run_id)
    if stats.error is None:
        try:
            for name, part in parts.items():
                if part.num_rows:
                    writer.write(name, mapping.source, part)
        except EngineError as exc:
            writer.remove(mapping.source)
            stats = SourceStats(mapping.source, error=f"source {mapping.source!r}: {exc}")
    return stats


def _input_bytes(root: Path, mapping: Mapping) -> int:
    """Size of a source's files, to start the largest first (0 if the glob is unusable:
    the worker then reports the source's error)."""
    try:
        return sum(p.stat().st_size for p in root.glob(mapping.files) if p.is_file())
    except (OSError, ValueError):
        return 0


def warm_workers() -> multiprocessing.context.BaseContext:
    """Start the fork server that worker processes come from (idempotent).

    Called early, its imports overlap with the caller opening the project and the store.
    Where there is no fork server (Windows), workers are spawned afresh instead.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["msht.ingest.project"])
    forkserver.ensure_running()
    return context


def use_jemalloc() -> None:
    """In a worker process: allocate Arrow memory with jemalloc, where pyarrow has it.

    mimalloc, pyarrow's default pool on Linux, hands large freed blocks back to the system at
    once; ingest makes and drops hundreds of MiB of arrays, so a worker spent a third of its
    time in the kernel faulting fresh pages in. jemalloc keeps freed pages for reuse (and its
    peak was lower too). A pool chosen in the environment (ARROW_DEFAULT_MEMORY_POOL) stays.
    """
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return
    with contextlib.suppress(pa.ArrowNotImplementedError):  # built without it: keep the default
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def _in_workers(
    root: Path,
    mappings: list[Mapping],
    run_id: str,
    writer: PartWriter,
    workers: int,
    report: IngestReport,
    progress: Progress | None,
) -> None:
    """Sources side by side in worker processes, largest first, each writing its own parts.

    Processes, not threads: most of ingest holds the GIL (normalisers, JSON), so threads
    share one core. A fork server started clean (not a fork of this process and its Arrow
    threads) hands out workers with the ingest modules already imported.
    """
    context = warm_workers()
    ordered = sorted(mappings, key=lambda m: -_input_bytes(root, m))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=use_jemalloc) as pool:
        futures = {pool.submit(ingest_and_write, root, m, run_id, writer): m for m in ordered}
        for future in as_completed(futures):
            source = futures[future].source
            try:
                report.sources[source] = future.result()
            except BaseException as exc:
                pool.shutdown(wait=False, cancel_futures=True)  # start no more sources
                if not isinstance(exc, BrokenProcessPool):
                    raise
                raise MshtError(
                    f"the worker process ingesting source {source!r} stopped ({exc}); if it "
                    "ran out of memory, set MSHT_INGEST_WORKERS=1 to ingest one source at a time"
                ) from exc
            if progress is not None:
                progress("sources", 1, len(mappings))


def _stats_table(report: IngestReport, run_id: str) -> pa.Table:
    rows = list(report.sources.values())
    return pa.table(
        {
            "source": [s.source for s in rows],
            "rows_in": pa.array([s.rows_in for s in rows], pa.int64()),
            "loaded": pa.array([s.loaded for s in rows], pa.int64()),
            "quarantined": pa.array([s.quarantined for s in rows], pa.int64()),
            "error": pa.array([s.error for s in rows], pa.string()),
            "run_id": [run_id] * len(rows),
        }
    )


def _reconcile(engine: Engine, report: IngestReport) -> None:
    """Check the stored quarantine table against the counts kept while reading."""
    stored: dict[str, dict[str, int]] = {}
    for row in engine.query(REASONS_SQL).to_pylist():
        stored.setdefault(row["source"], {})[row["reason"]] = int(row["n"])
    for name, stats in report.sources.items():
        if stats.error is None and stored.get(name, {}) != dict(stats.reasons):
            raise MshtError(f"quarantine of {name!r} does not reconcile: {stored.get(name)}")
        if stats.error is None and stats.rows_in != stats.loaded + stats.quarantined:
            raise MshtError(f"rows of {name!r} do not reconcile")
