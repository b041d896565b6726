"""A flag a review removed leaves the network: reach counts, the investigation list and the
groups are built again without the person (R07). On both engines."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from network.stores import CRIMES, LINKS, RECORDS, write_people, write_store

sys.path.insert(0, str(Path(__file__).parents[1] / "engine"))
from spark_support import SPARK_MARKS, require_spark

from msht.engine import EngineKind, open_engine
from msht.engine.base import Engine
from msht.network.settings import load_network_settings
from msht.network.stage import network_project
from msht.network.withhold import withhold_flags
from msht.project.example import example_dir

PEOPLE = ["c", "v1", "v2", "v3", "n"]


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=SPARK_MARKS)])
def kind(request: pytest.FixtureRequest) -> EngineKind:
    if request.param == "spark":
        require_spark()
    value: EngineKind = request.param
    return value


def _reach(engine: Engine, table: str = "network_reach") -> dict[str, tuple[int, int, int]]:
    rows = engine.query(
        f"SELECT entity_id, victims_1hop, victims_1hop_not_home, victims_2hops FROM {table}"
    ).to_pylist()
    return {
        r["entity_id"]: (r["victims_1hop"], r["victims_1hop_not_home"], r["victims_2hops"])
        for r in rows
    }


def _column(engine: Engine, sql: str) -> list[object]:
    return sorted(engine.query(sql).column(0).to_pylist())


def test_a_withheld_victim_is_counted_around_nobody(kind: EngineKind, tmp_path: Path) -> None:
    settings = load_network_settings(example_dir() / "rules")
    with open_engine(kind, tmp_path / ("store.duck" if kind == "duckdb" else "store.parquet")) as e:
        write_store(e, RECORDS, LINKS, CRIMES)
        write_people(e, PEOPLE, dobs=[date(1980, 1, 1)] * len(PEOPLE))
        built = network_project(e, settings)
        assert built is not None and built.flagged == 3
        before = _reach(e)
        assert before["PER-C"] == (3, 3, 3) and before["PER-N"] == (1, 0, 3)
        assert _reach(e, "network_for_investigation") == {"PER-C": (3, 3, 3)}
        assert withhold_flags(e, settings, set(), built) == built

        after = withhold_flags(e, settings, {"PER-V1"}, built)
        reach = _reach(e)
        listed = _reach(e, "network_for_investigation")
        flagged = _column(e, "SELECT entity_id FROM network_flagged")
        reach_flags = _column(e, "SELECT entity_id FROM network_reach WHERE flagged")
        group_flags = _column(e, "SELECT entity_id FROM network_group_member WHERE flagged")
        in_groups = _column(e, "SELECT flagged FROM network_group")
    assert reach["PER-C"] == (2, 2, 2)  # the van's other two victims
    assert reach["PER-N"] == (0, 0, 2)  # the neighbour lives with nobody flagged now
    # now unflagged, an adult in a van with two victims: kept off the list all the same
    assert reach["PER-V1"] == (2, 2, 2) and listed == {"PER-C": (2, 2, 2)}
    assert flagged == reach_flags == group_flags == ["PER-V2", "PER-V3"]
    assert sum(int(str(n)) for n in in_groups) == 2
    assert (after.flagged, after.for_investigation) == (2, 1)
    assert (after.nodes, after.edges) == (built.nodes, built.edges)
