"""Table parts written apart (by worker processes) read as one table in a DuckDB store."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from msht.engine import open_engine
from msht.engine.parts import PartWriter
from msht.errors import EngineError


def test_parts_read_as_one_table_after_refresh(tmp_path: Path) -> None:
    store = open_engine("duckdb", tmp_path / "store")
    writer = store.part_writer()
    assert writer is not None
    words = pa.array(["a", "b", "a"]).dictionary_encode()
    writer.write("t", "first", pa.table({"id": [1, 2, 3], "word": words}))
    # Another part: columns in another order, text not dictionary-encoded.
    writer.write("t", "second", pa.table({"word": ["c"], "id": [4]}))
    with pytest.raises(EngineError):  # written by "another process": opened on refresh
        store.query("SELECT * FROM t")
    store.refresh()
    assert store.tables() == ["t"]
    rows = store.query("SELECT id, word FROM t ORDER BY id").to_pylist()
    assert rows == [
        {"id": 1, "word": "a"},
        {"id": 2, "word": "b"},
        {"id": 3, "word": "a"},
        {"id": 4, "word": "c"},
    ]
    writer.remove("first")
    assert store.scalar("SELECT count(*) FROM t") == 1
    store.create_table("t", pa.table({"id": [9]}))  # replaces every part
    assert store.query("SELECT * FROM t").to_pylist() == [{"id": 9}]
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["t"]
    store.close()


def test_names_must_be_one_path_segment(tmp_path: Path) -> None:
    writer = PartWriter(tmp_path)
    for table, part in (("../t", "p"), ("t", "a/b"), (".hidden", "p"), ("t", "")):
        with pytest.raises(EngineError):
            writer.write(table, part, pa.table({"x": [1]}))


def test_read_only_store_has_no_part_writer(tmp_path: Path) -> None:
    with open_engine("duckdb", tmp_path / "s") as store:
        store.create_table("t", pa.table({"x": [1]}))
    with open_engine("duckdb", tmp_path / "s", read_only=True) as store, pytest.raises(EngineError):
        store.part_writer()
