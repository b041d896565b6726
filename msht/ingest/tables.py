"""Column builders for the POLE tables, with Arrow types taken from the schema."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from msht.model.schema import PROVENANCE_COLUMNS, EntityType, Property, Schema

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


def arrow_type(prop: Property) -> pa.DataType:
    """Arrow type of a property's values (a list type when it holds several)."""
    base = _ARROW.get(prop.type, pa.string())
    return pa.list_(base) if prop.multiple else base


def entity_schema(entity: EntityType) -> pa.Schema:
    """Arrow schema of an entity table: provenance columns, then the properties."""
    fields = [pa.field(c, PROVENANCE_TYPES[c]) for c in PROVENANCE_COLUMNS]
    fields += [pa.field(name, arrow_type(prop)) for name, prop in entity.properties.items()]
    return pa.schema(fields)


class TableBuilder:
    """Collect Arrow chunks and single rows of one table; build it typed at the end."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.chunks: list[pa.Table] = []
        self.rows: list[dict[str, Any]] = []

    def append(self, row: dict[str, Any]) -> None:
        """Add one row (missing keys are null)."""
        self.rows.append(row)

    def add(self, chunk: pa.Table) -> None:
        """Add a chunk built with this table's schema (empty ones would only mix types)."""
        if chunk.num_rows:
            self.chunks.append(chunk)

    def build(self) -> pa.Table:
        """The whole table; a column keeps its chunks' type when they agree (dictionary-encoded
        text, say), else takes the schema's."""
        parts = [*self.chunks, pa.Table.from_pylist(self.rows, schema=self.schema)]
        if not self.rows:
            parts = parts[:-1] or parts
        fields = []
        for i, f in enumerate(self.schema):
            types = {part.schema.field(i).type for part in parts}
            fields.append(pa.field(f.name, types.pop() if len(types) == 1 else f.type))
        common = pa.schema(fields)
        return pa.concat_tables([p if p.schema == common else p.cast(common) for p in parts])


def builders(schema: Schema) -> dict[str, TableBuilder]:
    """One empty builder per POLE table, plus `link` and `quarantine`."""
    out = {e.table: TableBuilder(entity_schema(e)) for e in schema.entities.values()}
    out["link"] = TableBuilder(LINK_SCHEMA)
    out["quarantine"] = TableBuilder(QUARANTINE_SCHEMA)
    return out
