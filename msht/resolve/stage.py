"""The resolve stage of a run: person linkage, keyed entities, stable ids, judgements.

Writes to the store version being built:
- `resolved_record`: every record of a resolvable entity type → its resolved entity id;
- `resolved_entity`: one row per resolved entity (type, number of records, sources);
- `match_pair`: every scored pair of person records the links put in one cluster, for or
  against (the evidence each entity was built from), with that cluster's number;
- `resolve_blocking_rule`: the configured blocking rules and whether the run used each;
- `entity_change`: merges and splits of ids, every run's appended to the previous run's;
- `vehicle_candidate`: registration marks one character apart, for a person to check.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.errors import MshtError
from msht.project.config import Project
from msht.project.example import example_dir
from msht.resolve.cluster import entity_pairs
from msht.resolve.config import PersonLinkage, load_person_linkage
from msht.resolve.entities import KEYED, keyed_clusters, vrm_candidates
from msht.resolve.incremental import EarlierEvidence, with_earlier_evidence
from msht.resolve.judgements import Judgement, constraints, read_judgements
from msht.resolve.model import (
    TrainedModel,
    load_model,
    save_model,
    settings_digest,
)
from msht.resolve.names import NameVariants, load_variants, shipped_variants
from msht.resolve.outputs import (
    change_table,
    highs_table,
    no_previous,
    previous_highs,
    previous_records,
    record_table,
)
from msht.resolve.person import (
    BlockingCount,
    blocking_counts,
    comparisons_with_data,
    score_all,
    score_new,
    splink_errors,
    train,
)
from msht.resolve.person_clusters import person_clusters, threshold_weight
from msht.resolve.prepare import PERSON_INPUT, prepare_person_input
from msht.resolve.stable_ids import Assignment, Change, assign_ids

Mode = Literal["auto", "retrain", "incremental"]
PERSON_PREFIX = "PER-"
SETTINGS_FILE = "person.yaml"
MODEL_FILE = "person_model.json"
JUDGEMENTS_FILE = "judgements.jsonl"
#: Table of the configured blocking rules and whether this run used each.
BLOCKING_RULES = "resolve_blocking_rule"
#: Tables the stage writes besides its working tables (named resolve_*).
OUTPUT_TABLES = frozenset(
    {
        "match_pair",
        "resolved_record",
        "resolved_entity",
        "entity_change",
        "entity_id_high",
        "vehicle_candidate",
    }
)


def written_by_resolve(table: str) -> bool:
    """Whether the resolve stage writes `table`: resolving again starts without them, so no
    working table of an earlier run (some hold copies of person fields) lingers."""
    return table in OUTPUT_TABLES or table.startswith("resolve_")


def rules_table(configured: list[list[str] | str], used: list[list[str] | str]) -> pa.Table:
    """Each configured blocking rule (as JSON) and whether the run compared pairs by it."""
    return pa.table(
        {
            "rule": pa.array([json.dumps(r) for r in configured], pa.string()),
            "used": pa.array([r in used for r in configured], pa.bool_()),
        }
    )


def used_rules(table: pa.Table) -> list[list[str] | str]:
    """The rules a run used, from its `rules_table`."""
    return [
        json.loads(r)
        for r, u in zip(table["rule"].to_pylist(), table["used"].to_pylist(), strict=True)
        if u
    ]


@dataclass
class ResolveReport:
    """What the stage did, for the run summary."""

    records: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    pairs_scored: int = 0
    reconsidered: int = 0
    trained: bool = False
    incremental: bool = False
    blocking: list[BlockingCount] = field(default_factory=list)
    changes: list[tuple[str, Change]] = field(default_factory=list)
    highest: dict[str, int] = field(default_factory=dict)
    vehicle_candidates: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_summary(self) -> dict[str, object]:
        """The `resolve` section of summary.json."""
        return {
            "records": self.records,
            "entities": self.entities,
            "pairs_above_threshold": self.pairs_scored,
            "clusters_reconsidered": self.reconsidered,
            "model": "trained" if self.trained else "reused",
            "incremental": self.incremental,
            "blocking": [
                {
                    "rule": b.rule,
                    "comparisons": b.added,
                    "cumulative": b.cumulative,
                    "used": b.used,
                }
                for b in self.blocking
            ],
            "merges": sum(1 for _, c in self.changes if c.kind == "merge"),
            "splits": sum(1 for _, c in self.changes if c.kind == "split"),
            "vehicle_candidates": self.vehicle_candidates,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def settings_path(project: Project) -> Path:
    """The project's `resolve/person.yaml`, or the shipped default when it has none."""
    own = project.path("resolve") / SETTINGS_FILE
    return own if own.is_file() else example_dir() / "resolve" / SETTINGS_FILE


