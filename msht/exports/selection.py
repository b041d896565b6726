"""Which part of the entity graph an export holds: everything, a person's neighbourhood, a
list of entities, a group, or a division; with a readable label for each entity."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.engine.dialect import text_list
from msht.errors import MshtError
from msht.exports.provenance import Provenance, provenance
from msht.model.labels import labels_sql


@dataclass(frozen=True)
class Selection:
    """The entities (nodes) and links (edges) an export holds, and what was asked for."""

    nodes: pa.Table
    edges: pa.Table
    description: str
    #: Source rows and grading behind them (for formats that carry them: ANX cards).
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Filter:
    """One of: `person`'s neighbourhood of `hops` links, the `entities` listed, the members
    of network `group`, or the places of `division` and what is linked to them; none of
    them: the whole graph."""

    person: str | None = None
    hops: int = 1
    entities: list[str] | None = None
    group: str | None = None
    division: str | None = None


def neighbourhood(edges: pa.Table, start: set[str], hops: int) -> set[str]:
    """Entities within `hops` links of the entities `start` (themselves included), walking
    `edges` (from_entity, to_entity) either way."""
    reached, frontier = set(start), set(start)
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


def _group(engine: Engine, group: str) -> set[str]:
    if "network_group_member" not in engine.tables():
        raise MshtError("the current store has no network groups: run `msht network`")
    members = engine.query(
        "SELECT entity_id FROM network_group_member WHERE group_id = " + text_list([group])
    )["entity_id"].to_pylist()
    if not members:
        raise MshtError(f"no network group {group!r}")
    return set(members)


def _division(engine: Engine, edges: pa.Table, division: str) -> set[str]:
    """Addresses and premises of `division`, and every entity linked to one of them."""
    if "network_place" not in engine.tables():
        raise MshtError("the current store has no network places: run `msht network`")
    places = set(
        engine.query(
            f"SELECT entity_id FROM network_place WHERE division = {text_list([division])}"
        )["entity_id"].to_pylist()
    )
    if not places:
        raise MshtError(f"no address or premises in division {division!r}")
    return neighbourhood(edges, places, 1)


def select(engine: Engine, chosen_by: Filter, with_provenance: bool = False) -> Selection:
    """The nodes and edges `chosen_by` picks, and the links among them; with their source
    rows and grading when `with_provenance`."""
    if not {"network_node", "network_edge"} <= set(engine.tables()):
        raise MshtError("the current store has no network: run `msht run` (or `msht network`)")
    f = chosen_by
    asked = [x for x in (f.person, f.entities, f.group, f.division) if x is not None]
    if len(asked) > 1:
        raise MshtError(
            "choose one of a person's neighbourhood, a list of entities, a group or a division"
        )
    if f.hops < 0:
        raise MshtError(f"--hops must be 0 or more, not {f.hops}")
    edges = engine.query(
        "SELECT from_entity, from_type, role, to_entity, to_type, first_date, last_date, links, "
        "sources, link_ids FROM network_edge ORDER BY from_entity, role, to_entity"
    )
    chosen: set[str] | None = None
    description = "the whole network"
    if f.person is not None:
        chosen = neighbourhood(edges, {f.person}, f.hops)
        description = f"{f.person} and everything within {f.hops} link(s)"
    elif f.entities is not None:
        chosen = set(f.entities)
        description = f"{len(chosen)} listed entities and the links among them"
    elif f.group is not None:
        chosen = _group(engine, f.group)
        description = f"network group {f.group} ({len(chosen)} entities)"
    elif f.division is not None:
        chosen = _division(engine, edges, f.division)
        description = f"the addresses and premises of {f.division} division and their links"
    where = "" if chosen is None else f" WHERE n.entity_id IN ({text_list(chosen)})"
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
    cards = provenance(engine, nodes, edges) if with_provenance else None
    return Selection(nodes, edges, description, cards)
