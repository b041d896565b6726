"""Test helpers importable by name from any test (a module, unlike conftest.py, is unique)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from msht.engine.warehouse import Warehouse
from msht.project.example import example_dir

MakeProject = Callable[[dict[str, str], dict[str, bytes | str]], Path]

#: In CI the tests that need Spark, PostgreSQL or Chromium must run: a missing part fails.
IN_CI = os.environ.get("CI", "").lower() == "true"


def write_project(root: Path, mappings: dict[str, str], files: dict[str, bytes | str]) -> Path:
    """A project at `root` with the example msht.yaml, the given mappings and data files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(example_dir() / "msht.yaml", root / "msht.yaml")
    (root / "sources").mkdir(exist_ok=True)
    for name, text in mappings.items():
        (root / "sources" / f"{name}.yaml").write_text(text, encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return root


def store_rows(root: Path, sql: str) -> list[dict[str, Any]]:
    """Rows of a query on the current DuckDB store of the project at `root`."""
    store = Warehouse(root / "store", "duckdb").open_current()
    assert store is not None, f"no store in {root}"
    try:
        rows: list[dict[str, Any]] = store.query(sql).to_pylist()
        return rows
    finally:
        store.close()


def store_tables(root: Path) -> dict[str, pa.Table]:
    """Every ingested table of the current DuckDB store (those with a run id), sorted, without
    the run id (it differs by run)."""
    store = Warehouse(root / "store", "duckdb").open_current()
    assert store is not None, f"no store in {root}"
    try:
        return {
            t: store.query(f'SELECT * EXCLUDE (run_id) FROM "{t}" ORDER BY ALL')
            for t in store.tables()
            if "run_id" in store.query(f'SELECT * FROM "{t}" LIMIT 0').column_names
        }
    finally:
        store.close()
