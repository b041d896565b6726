"""The entity graph as two tables: `network_node` and `network_edge`."""

from __future__ import annotations

from msht.engine.base import Engine

#: One row per resolved entity: id, type, number of records, sources.
NODES = "network_node"
#: One row per pair of entities and role: the links between their records that support it.
EDGES = "network_edge"

#: Entity types that are nodes (events such as crime reports are not: they are evidence).
NODE_TYPES = ("Person", "Address", "Premises", "Vehicle", "Phone", "IdentityDocument")

_TYPES = ", ".join(f"'{t}'" for t in NODE_TYPES)

NODES_SQL = f"""
SELECT entity_id, entity_type, records, sources FROM resolved_entity
WHERE entity_type IN ({_TYPES})
"""

#: Links whose two ends are records of resolved entities (and not the same entity), one row
#: per entity pair and role; the dates are the earliest and latest the links give, and
#: `link_ids` the supporting links, for an analyst to trace each edge to its source rows.
EDGES_SQL = f"""
WITH ends AS (
  SELECT l.id AS link_id, l.role, l.source, l.start_date, l.end_date,
         f.entity_id AS from_entity, f.entity_type AS from_type,
         t.entity_id AS to_entity, t.entity_type AS to_type
  FROM link l
  JOIN resolved_record f ON f.record_id = l.from_id
  JOIN resolved_record t ON t.record_id = l.to_id
  WHERE f.entity_type IN ({_TYPES}) AND t.entity_type IN ({_TYPES})
    AND f.entity_id <> t.entity_id
)
SELECT from_entity, from_type, role, to_entity, to_type,
       min(coalesce(start_date, end_date)) AS first_date,
       max(coalesce(end_date, start_date)) AS last_date,
       CAST(count(*) AS BIGINT) AS links,
       list_sort(list(DISTINCT source) FILTER (WHERE source IS NOT NULL)) AS sources,
       list_sort(list(link_id) FILTER (WHERE link_id IS NOT NULL)) AS link_ids
FROM ends
GROUP BY from_entity, from_type, role, to_entity, to_type
"""


def build_graph(engine: Engine) -> tuple[int, int]:
    """Write `NODES` and `EDGES` from the resolve stage's tables; (nodes, edges)."""
    engine.create_table_as(NODES, NODES_SQL)
    engine.create_table_as(EDGES, EDGES_SQL)
    nodes = engine.scalar(f"SELECT count(*) AS n FROM {NODES}")
    edges = engine.scalar(f"SELECT count(*) AS n FROM {EDGES}")
    return int(nodes) if isinstance(nodes, int) else 0, int(edges) if isinstance(edges, int) else 0
