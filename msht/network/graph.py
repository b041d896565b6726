"""The entity graph as tables: `network_node`, `network_edge` and the `network_event`s that
join entities."""

from __future__ import annotations

from msht.engine.base import Engine
from msht.network.events import co_event_sql, events_sql
from msht.network.tables import EDGES, EVENTS, NODE_TYPES, NODE_TYPES_SQL, NODES

__all__ = ["EDGES", "NODES", "NODE_TYPES", "build_graph"]

NODES_SQL = f"""
SELECT entity_id, entity_type, records, sources FROM resolved_entity
WHERE entity_type IN ({NODE_TYPES_SQL})
"""


def direct_edges_sql(with_events: bool) -> str:
    """Links whose two ends are records of resolved entities (and not the same entity), one
    row per entity pair and role; `link_ids` are the supporting links, for an analyst to trace
    each edge to its source rows. A link without dates of its own takes the date of the event
    on its source row (the crime, visit or report that recorded a man at an address);
    `usable_links` leaves out links from intelligence graded E or ungraded (R11)."""
    row_date, usable = "CAST(NULL AS DATE)", "true"
    join = ""
    if with_events:
        row_date, usable = "rd.event_date", "coalesce(rd.usable, true)"
        join = f"""LEFT JOIN (SELECT source, source_record_id, min(event_date) AS event_date,
                                 bool_and(usable) AS usable
                   FROM {EVENTS} GROUP BY source, source_record_id) rd
                   ON rd.source = l.source AND rd.source_record_id = l.source_record_id"""
    return f"""
WITH ends AS (
  SELECT l.id AS link_id, l.role, l.source,
         coalesce(l.start_date, l.end_date, {row_date}) AS start_date,
         coalesce(l.end_date, l.start_date, {row_date}) AS end_date,
         {usable} AS usable,
         f.entity_id AS from_entity, f.entity_type AS from_type,
         t.entity_id AS to_entity, t.entity_type AS to_type
  FROM link l
  JOIN resolved_record f ON f.record_id = l.from_id
  JOIN resolved_record t ON t.record_id = l.to_id
  {join}
  WHERE f.entity_type IN ({NODE_TYPES_SQL}) AND t.entity_type IN ({NODE_TYPES_SQL})
    AND f.entity_id <> t.entity_id
)
SELECT from_entity, from_type, role, to_entity, to_type,
       min(start_date) AS first_date, max(end_date) AS last_date,
       CAST(count(*) AS BIGINT) AS links,
       CAST(count(*) FILTER (WHERE usable) AS BIGINT) AS usable_links,
       list_sort(list(DISTINCT source) FILTER (WHERE source IS NOT NULL)) AS sources,
       list_sort(list(link_id) FILTER (WHERE link_id IS NOT NULL)) AS link_ids
FROM ends
GROUP BY from_entity, from_type, role, to_entity, to_type
"""


def build_graph(engine: Engine, max_event_entities: int) -> tuple[int, int]:
    """Write `NODES`, `EVENTS` and `EDGES` from the resolve stage's tables; (nodes, edges).
    Edges are the links between entities and, through events of at most
    `max_event_entities` entities, the `in-same-…` edges between entities in one event."""
    engine.create_table_as(NODES, NODES_SQL)
    events = events_sql(engine.tables())
    sql = direct_edges_sql(events is not None)
    if events is not None:
        engine.create_table_as(EVENTS, events)
        co_event = co_event_sql(max_event_entities)
        sql = f"SELECT * FROM ({sql}) d UNION ALL SELECT * FROM ({co_event}) c"
    engine.create_table_as(EDGES, sql)
    nodes = engine.scalar(f"SELECT count(*) AS n FROM {NODES}")
    edges = engine.scalar(f"SELECT count(*) AS n FROM {EDGES}")
    return int(nodes) if isinstance(nodes, int) else 0, int(edges) if isinstance(edges, int) else 0