def variants_for(project: Project, config: PersonLinkage) -> NameVariants:
    """The shipped name variants, plus the project's own file if the settings name one."""
    variants = shipped_variants()
    if config.name_variants:
        variants = variants.merged(load_variants(project.path("resolve") / config.name_variants))
    return variants


class _Clock:
    def __init__(self, report: ResolveReport, step: Callable[[str], None]) -> None:
        self.report, self.step, self.last = report, step, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.report.seconds[name] = now - self.last
        self.last = now
        self.step(name)


def _model(
    project: Project,
    engine: Engine,
    config: PersonLinkage,
    mode: Mode,
    records: int,
    report: ResolveReport,
    step: Callable[[str], None],
) -> TrainedModel:
    path = project.path("resolve") / MODEL_FILE
    names = comparisons_with_data(engine, config)
    digest = settings_digest(config) + ":" + ",".join(names)
    if path.is_file() and mode != "retrain":
        model = load_model(path)
        if model.digest == digest:
            return model
        if mode == "incremental":
            raise MshtError(
                f"{path} was trained with other settings or data columns; "
                "run `msht resolve DIR --retrain` first"
            )
    elif mode == "incremental":
        raise MshtError(f"no trained model at {path}: run `msht run DIR` first")
    model = train(engine, config, names, digest, records, step)
    save_model(path, model)
    report.trained = True
    return model


def _scored_pairs(
    engine: Engine,
    config: PersonLinkage,
    model: TrainedModel,
    rules: list[list[str] | str],
    old: dict[str, str],
    mode: Mode,
) -> str:
    """The scored pairs of this run as an SQL relation on the engine (none without rules)."""
    nothing = (
        "(SELECT CAST(NULL AS VARCHAR) AS unique_id_l, CAST(NULL AS VARCHAR) AS unique_id_r, "
        "CAST(NULL AS DOUBLE) AS match_weight, CAST(NULL AS DOUBLE) AS match_probability, "
        "CAST(NULL AS VARCHAR) AS match_key, CAST(NULL AS BIGINT) AS n_l, "
        "CAST(NULL AS BIGINT) AS n_r WHERE false)"
    )
    if not rules:
        return nothing
    if mode != "incremental" or not old:
        return score_all(engine, config, model, rules)
    engine.create_table("resolve_previous", pa.table({"record_id": pa.array(sorted(old))}))
    known = "SELECT record_id FROM resolve_previous"
    engine.create_table_as(
        "resolve_person_new", f"SELECT * FROM {PERSON_INPUT} WHERE record_id NOT IN ({known})"
    )
    engine.create_table_as(
        "resolve_person_old", f"SELECT * FROM {PERSON_INPUT} WHERE record_id IN ({known})"
    )
    if not engine.scalar("SELECT count(*) AS n FROM resolve_person_new"):
        return nothing
    return score_new(engine, config, model, rules, "resolve_person_new", "resolve_person_old")


def _record(report: ResolveReport, entity_type: str, assignment: Assignment) -> None:
    """Count one entity type's records, entities, changes and highest id in the report."""
    ids = assignment.ids
    report.records[entity_type] = ids.num_rows
    report.entities[entity_type] = pc.count_distinct(ids["entity_id"]).as_py()
    report.changes += [(entity_type, c) for c in assignment.changes]
    report.highest[entity_type] = assignment.highest


