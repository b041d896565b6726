"""Ingest in worker processes gives the store that ingest in one process gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from factories import store_tables

from msht.engine.parts import PartWriter
from msht.errors import ConfigError
from msht.ingest.mapping import load_mapping
from msht.ingest.project import ingest_and_write, use_jemalloc
from msht.pipeline.run import run_project
from msht.settings import settings
from msht.synth import generate


def _tables(root: Path) -> dict[str, tuple[list[str], list[dict[str, object]]]]:
    return {
        table: ([str(t) for t in rows.schema.types], rows.to_pylist())
        for table, rows in store_tables(root).items()
    }


def test_workers_and_one_process_build_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    generate(one, people=1500, seed=3)
    shutil.copytree(one, two)
    monkeypatch.setenv("MSHT_INGEST_WORKERS", "1")
    alone = run_project(one)
    monkeypatch.setenv("MSHT_INGEST_WORKERS", "2")
    together = run_project(two)
    assert together.summary.sources == alone.summary.sources
    assert sum(s["quarantined"] for s in alone.summary.sources.values()) > 0
    first, second = _tables(one), _tables(two)
    assert sorted(first) == sorted(second)
    for table in first:
        assert second[table] == first[table], table
    # Every table exists, even one no source fills, and the big ones are really there.
    assert len(first["person"][1]) > 1000 and len(first["link"][1]) > 1000


def test_worker_count_must_be_a_positive_whole_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSHT_INGEST_WORKERS", "3")
    assert settings().ingest_workers == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("MSHT_INGEST_WORKERS", bad)
        with pytest.raises(ConfigError, match="MSHT_INGEST_WORKERS"):
            settings()


def test_a_source_whose_parts_cannot_be_written_fails_and_leaves_none(tmp_path: Path) -> None:
    project = tmp_path / "p"
    generate(project, people=300, seed=1)
    store = tmp_path / "store"
    store.mkdir()
    (store / "phone").write_text("not a folder")  # the crime source's phones cannot go here
    mapping = load_mapping(project / "sources" / "crime.yaml")
    stats = ingest_and_write(project, mapping, "run", PartWriter(store))
    assert stats.error is not None and "phone" in stats.error
    assert any(p.is_dir() for p in store.iterdir())  # some parts were written before it
    assert not list(store.glob("*/crime.parquet"))  # and are gone
    (store / "phone").unlink()
    good = ingest_and_write(
        project, load_mapping(project / "sources" / "custody.yaml"), "run", PartWriter(store)
    )
    assert good.error is None and (store / "person" / "custody.parquet").is_file()


def test_an_unusable_glob_fails_its_source_only(tmp_path: Path) -> None:
    project = tmp_path / "p"
    generate(project, people=300, seed=2)
    mapping = project / "sources" / "missing.yaml"
    # Python 3.11's glob refuses "**" inside a name: the source fails, the others load.
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace('files: "data/missing/*.csv"', 'files: "data/missing/**.csv"'))
    assert "**.csv" in mapping.read_text(encoding="utf-8")
    result = run_project(project)
    assert result.failed_sources == ["missing"]
    assert result.summary.sources["crime"]["loaded"] > 0


def _jemalloc_or(default: str) -> str:
    try:
        return pa.jemalloc_memory_pool().backend_name
    except pa.ArrowNotImplementedError:
        return default


def test_workers_allocate_with_jemalloc_unless_a_pool_is_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = pa.default_memory_pool()
    try:
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
        use_jemalloc()
        assert pa.default_memory_pool().backend_name == before.backend_name
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
        use_jemalloc()
        assert pa.default_memory_pool().backend_name == _jemalloc_or(before.backend_name)
    finally:
        pa.set_memory_pool(before)
