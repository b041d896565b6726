"""Indicator commands on a project: score the hits of the current store against the truth."""

from __future__ import annotations

from pathlib import Path

from msht.errors import MshtError
from msht.indicators.evaluate import IndicatorScores, Key, read_spans, score_indicators
from msht.indicators.stage import HITS
from msht.ingest.mapping import load_mapping
from msht.model.schema import pole_schema
from msht.pipeline.resolution import current_store
from msht.project.config import Project, load_project


def _columns(project: Project) -> dict[tuple[str, str, str], str]:
    """(source, event type, property) → the source column it is read from."""
    schema = pole_schema()
    columns = {}
    for path in project.mapping_files():
        mapping = load_mapping(path, schema)
        for entity in mapping.entities.values():
            for prop, where in entity.properties.items():
                if where.column is not None:
                    columns[(mapping.source, entity.type, prop)] = where.column
    return columns


def evaluate_indicators(root: Path, truth: Path | None = None) -> IndicatorScores:
    """Score the current store's indicator hits against `truth/indicators.csv` and
    `truth/negations.csv`."""
    project = load_project(root)
    folder = truth if truth is not None else project.path("truth")
    signs = read_spans(folder / "indicators.csv")
    negations = read_spans(folder / "negations.csv")
    columns = _columns(project)
    with current_store(project) as engine:
        if HITS not in engine.tables():
            raise MshtError("the current store has no indicator hits: run `msht run`")
        rows = engine.query(
            "SELECT source, source_record_id, event_type, field, indicator_id, span_start, "
            f"span_end FROM {HITS}"
        ).to_pylist()
    hits: list[tuple[Key, str, int, int]] = []
    for r in rows:
        column = columns.get((r["source"], r["event_type"], r["field"]), r["field"])
        hits.append(
            (
                (r["source"], r["source_record_id"], column),
                r["indicator_id"],
                r["span_start"],
                r["span_end"],
            )
        )
    return score_indicators(hits, signs, negations)
