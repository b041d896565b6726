"""A flag a review removed leaves the run's derived tables: rows dropped or unflagged."""

from pathlib import Path

import pyarrow as pa
import pytest

from msht.cases.purge import purge_removed
from msht.engine import open_engine
from msht.engine.base import Engine


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    engine = open_engine("duckdb", tmp_path / "store")
    engine.create_table("risk_profile", pa.table({"entity_id": ["P1", "P2"], "score": [9.0, 7.0]}))
    engine.create_table(
        "risk_evidence", pa.table({"entity_id": ["P1", "P1", "P2"], "rule_id": ["a", "b", "a"]})
    )
    engine.create_table(
        "network_flagged", pa.table({"entity_id": ["P1", "P2"], "flags": ["x", "y"]})
    )
    engine.create_table(
        "network_reach",
        pa.table({"entity_id": ["P1", "P2", "P3"], "flagged": [True, True, False]}),
    )
    engine.create_table(
        "network_group_member",
        pa.table(
            {
                "group_id": ["G1", "G1", "G1", "G2"],
                "entity_id": ["P1", "P2", "P3", "P4"],
                "flagged": [True, True, False, True],
            }
        ),
    )
    engine.create_table(
        "network_group",
        pa.table({"group_id": ["G1", "G2"], "flagged": pa.array([2, 1], pa.int64())}),
    )
    return engine


def _column(store: Engine, sql: str) -> list[object]:
    return list(store.query(sql).column(0).to_pylist())


def test_a_removed_flag_is_dropped_or_unflagged_in_every_derived_table(store: Engine) -> None:
    changed = purge_removed(store, {"P1"})
    assert changed == {
        "risk_profile": 1,
        "risk_evidence": 2,
        "network_flagged": 1,
        "network_reach": 1,
        "network_group_member": 1,
    }
    assert _column(store, "SELECT entity_id FROM risk_profile") == ["P2"]
    assert _column(store, "SELECT entity_id FROM risk_evidence") == ["P2"]
    assert _column(store, "SELECT entity_id FROM network_flagged") == ["P2"]
    order = " ORDER BY entity_id"
    assert _column(store, f"SELECT flagged FROM network_reach{order}") == [False, True, False]
    members = _column(store, f"SELECT flagged FROM network_group_member{order}")
    assert members == [False, True, False, True]
    assert _column(store, "SELECT flagged FROM network_group ORDER BY group_id") == [1, 1]
    assert store.query("SELECT * FROM network_group").schema.field("flagged").type == pa.int64()


def test_a_group_left_with_no_flagged_member_goes_with_its_members(store: Engine) -> None:
    changed = purge_removed(store, {"P4"})
    assert changed["network_group"] == 1 and changed["network_group_member"] == 1
    assert _column(store, "SELECT group_id FROM network_group") == ["G1"]
    members = _column(store, "SELECT entity_id FROM network_group_member ORDER BY entity_id")
    assert members == ["P1", "P2", "P3"]


def test_nobody_removed_changes_nothing_and_missing_tables_are_skipped(
    store: Engine, tmp_path: Path
) -> None:
    assert purge_removed(store, set()) == {}
    assert purge_removed(store, {"P9"}) == {}
    empty = open_engine("duckdb", tmp_path / "empty")
    assert purge_removed(empty, {"P1"}) == {}
