"""Entity-resolution commands on a project's current store: judge, explain, evaluate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine as Database

from msht.cases.judgements import record_judgement, stored_judgements
from msht.engine.base import Engine
from msht.engine.warehouse import Warehouse
from msht.errors import MshtError
from msht.pipeline.serving import serving_session
from msht.project.config import Project, load_project
from msht.resolve.blocking import blocking_recall
from msht.resolve.config import load_person_linkage
from msht.resolve.evaluate import ResolveScores, read_truth, score
from msht.resolve.explain import (
    EntityExplanation,
    PairExplanation,
    explain_entity,
    explain_pair,
)
from msht.resolve.judgements import Judgement, Verdict, new_judgement, read_judgements
from msht.resolve.model import load_model
from msht.resolve.stage import (
    BLOCKING_RULES,
    JUDGEMENTS_FILE,
    MODEL_FILE,
    settings_path,
    used_rules,
)


@contextmanager
def current_store(project: Project) -> Iterator[Engine]:
    """The project's current store, read-only; MshtError before the first run."""
    warehouse = Warehouse(project.path("store"), project.config.engine)
    engine = warehouse.open_current()
    if engine is None:
        raise MshtError(f"no finished run in {project.root}: run `msht run` first")
    try:
        yield engine
    finally:
        engine.close()


def judge(
    root: Path,
    verdict: Verdict,
    record_a: str,
    record_b: str,
    by: str,
    reason: str,
    role: str = "analyst",
    database: Database | None = None,
) -> Judgement:
    """Record a human judgement on two person records in the serving store (`database`, by
    default the project's), checked against the current POLE store (records exist) and
    every judgement so far (no contradiction)."""
    project = load_project(root)
    with current_store(project) as engine:
        known = set(engine.query("SELECT id FROM person").column(0).to_pylist())
        entities: dict[str, str] = {}
        if "resolved_record" in engine.tables():
            rows = engine.query(
                "SELECT record_id, entity_id FROM resolved_record WHERE entity_type = 'Person'"
            )
            entities = dict(
                zip(rows.column(0).to_pylist(), rows.column(1).to_pylist(), strict=True)
            )
    new = new_judgement(verdict, record_a, record_b, by, reason, known)
    on_file = read_judgements(project.path("resolve") / JUDGEMENTS_FILE)
    with serving_session(root, database) as session:
        record_judgement(session, new, role, on_file, entities)
    return new


def judgements_in_store(root: Path, database: Database | None = None) -> list[Judgement]:
    """The judgements of the project's serving store (or of `database`, already open)."""
    with serving_session(root, database) as session:
        return stored_judgements(session)


def explain(root: Path, record_a: str, record_b: str | None) -> PairExplanation | EntityExplanation:
    """The match-weight waterfall of two person records under the saved model; with one
    argument, a person entity id: its records and the waterfall of each pair linking them."""
    project = load_project(root)
    config = load_person_linkage(settings_path(project))
    model_path = project.path("resolve") / MODEL_FILE
    if not model_path.is_file():
        raise MshtError(f"no trained model at {model_path}: run `msht run` first")
    model = load_model(model_path)
    with current_store(project) as engine:
        if "resolve_person_input" not in engine.tables():
            raise MshtError("the current store has no resolved persons: run `msht run` again")
        check_prepared(engine)
        if record_b is None:
            return explain_entity(engine, config, model, record_a)
        return explain_pair(engine, config, model, record_a, record_b)


def evaluate(root: Path, truth: Path | None = None) -> ResolveScores:
    """Person clusters of the current store scored against `truth/records.csv`."""
    project = load_project(root)
    truth_file = truth if truth is not None else project.path("truth")
    if truth_file.is_dir():
        truth_file = truth_file / "records.csv"
    with current_store(project) as engine:
        if "resolved_record" not in engine.tables():
            raise MshtError("the current store has no resolved entities: run `msht run` again")
        rows = engine.query(
            "SELECT p.source, p.source_record_id, r.entity_id FROM resolved_record r "
            "JOIN person p ON p.id = r.record_id WHERE r.entity_type = 'Person'"
        ).to_pylist()
        blocking = _blocking(project, engine, truth_file)
    predicted: dict[tuple[str, str], str] = {}
    for r in rows:
        key = (r["source"], r["source_record_id"])
        if key in predicted:
            raise MshtError(
                f"source {key[0]!r} has several person records with record id {key[1]!r}; "
                "a truth file of source,record_id,person_id cannot tell them apart"
            )
        predicted[key] = r["entity_id"]
    scores = score(predicted, read_truth(truth_file))
    return replace(scores, blocking_recall=blocking)


def check_prepared(engine: Engine) -> None:
    """Refuse a store whose prepared person records an earlier msht wrote (without the
    `record_id` column), with what to do, rather than fail on the missing column."""
    columns = engine.query("SELECT * FROM resolve_person_input WHERE false").column_names
    if "record_id" not in columns:
        raise MshtError(
            "the current store was resolved by an earlier version of msht: "
            "run `msht resolve DIR` again"
        )


def _blocking(project: Project, engine: Engine, truth_file: Path) -> float | None:
    """Share of true pairs the blocking rules the last run used compare (DuckDB stores only:
    the rules' conditions are DuckDB SQL)."""
    tables = engine.tables()
    if engine.dialect != "duckdb" or not {"resolve_person_input", BLOCKING_RULES} <= set(tables):
        return None
    check_prepared(engine)
    rules = used_rules(engine.query(f"SELECT rule, used FROM {BLOCKING_RULES}"))
    compared, pairs = blocking_recall(engine, rules, truth_file)
    return compared / pairs if pairs else None


def true_entities(engine: Engine, records: dict[tuple[str, str], str]) -> dict[str, set[str]]:
    """True person id → the person entities their records were resolved into (`records`:
    (source, source record id) → true person id, from a truth file)."""
    rows = engine.query(
        "SELECT p.source, p.source_record_id, r.entity_id FROM resolved_record r "
        "JOIN person p ON p.id = r.record_id WHERE r.entity_type = 'Person'"
    ).to_pylist()
    found: dict[str, set[str]] = {}
    for r in rows:
        person = records.get((r["source"], r["source_record_id"]))
        if person is not None:
            found.setdefault(person, set()).add(r["entity_id"])
    return found
