"""Spark engine (local mode by default): tables are Parquet folders under one directory.

pyspark is imported here only, and lazily, so msht runs without it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import sqlglot

from msht.engine.base import Engine
from msht.errors import EngineError

_SESSION: Any = None


def _session() -> Any:
    """One local SparkSession per process (starting one costs ~10 s)."""
    global _SESSION  # noqa: PLW0603 -- a process-wide cache of an expensive resource
    if _SESSION is not None:
        return _SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError("the Spark engine needs pyspark: pip install 'msht[spark]'") from exc
    master = os.environ.get("MSHT_SPARK_MASTER", "local[2]")
    _SESSION = (
        SparkSession.builder.master(master)
        .appName("msht")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.log.structuredLogging.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


def transpile(sql: str) -> str:
    """Translate msht SQL (DuckDB dialect) to Spark SQL."""
    return ";\n".join(sqlglot.transpile(sql, read="duckdb", write="spark"))


class SparkEngine(Engine):
    """Tables are Parquet folders in `location`, exposed to SQL as temporary views."""

    dialect: ClassVar[str] = "spark"

    def __init__(self, location: Path, read_only: bool = False) -> None:
        self._root = location
        self._read_only = read_only
        if not read_only:
            location.mkdir(parents=True, exist_ok=True)
        elif not location.is_dir():
            raise EngineError(f"no Spark store at {location}")
        self._spark = _session()
        for table in self.tables():
            self._spark.read.parquet(str(self._root / table)).createOrReplaceTempView(table)

    def _save(self, name: str, frame: Any) -> None:
        if self._read_only:
            raise EngineError(f"store {self._root} is open read-only")
        target = self._root / name
        tmp = self._root / f".{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        frame.write.parquet(str(tmp))
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
        self._spark.read.parquet(str(target)).createOrReplaceTempView(name)

    def create_table(self, name: str, data: pa.Table) -> None:
        """Store an Arrow table as Parquet (types kept via Arrow)."""
        self._save(name, self._spark.createDataFrame(data))

    def create_table_as(self, name: str, sql: str) -> None:
        """Materialise a query."""
        self._save(name, self._spark.sql(transpile(sql)))

    def query(self, sql: str) -> pa.Table:
        """Run SQL (transpiled) and collect as Arrow."""
        result: pa.Table = self._spark.sql(transpile(sql)).toArrow()
        return result

    def tables(self) -> list[str]:
        """Parquet folders in the store."""
        if not self._root.is_dir():
            return []
        return sorted(p.name for p in self._root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def close(self) -> None:
        """Drop this store's views; the session stays for reuse in the process."""
        for table in self.tables():
            self._spark.catalog.dropTempView(table)