def _among(ids: pa.Array, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The judged `pairs` both of whose records are among `ids` (the rest act on nothing)."""
    if not pairs:
        return []
    present = pc.is_in(pa.array([r for p in pairs for r in p], pa.string()), value_set=ids)
    flags = present.to_pylist()
    return [p for i, p in enumerate(pairs) if flags[2 * i] and flags[2 * i + 1]]


def resolve_people(
    project: Project,
    engine: Engine,
    previous: pa.Table,
    issued: int,
    earlier_pairs: pa.Table | None,
    mode: Mode,
    report: ResolveReport,
    step: Callable[[str], None],
    judgements: Sequence[Judgement] = (),
) -> Assignment | None:
    """Stable person ids of the person records (None when there are none); also writes
    `match_pair`. `previous` holds the last run's person ids (schema `PREVIOUS`)."""
    clock = _Clock(report, step)
    config = load_person_linkage(settings_path(project))
    records = prepare_person_input(engine, variants_for(project, config))
    clock.lap("prepare")
    if records == 0:
        return None
    with splink_errors("train the person model"):
        model = _model(project, engine, config, mode, records, report, step)
    clock.lap("train" if report.trained else "load model")
    with splink_errors("count the comparisons of the blocking rules"):
        report.blocking, rules = blocking_counts(engine, config, list(model.levels), records)
    engine.create_table(BLOCKING_RULES, rules_table(config.blocking_rules, rules))
    clock.lap("blocking analysis")
    report.incremental = mode == "incremental" and previous.num_rows > 0
    # record → earlier entity, in Python only where it is used record by record
    old = (
        dict(zip(previous["record"].to_pylist(), previous["old"].to_pylist(), strict=True))
        if report.incremental
        else {}
    )
    threshold = threshold_weight(config.threshold_match_probability)
    ids = (
        engine.query(f"SELECT record_id FROM {PERSON_INPUT} ORDER BY unique_id")
        .column(0)
        .combine_chunks()
    )
    # the project's file (older judgements, tests) and the serving store's (the API's)
    on_file = read_judgements(project.path("resolve") / JUDGEMENTS_FILE)
    same, different = constraints([*on_file, *judgements])
    same, different = _among(ids, same), _among(ids, different)
    with splink_errors("score pairs of person records"):
        scored = _scored_pairs(engine, config, model, rules, old, mode)
        if report.incremental:
            evidence = EarlierEvidence(earlier_pairs, old, same)
            scored = with_earlier_evidence(engine, config, model, scored, evidence, threshold)
    if report.incremental:  # earlier entities stay together: their records join first
        known = set(ids.to_pylist())
        same += entity_pairs({r: e for r, e in old.items() if r in known})
    clock.lap("score pairs")
    with splink_errors("cluster person records"):
        clusters = person_clusters(
            engine,
            ids,
            scored,
            threshold,
            same,
            different,
        )
    report.pairs_scored = clusters.links
    report.reconsidered = clusters.reconsidered
    assignment = assign_ids(clusters.labels, previous, PERSON_PREFIX, issued)
    clock.lap("cluster")
    return assignment


def resolve_project(
    project: Project,
    engine: Engine,
    previous: Engine | None,
    run_id: str,
    mode: Mode = "auto",
    step: Callable[[str], None] = lambda _: None,
    judgements: Sequence[Judgement] = (),
) -> ResolveReport:
    """Resolve every entity type of the store `engine` (the version being built); `previous`
    is the last run's store, whose ids are kept; `judgements` (from the serving store) bind
    as the project's own do."""
    report = ResolveReport()
    earlier = previous_records(previous)
    issued = previous_highs(previous)
    resolved: dict[str, pa.Table] = {}
    if "person" in engine.tables():
        earlier_pairs = None
        if mode == "incremental" and previous is not None and "match_pair" in previous.tables():
            earlier_pairs = previous.query("SELECT * FROM match_pair")
        people = resolve_people(
            project,
            engine,
            earlier.get("Person", no_previous()),
            issued.get("Person", 0),
            earlier_pairs,
            mode,
            report,
            step,
            judgements,
        )
        if people is not None:
            _record(report, "Person", people)
            resolved["Person"] = people.ids
    start = time.perf_counter()
    for entity_type, (_, prefix, _) in KEYED.items():
        labels = keyed_clusters(engine, entity_type)
        if labels is not None and labels.num_rows:
            old = earlier.get(entity_type, no_previous())
            assignment = assign_ids(labels, old, prefix, issued.get(entity_type, 0))
            _record(report, entity_type, assignment)
            resolved[entity_type] = assignment.ids
    candidates = vrm_candidates(engine)
    report.vehicle_candidates = len(candidates)
    engine.create_table(
        "vehicle_candidate",
        pa.table(
            {
                "vrm_a": pa.array([a for a, _ in candidates], pa.string()),
                "vrm_b": pa.array([b for _, b in candidates], pa.string()),
                "reason": pa.array(["one character apart"] * len(candidates), pa.string()),
            }
        ),
    )
    report.seconds["other entities"] = time.perf_counter() - start
    step("other entities")
    start = time.perf_counter()
    engine.create_table("resolve_assignment", record_table(resolved))
    tables = {"Person": "person", **{t: spec[0] for t, spec in KEYED.items()}}
    sources = " UNION ALL ".join(f"SELECT id, source FROM {tables[t]}" for t in resolved)
    sql = "SELECT *, CAST(NULL AS VARCHAR) AS source FROM resolve_assignment"
    if resolved:
        sql = (
            "SELECT r.entity_type, r.record_id, r.entity_id, s.source FROM resolve_assignment r "
            f"LEFT JOIN ({sources}) s ON s.id = r.record_id"
        )
    engine.create_table_as("resolved_record", sql)
    engine.create_table_as(
        "resolved_entity",
        """SELECT entity_id, entity_type, CAST(count(*) AS BIGINT) AS records,
                  list_sort(list(DISTINCT source) FILTER (WHERE source IS NOT NULL)) AS sources
           FROM resolved_record GROUP BY entity_id, entity_type""",
    )
    engine.create_table("entity_change", change_table(previous, run_id, report.changes))
    engine.create_table("entity_id_high", highs_table({**issued, **report.highest}))
    report.seconds["write"] = time.perf_counter() - start
    step("write")
    return report
