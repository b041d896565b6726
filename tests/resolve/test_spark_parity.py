"""Person resolution on Spark local[2] gives the same clusters as on DuckDB, with the same
model JSON (trained once, on DuckDB)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "engine"))
from spark_support import SPARK_MARKS, require_spark

from msht.engine.warehouse import Warehouse
from msht.pipeline.run import run_project
from msht.synth import generate

pytestmark = [*SPARK_MARKS, pytest.mark.slow]


def _clusters(root: Path, kind: str) -> set[frozenset[str]]:
    store = Warehouse(root / "store", kind).open_current()  # type: ignore[arg-type]
    assert store is not None
    try:
        rows = store.query(
            "SELECT entity_type, record_id, entity_id FROM resolved_record"
        ).to_pylist()
    finally:
        store.close()
    groups: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        groups.setdefault((r["entity_type"], r["entity_id"]), set()).add(r["record_id"])
    return {frozenset(g) for g in groups.values()}


def test_spark_resolves_the_same_clusters_with_the_same_model(tmp_path: Path) -> None:
    require_spark()
    root = tmp_path / "p"
    generate(root, 400, 3)
    run_project(root, engine="duckdb")
    model = root / "resolve" / "person_model.json"
    saved = model.read_text()
    duck = _clusters(root, "duckdb")
    shutil.rmtree(root / "runs")
    result = run_project(root, engine="spark")
    assert result.summary.extra["resolve"]["model"] == "reused"
    assert model.read_text() == saved
    assert json.loads(saved)["comparisons"]
    spark = _clusters(root, "spark")
    assert len(duck) > 100 and any(len(group) > 1 for group in duck)
    assert spark == duck
