"""Where each exported entity and link comes from: the source rows behind it, and the 3x5x2
grading of the intelligence report it rests on. i2 charts carry these as cards."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.engine.dialect import text_list

#: Entity type → the table of its records.
RECORD_TABLES = {
    "Person": "person",
    "Address": "address",
    "Premises": "premises",
    "Vehicle": "vehicle",
    "Phone": "phone",
    "IdentityDocument": "identity_document",
}
_ROW = "x.source, x.source_record_id, x.source_file, CAST(x.source_row AS BIGINT) AS source_row"


@dataclass(frozen=True)
class Provenance:
    """Source rows of the selected entities (`records`: entity_id first) and links
    (`links`: link_id first, with grading columns, null unless an intelligence report)."""

    records: pa.Table
    links: pa.Table


#: Up to this many ids are named in the query; more, and the rows are filtered after.
IN_QUERY = 5_000


def _among(column: str, ids: set[str]) -> str:
    """An SQL condition keeping `ids` (none when there are too many to name: filtered
    afterwards)."""
    return f" AND {column} IN ({text_list(ids)})" if len(ids) <= IN_QUERY else ""


def _records_sql(tables: set[str], entities: set[str]) -> str | None:
    parts = [
        f"SELECT r.entity_id, {_ROW} FROM resolved_record r JOIN {table} x ON x.id = r.record_id "
        f"WHERE r.entity_type = '{entity_type}'{_among('r.entity_id', entities)}"
        for entity_type, table in RECORD_TABLES.items()
        if table in tables
    ]
    return " UNION ALL ".join(parts) or None


def _links_sql(tables: set[str], link_ids: set[str]) -> str:
    grading = (
        "CAST(NULL AS VARCHAR) AS source_evaluation, CAST(NULL AS VARCHAR) AS "
        "intelligence_assessment, CAST(NULL AS VARCHAR) AS handling_code"
    )
    join = ""
    if "intelligence_report" in tables:
        grading = (
            "coalesce(a.source_evaluation, b.source_evaluation) AS source_evaluation, "
            "coalesce(a.intelligence_assessment, b.intelligence_assessment) "
            "AS intelligence_assessment, "
            "coalesce(a.handling_code, b.handling_code) AS handling_code"
        )
        join = (
            "LEFT JOIN intelligence_report a ON a.id = x.to_id "
            "LEFT JOIN intelligence_report b ON b.id = x.from_id"
        )
    return (
        f"SELECT x.id AS link_id, x.role, {_ROW}, {grading} FROM link x {join} "
        f"WHERE true{_among('x.id', link_ids)}"
    )


def _keep(table: pa.Table, column: str, values: Iterable[str]) -> pa.Table:
    wanted = pa.array(sorted(set(values)), pa.string())
    return table.filter(pc.is_in(table[column], value_set=wanted))


def provenance(engine: Engine, nodes: pa.Table, edges: pa.Table) -> Provenance:
    """Source rows of the entities in `nodes` and the links behind `edges`."""
    tables = set(engine.tables())
    entities = set(nodes["entity_id"].to_pylist())
    link_ids = {i for ids in edges["link_ids"].to_pylist() for i in ids or []}
    sql = _records_sql(tables, entities)
    records = (
        engine.query(sql + " ORDER BY entity_id, source, source_row")
        if sql is not None
        else pa.table({"entity_id": pa.array([], pa.string())})
    )
    records = _keep(records, "entity_id", entities)
    links = _keep(
        engine.query(_links_sql(tables, link_ids) + " ORDER BY link_id"), "link_id", link_ids
    )
    return Provenance(records, links)
