"""Column builders for the POLE tables, with Arrow types taken from the schema."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from msht.model.schema import PROVENANCE_COLUMNS, EntityType, Schema

_ARROW: dict[str, pa.DataType] = {
    "date": pa.date32(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
}
PROVENANCE_TYPES: dict[str, pa.DataType] = {
    "id": pa.string(),
    "source": pa.string(),
    "source_record_id": pa.string(),
    "source_file": pa.string(),
    "source_row": pa.int64(),
    "run_id": pa.string(),
}
LINK_SCHEMA = pa.schema(
    [
        *[(c, PROVENANCE_TYPES[c]) for c in PROVENANCE_COLUMNS],
        ("role", pa.string()),
        ("from_type", pa.string()),
        ("from_id", pa.string()),
        ("to_type", pa.string()),
        ("to_id", pa.string()),
        ("start_date", pa.date32()),
        ("end_date", pa.date32()),
    ]
)
QUARANTINE_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("source_file", pa.string()),
        ("source_row", pa.int64()),
        ("source_record_id", pa.string()),
        ("field", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("problems", pa.string()),
        ("raw", pa.string()),
        ("run_id", pa.string()),
    ]
)


def entity_schema(entity: EntityType) -> pa.Schema:
    """Arrow schema of an entity table: provenance columns, then the properties."""
    fields = [pa.field(c, PROVENANCE_TYPES[c]) for c in PROVENANCE_COLUMNS]
    for name, prop in entity.properties.items():
        base = _ARROW.get(prop.type, pa.string())
        fields.append(pa.field(name, pa.list_(base) if prop.multiple else base))
    return pa.schema(fields)


class TableBuilder:
    """Append rows column by column; build one Arrow table at the end."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.columns: dict[str, list[Any]] = {name: [] for name in schema.names}

    def append(self, row: dict[str, Any]) -> None:
        """Add a row; missing columns are null."""
        for name, column in self.columns.items():
            column.append(row.get(name))

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def build(self) -> pa.Table:
        """The Arrow table of every appended row."""
        return pa.table(
            {n: pa.array(c, type=self.schema.field(n).type) for n, c in self.columns.items()},
            schema=self.schema,
        )


def builders(schema: Schema) -> dict[str, TableBuilder]:
    """One empty builder per POLE table, plus `link` and `quarantine`."""
    out = {e.table: TableBuilder(entity_schema(e)) for e in schema.entities.values()}
    out["link"] = TableBuilder(LINK_SCHEMA)
    out["quarantine"] = TableBuilder(QUARANTINE_SCHEMA)
    return out
