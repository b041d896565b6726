"""Person clusters on the engine: links join, clusters with evidence against are rebuilt."""

from pathlib import Path

import numpy as np
import pyarrow as pa

from msht.engine import open_engine
from msht.resolve.person_clusters import (
    COMPONENT,
    EVIDENCE,
    components,
    person_clusters,
    threshold_weight,
)
from msht.resolve.stable_ids import as_mapping


def _numbered(scored: pa.Table, ids: pa.Array) -> pa.Table:
    """The pairs with their records' numbers (places in `ids`), as scoring gives them."""
    place = {record: i for i, record in enumerate(ids.to_pylist())}
    for side in "lr":
        numbers = [place[r] for r in scored[f"unique_id_{side}"].to_pylist()]
        scored = scored.append_column(f"n_{side}", pa.array(numbers, pa.int64()))
    return scored


def test_a_chained_cluster_is_rebuilt_and_its_evidence_kept(tmp_path: Path) -> None:
    pairs = [
        ("a1", "a2", 20.0),
        ("b1", "b2", 20.0),
        ("n", "a1", 4.0),  # a record naming only the shared name links both men
        ("n", "b1", 4.5),
        ("a1", "b1", -12.0),  # their own records disagree
        ("a2", "b2", -12.0),
        ("c1", "c2", 9.0),  # a clean pair, never reconsidered
        ("c1", "a1", -30.0),  # evidence between clusters that never met is not kept
    ]
    scored = pa.table(
        {
            "unique_id_l": [p[0] for p in pairs],
            "unique_id_r": [p[1] for p in pairs],
            "match_weight": [p[2] for p in pairs],
            "match_probability": [2 ** p[2] / (1 + 2 ** p[2]) for p in pairs],
            "match_key": ["0"] * len(pairs),
        }
    )
    ids = pa.array(["a1", "a2", "b1", "b2", "c1", "c2", "n", "z"])
    with open_engine("duckdb", tmp_path / "store") as engine:
        engine.create_table("scored", _numbered(scored, ids))
        found = person_clusters(engine, ids, "(SELECT * FROM scored)", threshold_weight(0.8))
        assert COMPONENT in engine.tables()
        evidence = engine.query(f"SELECT * FROM {EVIDENCE}")
    labels = as_mapping(found.labels)
    assert labels["a1"] == labels["a2"] != labels["b1"] == labels["b2"]
    assert labels["n"] == labels["b1"]  # the stronger evidence
    assert labels["c1"] == labels["c2"] == "c1" and labels["z"] == "z"
    assert found.links == 5 and found.reconsidered == 1
    kept = set(
        zip(evidence["unique_id_l"].to_pylist(), evidence["unique_id_r"].to_pylist(), strict=True)
    )
    assert ("a1", "b1") in kept and ("c1", "a1") not in kept and len(kept) == 7


def test_threshold_weight_is_log2_odds() -> None:
    assert threshold_weight(0.8) == 2.0
    assert threshold_weight(0.5) == 0.0


def test_components_are_labelled_by_their_smallest_node() -> None:
    # a long chain numbered backwards, a star, and a node alone
    chain = np.arange(99, 0, -1)
    left = np.concatenate([chain, [200, 200, 200]])
    right = np.concatenate([chain - 1, [150, 120, 180]])
    label = components(201, left, right)
    assert (label[:100] == 0).all()
    assert label[150] == label[180] == label[200] == 120 and label[130] == 130


def test_judgements_rebuild_a_clean_cluster(tmp_path: Path) -> None:
    scored = pa.table(
        {
            "unique_id_l": ["p", "q"],
            "unique_id_r": ["q", "r"],
            "match_weight": [30.0, 25.0],
            "match_probability": [1.0, 1.0],
            "match_key": ["0", "0"],
        }
    )
    ids = pa.array(["p", "q", "r", "s"])
    with open_engine("duckdb", tmp_path / "store") as engine:
        engine.create_table("scored", _numbered(scored, ids))
        found = person_clusters(
            engine, ids, "(SELECT * FROM scored)", 2.0, same=[("r", "s")], different=[("p", "r")]
        )
    labels = as_mapping(found.labels)
    assert labels["p"] == labels["q"] != labels["r"] == labels["s"]
    assert found.reconsidered == 1
