"""Person clusters from every scored pair: links join records, evidence against keeps apart.

The scored pairs stay on the engine (a million records make tens of millions of them); only
the links, as record numbers, and the pairs inside clusters that need a second look come to
Python. Records are numbered in id order, so a cluster's smallest number is its smallest id.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.resolve.cluster import contract
from msht.resolve.outputs import PAIR_SCHEMA
from msht.resolve.stable_ids import CLUSTERS, mapping_table

#: Table of each person record's first-step cluster (the records its links reach).
COMPONENT = "resolve_person_component"
#: Table of every scored pair whose two records the links put in one cluster, for or
#: against, with that cluster's number: the evidence each entity was built from.
EVIDENCE = "match_pair"
#: Table of the first-step clusters built again.
DOUBTFUL = "resolve_person_doubtful"


@dataclass(frozen=True)
class PersonClusters:
    """Record → cluster label, and what it took (the evidence is in table `EVIDENCE`)."""

    labels: pa.Table
    """Record → cluster label (schema `CLUSTERS`)."""
    links: int
    """Pairs at or above the threshold."""
    reconsidered: int
    """Clusters built again because two of their records were scored as different people,
    or judged so."""


def threshold_weight(probability: float) -> float:
    """The match weight (log2 odds) of a match probability, rounded so that a pair scored at
    exactly the threshold probability is not lost to floating point."""
    return round(math.log2(probability / (1.0 - probability)), 9)


def components(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components of the graph on nodes 0..size-1 with edges left[i]-right[i]:
    each node's smallest node number in its component. Vectorised: the roots of each edge's
    ends hook to the smaller, then every node jumps to its root, until no edge spans two."""
    label = np.arange(size, dtype=np.int64)
    while True:
        low = np.minimum(label[left], label[right])
        np.minimum.at(label, label[left], low)
        np.minimum.at(label, label[right], low)
        while True:  # pointer jumping: each round halves the distance to a root
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label[left], label[right]):
            return label


def person_clusters(
    engine: Engine,
    ids: pa.Array,
    scored: str,
    threshold: float,
    same: Sequence[tuple[str, str]] = (),
    different: Sequence[tuple[str, str]] = (),
) -> PersonClusters:
    """Cluster records `ids` (sorted, distinct) from the scored pairs of SQL relation
    `scored`: links (match weight ≥ `threshold`) and "same" judgements join records into
    connected components; then each component holding a pair with evidence against (weight
    ≤ 0) or a "different" judgement is built again by weighing all its pairs and judgements
    (`contract`). Writes tables `COMPONENT`, `EVIDENCE` and `DOUBTFUL`.

    The pairs' records are also given by number (`n_l`, `n_r`: their places in `ids`), so
    the million-row joins here are on integers."""
    links = engine.query(
        f"SELECT n_l AS l, n_r AS r FROM {scored} AS s WHERE s.match_weight >= {threshold!r}"
    )
    position = {record: i for i, record in enumerate(ids.to_pylist())} if same or different else {}
    # judgements on records not (or no longer) among `ids` have nothing to act on
    same = [p for p in same if p[0] in position and p[1] in position]
    different = [p for p in different if p[0] in position and p[1] in position]
    joined = [(position[a], position[b]) for a, b in same]
    left = np.concatenate([links["l"].to_numpy(), np.array([p[0] for p in joined], np.int64)])
    right = np.concatenate([links["r"].to_numpy(), np.array([p[1] for p in joined], np.int64)])
    label = components(len(ids), left, right)
    numbers = pa.array(np.arange(len(ids)), pa.int64())
    engine.create_table(
        COMPONENT,
        pa.table({"n": numbers, "unique_id": ids, "component": pa.array(label, pa.int64())}),
    )
    # the evidence is written on the engine, never brought to Python whole
    engine.create_table_as(
        EVIDENCE,
        f"""SELECT {", ".join(f"s.{c}" for c in PAIR_SCHEMA.names)}, a.component
            FROM {scored} AS s
            JOIN {COMPONENT} a ON a.n = s.n_l
            JOIN {COMPONENT} b ON b.n = s.n_r
            WHERE a.component = b.component""",
    )
    against = engine.query(f"SELECT DISTINCT component FROM {EVIDENCE} WHERE match_weight <= 0")
    walled = [label[position[a]] for a, b in different if label[position[a]] == label[position[b]]]
    doubtful = np.union1d(against["component"].to_numpy(), np.array(walled, np.int64))
    labels = pa.table([ids, ids.take(pa.array(label, pa.int64()))], schema=CLUSTERS)
    engine.create_table(DOUBTFUL, pa.table({"component": pa.array(doubtful, pa.int64())}))
    if len(doubtful):
        second = engine.query(
            f"SELECT unique_id_l, unique_id_r, match_weight FROM {EVIDENCE} "
            f"WHERE component IN (SELECT component FROM {DOUBTFUL})"
        )
        inside = pa.array(np.isin(label, doubtful))
        members = set(ids.filter(inside).to_pylist())
        rebuilt = contract(
            members,
            zip(
                second["unique_id_l"].to_pylist(),
                second["unique_id_r"].to_pylist(),
                second["match_weight"].to_pylist(),
                strict=True,
            ),
            threshold,
            [p for p in same if p[0] in members],
            [p for p in different if p[0] in members and p[1] in members],
        )
        labels = pa.concat_tables(
            [labels.filter(pc.invert(inside)), mapping_table(rebuilt, CLUSTERS)]
        )
    return PersonClusters(labels, links.num_rows, len(doubtful))
