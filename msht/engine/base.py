"""The engine interface every compute backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from types import TracebackType
from typing import Any, ClassVar

import pyarrow as pa

from msht.engine.dialect import SqlDialect, dialect_for
from msht.engine.parts import PartWriter


class Engine(ABC):
    """Register Arrow tables, run SQL written in msht's dialect, read results as Arrow."""

    #: sqlglot dialect name of the engine.
    dialect: ClassVar[str]

    @property
    def sql_dialect(self) -> SqlDialect:
        """Snippets for the SQL that differs between engines (date parsing, ages)."""
        return dialect_for(self.dialect)

    @abstractmethod
    def create_table(self, name: str, data: pa.Table) -> None:
        """Store `data` as a persistent table `name`, replacing any table of that name."""

    def create_tables(self, tables: Mapping[str, pa.Table]) -> None:
        """Store several tables (an engine may write them in parallel)."""
        for name, data in tables.items():
            self.create_table(name, data)

    def part_writer(self) -> PartWriter | None:
        """A writer that worker processes can add table parts with, if the engine has one.

        After the workers finish, `refresh` opens what they wrote.
        """
        return None

    def refresh(self) -> None:  # noqa: B027 - only engines with a part writer need it
        """Open tables that other processes added to the store."""

    @abstractmethod
    def linkage_api(self, *tables: str) -> Any:
        """Splink's database API on this engine, with the store `tables` visible to its SQL.

        Splink runs its SQL where the data is; this is the only place that chooses its backend.
        """

    @abstractmethod
    def create_table_as(self, name: str, sql: str) -> None:
        """Store the result of a query as persistent table `name`, replacing it."""

    @abstractmethod
    def query(self, sql: str) -> pa.Table:
        """Run a query and return its result as an Arrow table; EngineError if it fails."""

    @abstractmethod
    def tables(self) -> list[str]:
        """Names of the persistent tables, sorted."""

    @abstractmethod
    def close(self) -> None:
        """Release the engine's resources."""

    def scalar(self, sql: str) -> object:
        """Run a query returning one value."""
        result = self.query(sql)
        return result.column(0)[0].as_py() if result.num_rows else None

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
