"""How SQL runs: one small interface, a DuckDB implementation (default) and a Spark one.

This package is the only place that imports duckdb or pyspark. Stage SQL is written once in
msht's dialect (DuckDB's); the Spark engine transpiles it with sqlglot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from msht.engine.base import Engine
from msht.errors import EngineError

EngineKind = Literal["duckdb", "spark"]

__all__ = ["Engine", "EngineKind", "open_engine"]


def open_engine(kind: EngineKind, location: Path, read_only: bool = False) -> Engine:
    """Open an engine whose tables persist at `location` (a folder of Parquet tables)."""
    if kind == "duckdb":
        from msht.engine.duck import DuckDBEngine

        return DuckDBEngine(location, read_only=read_only)
    if kind == "spark":
        from msht.engine.spark import SparkEngine

        return SparkEngine(location, read_only=read_only)
    raise EngineError(f"unknown engine {kind!r}; use duckdb or spark")
