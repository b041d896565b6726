"""Person clusters from every scored pair: links join records, evidence against keeps apart.

The scored pairs stay on the engine (a million records make tens of millions of them); only
the links and the pairs inside clusters that need a second look come to Python.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.resolve.cluster import cluster_sorted, contract, strongest_first
from msht.resolve.outputs import PAIR_SCHEMA

#: Table of each person record's first-step cluster (the records its links reach).
COMPONENT = "resolve_person_component"


@dataclass(frozen=True)
class PersonClusters:
    """Record → cluster label, and the evidence it was built from."""

    labels: dict[str, str]
    evidence: pa.Table
    """Every scored pair whose two records the links put in one cluster, for or against."""
    links: int
    """Pairs at or above the threshold."""
    reconsidered: int
    """Clusters built again because two of their records were scored as different people."""


def threshold_weight(probability: float) -> float:
    """The match weight (log2 odds) of a match probability."""
    return math.log2(probability / (1.0 - probability))


def person_clusters(
    engine: Engine,
    ids: Sequence[str],
    scored: str,
    threshold: float,
    same: Sequence[tuple[str, str]] = (),
    different: Sequence[tuple[str, str]] = (),
) -> PersonClusters:
    """Cluster records `ids` from the scored pairs of SQL relation `scored`: links (match
    weight ≥ `threshold`) join strongest first, judgements override; then each cluster
    holding a pair with evidence against (weight ≤ 0) is built again by weighing all its
    pairs (`contract`)."""
    columns = ", ".join(PAIR_SCHEMA.names)
    links = engine.query(
        f"SELECT {columns} FROM {scored} AS s WHERE s.match_weight >= {threshold!r}"
    )
    left, right = strongest_first(links) if links.num_rows else ([], [])
    labels = cluster_sorted(ids, left, right, same, different)
    names = list(labels)
    engine.create_table(
        COMPONENT,
        pa.table(
            {
                "unique_id": pa.array(names, pa.string()),
                "component": pa.array([labels[n] for n in names], pa.string()),
            }
        ),
    )
    inner = engine.query(
        f"""SELECT {", ".join(f"s.{c}" for c in PAIR_SCHEMA.names)}, a.component
            FROM {scored} AS s
            JOIN {COMPONENT} a ON a.unique_id = s.unique_id_l
            JOIN {COMPONENT} b ON b.unique_id = s.unique_id_r
            WHERE a.component = b.component"""
    )
    against = pc.less_equal(inner["match_weight"], 0.0)
    doubtful = pc.unique(inner.filter(against)["component"])
    second = inner.filter(pc.is_in(inner["component"], value_set=doubtful))
    if second.num_rows:
        reopened = set(doubtful.to_pylist())
        members = {record for record, label in labels.items() if label in reopened}
        rebuilt = contract(
            members,
            zip(
                second["unique_id_l"].to_pylist(),
                second["unique_id_r"].to_pylist(),
                second["match_weight"].to_pylist(),
                strict=True,
            ),
            threshold,
            [p for p in same if p[0] in members and p[1] in members],
            [p for p in different if p[0] in members and p[1] in members],
        )
        labels.update(rebuilt)
    evidence = inner.select(PAIR_SCHEMA.names).cast(PAIR_SCHEMA)
    return PersonClusters(labels, evidence, links.num_rows, len(doubtful))
