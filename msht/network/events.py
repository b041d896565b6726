"""Events (crimes, intelligence reports, visits…) as the graph sees them.

Events are not nodes: they are what joins nodes. Two people named in one crime, a van seen
in one intelligence report with a man, workers spoken to on one visit to a car wash: each
gives an `in-same-<event>` edge between the two entities, with the event's date. A source
that writes one row per person involved (a crime system's nominals) makes one event record
per row; rows of one source and type with the same reference are one event.
"""

from __future__ import annotations

from collections.abc import Iterable

from msht.model.events import EVENT_TYPES, USABLE
from msht.network.tables import EVENTS, NODE_TYPES_SQL

__all__ = ["EVENT_TYPES", "co_event_sql", "events_sql", "kind"]


def kind(event_type: str) -> str:
    """'CrimeReport' → 'crime-report' (and 'NRMReferral' → 'nrm-referral')."""
    table = EVENT_TYPES[event_type][0]
    return table.replace("_", "-")


def events_sql(tables: Iterable[str]) -> str | None:
    """SQL of `EVENTS` over the event tables the store has; None when it has none."""
    present = set(tables)
    parts = [
        f"SELECT e.id AS record_id, e.source, e.source_record_id, '{event_type}' AS event_type, "
        f"'{kind(event_type)}' AS kind, "
        f"e.source || '|{event_type}|' || coalesce(e.reference, e.id) AS event_key, "
        f"CAST({date} AS DATE) AS event_date, "
        f"{USABLE if table == 'intelligence_report' else 'true'} AS usable FROM {table} e"
        for event_type, (table, date) in EVENT_TYPES.items()
        if table in present
    ]
    return " UNION ALL ".join(parts) or None


def co_event_sql(max_entities: int) -> str:
    """Edges between two entities linked to one event (of at most `max_entities` entities),
    in the shape of the graph's edge table: the earlier entity id is `from_entity`; `links`
    counts the events they share, `link_ids` are both halves of each."""
    return f"""
WITH ends AS (
  SELECT l.id AS link_id, l.source, v.event_key, v.kind, v.event_date, v.usable,
         r.entity_id, r.entity_type
  FROM link l
  JOIN {EVENTS} v ON v.record_id = l.to_id
  JOIN resolved_record r ON r.record_id = l.from_id
  WHERE r.entity_type IN ({NODE_TYPES_SQL})
  UNION ALL
  SELECT l.id, l.source, v.event_key, v.kind, v.event_date, v.usable, r.entity_id,
         r.entity_type
  FROM link l
  JOIN {EVENTS} v ON v.record_id = l.from_id
  JOIN resolved_record r ON r.record_id = l.to_id
  WHERE r.entity_type IN ({NODE_TYPES_SQL})
),
small AS (
  SELECT event_key FROM ends GROUP BY event_key
  HAVING count(DISTINCT entity_id) BETWEEN 2 AND {int(max_entities)}
),
pairs AS (
  SELECT a.entity_id AS from_entity, a.entity_type AS from_type, a.kind,
         b.entity_id AS to_entity, b.entity_type AS to_type, a.event_key, a.event_date,
         a.usable, a.source, a.link_id AS from_link, b.link_id AS to_link
  FROM ends a JOIN ends b ON b.event_key = a.event_key AND a.entity_id < b.entity_id
  WHERE a.event_key IN (SELECT event_key FROM small)
),
halves AS (
  SELECT from_entity, from_type, kind, to_entity, to_type, event_key, event_date, usable,
         source, from_link AS link_id FROM pairs
  UNION ALL
  SELECT from_entity, from_type, kind, to_entity, to_type, event_key, event_date, usable,
         source, to_link
  FROM pairs
)
SELECT from_entity, from_type, 'in-same-' || kind AS role, to_entity, to_type,
       min(event_date) AS first_date, max(event_date) AS last_date,
       CAST(count(DISTINCT event_key) AS BIGINT) AS links,
       CAST(count(DISTINCT event_key) FILTER (WHERE usable) AS BIGINT) AS usable_links,
       list_sort(list(DISTINCT source) FILTER (WHERE source IS NOT NULL)) AS sources,
       list_sort(list(DISTINCT link_id) FILTER (WHERE link_id IS NOT NULL)) AS link_ids
FROM halves
GROUP BY from_entity, from_type, kind, to_entity, to_type
"""
