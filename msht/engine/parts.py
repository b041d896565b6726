"""Write a table's rows as Parquet parts, from any process, into a DuckDB store.

A DuckDB store keeps each table as a folder of Parquet files (`<table>/<part>.parquet`),
which DuckDB reads as one table. Ingest workers in other processes write their source's
rows as parts of their own, so no table passes between processes; the engine that owns the
store then opens the new tables (`Engine.refresh`). A part appears by rename, so a reader
never sees half of one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from msht.errors import EngineError

SUFFIX = ".parquet"
#: Snappy: about as fast to write as no compression, and a fifth of the size.
COMPRESSION = "snappy"


def check_name(name: str) -> str:
    """A table or part name that is safe as one path segment; else EngineError."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise EngineError(f"{name!r} is not a table or part name")
    return name


def _plain_where_unique(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Dictionary-encoded text stays so only where its values repeat.

    A dictionary about as long as its column (record ids, or every id of a file of which a
    part uses a few) only slows the writer down.
    """
    if not pa.types.is_dictionary(column.type):
        return column
    value_type = column.type.value_type
    chunks = [c.cast(value_type) if 2 * len(c.dictionary) > len(c) else c for c in column.chunks]
    if len({c.type for c in chunks}) > 1:
        chunks = [c.cast(value_type) for c in chunks]
    return pa.chunked_array(chunks, chunks[0].type if chunks else column.type)


def write_parquet(data: pa.Table, path: Path) -> None:
    """Write one Parquet file at `path`, whole or not at all."""
    tmp = path.with_name(f".{path.name}.tmp")
    columns = [_plain_where_unique(c) for c in data.columns]
    data = pa.Table.from_arrays(columns, names=data.column_names)
    try:
        # No min/max statistics: with a few row groups a table they would prune nothing, and
        # computing them over long text columns took a fifth of the writing time. Dictionary
        # pages only for columns that come dictionary-encoded: the others are mostly unique,
        # and trying a dictionary on them cost another fifth.
        encoded = [f.name for f in data.schema if pa.types.is_dictionary(f.type)]
        pq.write_table(
            data,
            tmp,
            compression=COMPRESSION,
            write_statistics=False,
            use_dictionary=encoded or False,
        )
        tmp.replace(path)
    except (pa.ArrowException, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise EngineError(f"could not write {path}: {exc}") from exc


@dataclass(frozen=True)
class PartWriter:
    """Adds parts to the tables of one store; small and picklable, for worker processes."""

    root: Path

    def write(self, table: str, part: str, data: pa.Table) -> None:
        """Write `data` as part `part` of `table` (replacing a part of that name)."""
        folder = self.root / check_name(table)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise EngineError(f"cannot make the folder of table {table}: {exc}") from exc
        write_parquet(data, folder / f"{check_name(part)}{SUFFIX}")

    def remove(self, part: str) -> None:
        """Remove part `part` from every table (a source that failed half-way)."""
        for path in self.root.glob(f"[!.]*/{check_name(part)}{SUFFIX}"):
            path.unlink(missing_ok=True)

    def replace_table(self, table: str, staged: Path) -> None:
        """Swap the folder `staged` in as `table`'s folder."""
        folder = self.root / check_name(table)
        old = self.root / f".{table}.old"
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.replace(old)
        staged.replace(folder)
        shutil.rmtree(old, ignore_errors=True)
