from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from msht.engine.warehouse import Warehouse
from msht.errors import MshtError


def _build(w: Warehouse, version: str) -> None:
    with w.new_version(version) as store:
        store.create_table("t", pa.table({"v": [version]}))


def test_a_second_run_at_the_same_time_is_refused(tmp_path: Path) -> None:
    w = Warehouse(tmp_path, "duckdb")
    with w.new_version("a"), pytest.raises(MshtError, match="another run"):
        _build(Warehouse(tmp_path, "duckdb"), "b")


def test_a_failed_build_leaves_the_current_version(tmp_path: Path) -> None:
    w = Warehouse(tmp_path, "duckdb")
    _build(w, "a")
    with pytest.raises(RuntimeError), w.new_version("b"):
        raise RuntimeError("boom")
    store = w.open_current()
    assert store is not None and store.scalar("SELECT v FROM t") == "a"
    store.close()


def test_only_this_engines_versions_are_cleaned_up(tmp_path: Path) -> None:
    other = tmp_path / "pole-x.parquet"
    other.mkdir(parents=True)
    w = Warehouse(tmp_path, "duckdb")
    for version in ("a", "b", "c"):
        _build(w, version)
    assert other.is_dir()
    assert sorted(p.name for p in tmp_path.glob("pole-*.duck")) == [
        "pole-b.duck",
        "pole-c.duck",
    ]


def test_a_version_from_the_current_one_keeps_only_the_tables_asked_for(tmp_path: Path) -> None:
    w = Warehouse(tmp_path, "duckdb")
    with w.new_version("a") as store:
        store.create_table("person", pa.table({"v": [1]}))
        store.create_table("resolve_scratch", pa.table({"v": [2]}))
    with w.new_version("b", from_current=True, keep=lambda t: t != "resolve_scratch") as store:
        assert store.tables() == ["person"]
        assert store.query("SELECT v FROM person").column(0).to_pylist() == [1]
