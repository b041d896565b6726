"""The tables the resolve stage reads from the previous run and writes for this one."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.resolve.stable_ids import PREVIOUS, Change


def previous_highs(previous: Engine | None) -> dict[str, int]:
    """Entity type → the highest id number ever issued (kept from run to run)."""
    if previous is None or "entity_id_high" not in previous.tables():
        return {}
    rows = previous.query("SELECT entity_type, highest FROM entity_id_high").to_pylist()
    return {r["entity_type"]: int(r["highest"]) for r in rows}


def previous_records(previous: Engine | None) -> dict[str, pa.Table]:
    """Entity type → its records' entity ids (schema `PREVIOUS`), as the previous run
    resolved them."""
    if previous is None or "resolved_record" not in previous.tables():
        return {}
    rows = previous.query("SELECT entity_type, record_id, entity_id FROM resolved_record")
    return {
        str(entity_type): rows.filter(pc.equal(rows["entity_type"], entity_type))
        .select(["record_id", "entity_id"])
        .rename_columns(PREVIOUS.names)
        .cast(PREVIOUS)
        for entity_type in pc.unique(rows["entity_type"]).to_pylist()
    }


def no_previous() -> pa.Table:
    """A type's previous records when the last run had none of them."""
    return PREVIOUS.empty_table()


PAIR_SCHEMA = pa.schema(
    [
        ("unique_id_l", pa.string()),
        ("unique_id_r", pa.string()),
        ("match_weight", pa.float64()),
        ("match_probability", pa.float64()),
        ("match_key", pa.string()),
    ]
)


def all_pairs(new: pa.Table, earlier: pa.Table | None) -> pa.Table:
    """The pairs to keep as evidence: the new ones, and in an incremental run the earlier
    pairs too (the entities they built are kept)."""
    parts = [new.select([c for c in PAIR_SCHEMA.names if c in new.column_names])]
    if earlier is not None:
        parts.append(earlier)
    tables = []
    for part in parts:
        columns = {
            f.name: part.column(f.name).cast(f.type)
            if f.name in part.column_names
            else pa.nulls(part.num_rows, f.type)
            for f in PAIR_SCHEMA
        }
        tables.append(pa.table(columns, schema=PAIR_SCHEMA))
    return pa.concat_tables(tables)


def record_table(resolved: dict[str, pa.Table]) -> pa.Table:
    """Entity type, record id and entity id of every resolved record (`resolved`: entity
    type → table of schema `ASSIGNED`)."""
    parts = [
        pa.table(
            {
                "entity_type": pa.repeat(pa.scalar(entity_type, pa.string()), ids.num_rows),
                "record_id": ids["record"],
                "entity_id": ids["entity_id"],
            }
        )
        for entity_type, ids in resolved.items()
    ]
    empty = pa.schema(
        [("entity_type", pa.string()), ("record_id", pa.string()), ("entity_id", pa.string())]
    )
    return pa.concat_tables(parts) if parts else empty.empty_table()


def change_table(
    previous: Engine | None, run_id: str, changes: list[tuple[str, Change]]
) -> pa.Table:
    """This run's merges and splits after every earlier run's (kept from version to version)."""
    rows = [
        {
            "run_id": run_id,
            "entity_type": entity_type,
            "kind": c.kind,
            "before_ids": list(c.before),
            "after_ids": list(c.after),
        }
        for entity_type, c in changes
    ]
    schema = pa.schema(
        [
            ("run_id", pa.string()),
            ("entity_type", pa.string()),
            ("kind", pa.string()),
            ("before_ids", pa.list_(pa.string())),
            ("after_ids", pa.list_(pa.string())),
        ]
    )
    earlier = []
    if previous is not None and "entity_change" in previous.tables():
        earlier = previous.query("SELECT * FROM entity_change").cast(schema).to_pylist()
    return pa.Table.from_pylist(earlier + rows, schema=schema)


def highs_table(highs: dict[str, int]) -> pa.Table:
    """Per entity type, the highest id number ever issued."""
    return pa.table(
        {
            "entity_type": pa.array(list(highs), pa.string()),
            "highest": pa.array(list(highs.values()), pa.int64()),
        }
    )
