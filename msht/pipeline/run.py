"""`msht run`: every stage of the pipeline on one project, recorded in summary.json."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine as SqlEngine

from msht.cases.publish import publish
from msht.cases.withheld import Withholding, find_withholding
from msht.engine.base import Engine
from msht.engine.warehouse import Warehouse
from msht.errors import MshtError
from msht.indicators.lexicon import load_lexicon, scoring_categories
from msht.indicators.matcher import Matcher
from msht.indicators.stage import HITS, scan_project
from msht.indicators.structured import STRUCTURED, build_structured
from msht.ingest.project import Progress, ingest_project, warm_workers
from msht.network.settings import load_network_settings
from msht.network.stage import network_project, written_by_network
from msht.network.withhold import withhold_flags
from msht.pipeline.resolution import judgements_in_store
from msht.pipeline.runs import RunSummary, new_run_id, write_summary
from msht.pipeline.serving import serving_store
from msht.project.config import Project, load_project
from msht.resolve.stage import Mode, ResolveReport, resolve_project, written_by_resolve
from msht.risk.disparity import disparity
from msht.risk.profiles import build_profiles
from msht.risk.rules import FILE as RISK_FILE
from msht.risk.rules import load_rules
from msht.settings import settings


@dataclass(frozen=True)
class RunResult:
    """A finished run: its summary and where it was written."""

    summary: RunSummary
    summary_path: Path
    failed_sources: list[str]


def _resolve(
    project: Project,
    warehouse: Warehouse,
    store: Engine,
    run_id: str,
    mode: Mode,
    progress: Progress | None,
    database: SqlEngine | None = None,
) -> ResolveReport:
    """The resolve stage on the version being built, keeping the current version's ids and
    following the judgements of the serving store (`database`, or the project's)."""

    def step(name: str) -> None:
        if progress is not None:
            progress(f"resolve: {name}", 1, 1)

    previous = warehouse.open_current()
    try:
        judged = judgements_in_store(project.root, database)
        return resolve_project(project, store, previous, run_id, mode, step, judged)
    finally:
        if previous is not None:
            previous.close()


def _indicators(
    project: Project, store: Engine, summary: RunSummary, progress: Progress | None
) -> None:
    """The indicators stage on the version being built, recorded in the summary."""
    if progress is not None:
        progress("indicators: signs of exploitation in free text", 1, 1)
    with _timed(summary, "indicators"):
        found = scan_project(store, Matcher.load(lexicon_folder(project)))
    summary.extra["indicators"] = found.as_summary()


def _network(
    project: Project,
    store: Engine,
    database: SqlEngine,
    summary: RunSummary,
    progress: Progress | None,
) -> Withholding | None:
    """The network stage on the version being built, then what rests on it (structured
    indicators, risk profiles), recorded in the summary; None when the store has no resolved
    entities. Whom the run withholds (R07) is known once the profiles are: the network and
    the profiles are then built again without them, before anything is counted."""
    settings = load_network_settings(project.path("rules"))
    if progress is not None:
        progress("network: graph, metrics and groups", 1, 1)
    with _timed(summary, "network"):
        built = network_project(store, settings, project.config.divisions)
    if built is None:
        return None
    with _timed(summary, "structured indicators"):
        # signs read from links and fields; work at at-risk premises needs the network
        people = build_structured(store)
    summary.extra.setdefault("indicators", {})["structured"] = people
    _risk(project, store, summary, progress)
    with _timed(summary, "withhold"):
        withholding = find_withholding(store, database)
        # counts of flagged people around others (and the risk rules that read them) must
        # not count a person whose flag a review removed
        built = withhold_flags(store, settings, withholding.people, built)
    if withholding.people:
        _risk(project, store, summary, progress, withholding.people)
    summary.extra["network"] = built.as_summary()
    return withholding


def _risk(
    project: Project,
    store: Engine,
    summary: RunSummary,
    progress: Progress | None,
    leave_out: frozenset[str] = frozenset(),
) -> None:
    """The risk stage: profiles of potential victims from the project's rules, when it has
    a `rules/risk.yaml`; none for the people in `leave_out`."""
    rules = project.path("rules")
    if not (rules / RISK_FILE).exists():
        return
    rule_set = load_rules(rules)
    if HITS in store.tables():
        columns = store.query(f"SELECT * FROM {HITS} WHERE false").column_names
        if "about_role" not in columns:
            raise MshtError(
                "the current store's signs were found by an earlier msht: run `msht run` again"
            )
    categories = scoring_categories(load_lexicon(lexicon_folder(project)))
    if progress is not None:
        progress("risk: profiles of potential victims", 1, 1)
    with _timed(summary, "risk"):
        built = build_profiles(store, rule_set, categories, leave_out=leave_out)
        # R12: who the cohort holds, by protected characteristic; read by no rule
        groups = [d.as_dict() for d in disparity(store)]
    summary.extra["risk"] = built.as_summary()
    summary.extra["disparity"] = groups


def _publish(
    project: Project,
    store: Engine,
    database: SqlEngine,
    summary: RunSummary,
    progress: Progress | None,
    withholding: Withholding | None,
) -> None:
    """Publish the run into the serving store in one transaction; if it fails, the run
    fails and both stores keep their previous state."""
    if progress is not None:
        progress("publish: profiles and review items to the serving store", 1, 1)
    with _timed(summary, "publish"):
        published = publish(
            store,
            database,
            summary.run_id,
            date.today(),
            project.config.security_marking,
            withholding,
        )
    summary.extra["publish"] = published.as_summary()


def derived_later(table: str) -> bool:
    """Tables built after the network (structured indicators, risk): rebuilt with it."""
    return table == STRUCTURED or table.startswith("risk_")


def lexicon_folder(project: Project) -> Path | None:
    """The project's own lexicon (`rules/indicators/`), when it has one."""
    folder = project.path("rules") / "indicators"
    return folder if folder.is_dir() else None


def resolve_again(root: Path, mode: Mode, progress: Progress | None = None) -> RunResult:
    """`msht resolve`: resolve the current store again (`mode` auto or retrain) as a new
    version; ingest is not repeated. Incremental linking of new data is `run_project` with
    `resolve_mode="incremental"`, which ingests the new records first.

    The new version has no entity graph (the last one named the old entities): `msht
    network` builds it again, as `msht run` does."""
    if mode == "incremental":
        return run_project(root, progress, resolve_mode="incremental")
    project = load_project(root)
    summary = RunSummary(run_id=new_run_id())
    kind = project.config.engine
    warehouse = Warehouse(project.path("store"), kind)
    started = time.perf_counter()
    summary.extra["engine"] = kind
    with (
        _failure_recorded(project, summary),
        warehouse.new_version(
            summary.run_id,
            from_current=True,
            keep=lambda t: not (written_by_resolve(t) or written_by_network(t) or derived_later(t)),
        ) as store,
    ):
        with _timed(summary, "resolve"):
            resolved = _resolve(project, warehouse, store, summary.run_id, mode, progress)
        summary.extra["resolve"] = resolved.as_summary()
    summary.stages["total"] = time.perf_counter() - started
    summary.ok = True
    return RunResult(summary, write_summary(project.path("runs"), summary), [])


def network_again(root: Path, progress: Progress | None = None) -> RunResult:
    """`msht network`: build the entity graph and its metrics again on the current store, as
    a new version (ingest and resolution are not repeated)."""
    project = load_project(root)
    summary = RunSummary(run_id=new_run_id())
    warehouse = Warehouse(project.path("store"), project.config.engine)
    if warehouse.current_version() is None:
        raise MshtError(f"{root} has no store yet: run `msht run {root}` first")
    started = time.perf_counter()
    summary.extra["engine"] = project.config.engine
    with (
        _failure_recorded(project, summary),
        serving_store(project.root) as database,
        warehouse.new_version(
            summary.run_id,
            from_current=True,
            keep=lambda t: not (written_by_network(t) or derived_later(t)),
        ) as store,
    ):
        withholding = _network(project, store, database, summary, progress)
        if withholding is None:
            raise MshtError(f"the current store of {root} has no resolved entities: run `msht run`")
        _publish(project, store, database, summary, progress, withholding)
    summary.stages["total"] = time.perf_counter() - started
    summary.ok = True
    return RunResult(summary, write_summary(project.path("runs"), summary), [])


@contextmanager
def _failure_recorded(project: Project, summary: RunSummary) -> Iterator[None]:
    """On an error the store is unchanged (the new version was discarded); say why in the
    run record, then raise."""
    try:
        yield
    except MshtError as exc:
        summary.extra["error"] = str(exc)
        write_summary(project.path("runs"), summary)
        raise


@contextmanager
def _timed(summary: RunSummary, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:  # a stage run again (risk, after withholding) adds to its time
        summary.stages[stage] = summary.stages.get(stage, 0.0) + time.perf_counter() - start


def run_project(
    root: Path,
    progress: Progress | None = None,
    engine: str | None = None,
    resolve_mode: Mode = "auto",
) -> RunResult:
    """Run the pipeline on the project at `root`; the store changes only if the run completes.

    `resolve_mode` "incremental" links only the person records new since the last run, with
    the saved model; earlier entities keep their members and ids."""
    project = load_project(root)
    kind = engine or project.config.engine
    if kind not in ("duckdb", "spark"):
        raise MshtError(f"unknown engine {kind!r}: use duckdb or spark")
    if kind == "duckdb" and settings().ingest_workers > 1:
        warm_workers()
    summary = RunSummary(run_id=new_run_id())
    warehouse = Warehouse(project.path("store"), "spark" if kind == "spark" else "duckdb")
    started = time.perf_counter()
    summary.extra["engine"] = kind
    with (
        _failure_recorded(project, summary),
        # opened (and migrated) once, before the work: a store that cannot be reached fails
        # the run before ingest, not when resolution first reads its judgements
        serving_store(project.root) as database,
        warehouse.new_version(summary.run_id) as store,
    ):
        with _timed(summary, "ingest"):
            report = ingest_project(project, store, summary.run_id, progress)
        summary.sources = report.as_summary()
        with _timed(summary, "resolve"):
            resolved = _resolve(
                project, warehouse, store, summary.run_id, resolve_mode, progress, database
            )
        summary.extra["resolve"] = resolved.as_summary()
        _indicators(project, store, summary, progress)
        withholding = _network(project, store, database, summary, progress)
        _publish(project, store, database, summary, progress, withholding)
    summary.stages["total"] = time.perf_counter() - started
    summary.ok = not report.failed
    path = write_summary(project.path("runs"), summary)
    return RunResult(summary, path, report.failed)
