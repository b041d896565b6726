"""Which part of the entity graph an export holds: everything, a person's neighbourhood, or
a list of entities; with a readable label for each entity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.errors import MshtError

#: Per entity type, the SQL of each record's label (the smallest is the entity's label).
_LABELS = {
    "Person": (
        "person",
        "nullif(trim(coalesce(x.full_name, coalesce(x.forenames, '') || ' ' || "
        "coalesce(x.surname, ''))), '')",
    ),
    "Address": ("address", "coalesce(x.full_text, x.line1) || coalesce(', ' || x.postcode, '')"),
    "Premises": ("premises", "x.business_name || coalesce(', ' || x.postcode, '')"),
    "Vehicle": ("vehicle", "x.vrm"),
    "Phone": ("phone", "x.number"),
    "IdentityDocument": (
        "identity_document",
        "coalesce(x.document_type, 'document') || ' ' || x.number",
    ),
}


def labels_sql(tables: Iterable[str]) -> str:
    """SQL of entity id → label, over the entity types whose tables the store has."""
    present = set(tables)
    parts = [
        f"""SELECT r.entity_id, min({expr}) AS label FROM resolved_record r
            JOIN {table} x ON x.id = r.record_id
            WHERE r.entity_type = '{entity_type}' GROUP BY r.entity_id"""
        for entity_type, (table, expr) in _LABELS.items()
        if table in present
    ]
    return " UNION ALL ".join(parts) or "SELECT '' AS entity_id, '' AS label WHERE false"


@dataclass(frozen=True)
class Selection:
    """The entities (nodes) and links (edges) an export holds, and what was asked for."""

    nodes: pa.Table
    edges: pa.Table
    description: str


def _quoted(ids: Iterable[str]) -> str:
    return ", ".join("'" + i.replace("'", "''") + "'" for i in sorted(ids))


def neighbourhood(edges: pa.Table, start: str, hops: int) -> set[str]:
    """Entities within `hops` links of entity `start` (itself included), walking `edges`
    (from_entity, to_entity) either way."""
    reached, frontier = {start}, {start}
    for _ in range(hops):
        if not frontier:
            break
        ends = pa.array(sorted(frontier), pa.string())
        touching = edges.filter(
            pc.or_(
                pc.is_in(edges["from_entity"], value_set=ends),
                pc.is_in(edges["to_entity"], value_set=ends),
            )
        )
        found = set(touching["from_entity"].to_pylist()) | set(touching["to_entity"].to_pylist())
        frontier = found - reached
        reached |= found
    return reached


def select(
    engine: Engine,
    person: str | None = None,
    hops: int = 1,
    entities: list[str] | None = None,
) -> Selection:
    """The nodes and edges to export: `person`'s neighbourhood of `hops` links, or the
    `entities` listed and the links among them, or (neither) the whole graph."""
    if not {"network_node", "network_edge"} <= set(engine.tables()):
        raise MshtError("the current store has no network: run `msht run` (or `msht network`)")
    if person is not None and entities:
        raise MshtError("choose a person's neighbourhood or a list of entities, not both")
    if hops < 0:
        raise MshtError(f"--hops must be 0 or more, not {hops}")
    edges = engine.query(
        "SELECT from_entity, from_type, role, to_entity, to_type, first_date, last_date, links, "
        "sources, link_ids FROM network_edge ORDER BY from_entity, role, to_entity"
    )
    chosen: set[str] | None = None
    description = "the whole network"
    if person is not None:
        chosen = neighbourhood(edges, person, hops)
        description = f"{person} and everything within {hops} link(s)"
    elif entities:
        chosen = set(entities)
        description = f"{len(chosen)} listed entities and the links among them"
    where = "" if chosen is None else f" WHERE n.entity_id IN ({_quoted(chosen)})"
    nodes = engine.query(
        f"SELECT n.entity_id, n.entity_type, l.label, n.records, n.sources FROM network_node n "
        f"LEFT JOIN ({labels_sql(engine.tables())}) l ON l.entity_id = n.entity_id{where} "
        "ORDER BY n.entity_id"
    )
    if chosen is not None:
        inside = pa.array(sorted(chosen), pa.string())
        keep = pc.and_(
            pc.is_in(edges["from_entity"], value_set=inside),
            pc.is_in(edges["to_entity"], value_set=inside),
        )
        edges = edges.filter(keep)
        missing = chosen - set(nodes["entity_id"].to_pylist())
        if missing:
            raise MshtError(f"no entity {sorted(missing)[0]!r} in the network")
    return Selection(nodes, edges, description)
