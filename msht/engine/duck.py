"""DuckDB engine: an embedded database file holds the tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import duckdb
import pyarrow as pa

from msht.engine.base import Engine
from msht.errors import EngineError


def quote(name: str) -> str:
    """Quote an identifier for DuckDB."""
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def _duckdb_errors(action: str) -> Iterator[None]:
    """Raise DuckDB's errors as EngineError, as the Spark engine does."""
    try:
        yield
    except duckdb.Error as exc:
        raise EngineError(f"DuckDB could not {action}: {exc}") from exc


class DuckDBEngine(Engine):
    """Tables live in one DuckDB database file."""

    dialect: ClassVar[str] = "duckdb"

    def __init__(self, location: Path, read_only: bool = False) -> None:
        try:
            self._con = duckdb.connect(str(location), read_only=read_only)
        except duckdb.Error as exc:
            raise EngineError(f"cannot open DuckDB store {location}: {exc}") from exc

    def create_table(self, name: str, data: pa.Table) -> None:
        """Store an Arrow table (copied into DuckDB's own storage)."""
        view = f"_arrow_{name}"
        with _duckdb_errors(f"write table {name}"):
            self._con.register(view, data)
            try:
                self._con.execute(
                    f"CREATE OR REPLACE TABLE {quote(name)} AS SELECT * FROM {quote(view)}"
                )
            finally:
                self._con.unregister(view)

    def create_table_as(self, name: str, sql: str) -> None:
        """Materialise a query."""
        with _duckdb_errors(f"run {sql}"):
            self._con.execute(f"CREATE OR REPLACE TABLE {quote(name)} AS {sql}")

    def query(self, sql: str) -> pa.Table:
        """Run SQL and fetch Arrow."""
        with _duckdb_errors(f"run {sql}"):
            return self._con.sql(sql).to_arrow_table()

    def tables(self) -> list[str]:
        """Tables of the main schema."""
        rows = self._con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        """Checkpoint and close the file."""
        self._con.close()
