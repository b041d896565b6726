"""Metrics of the things people share: vehicles, phones and the premises they work at.

- `network_object`: per vehicle and phone, the distinct people linked to it (as driver,
  owner, user, or named with it in one event) and how many of them work at premises of an
  at-risk sector: one van linked to a dozen car-wash workers is the dawn pick-up;
- `network_premises`: per premises, its sector and division, the workers linked to it, and
  how many of those share an address or a vehicle with another of its workers.
"""

from __future__ import annotations

from msht.engine.base import Engine
from msht.engine.dialect import text_list
from msht.network.tables import EDGES, OBJECT, PLACES, PREMISES


def _workers(at_risk: tuple[str, ...]) -> str:
    return f"""
places AS (SELECT * FROM {PLACES}),
workers AS (
  SELECT DISTINCT e.to_entity AS premises, e.from_entity AS person,
         coalesce(p.sector IN ({text_list(at_risk)}), false) AS at_risk
  FROM {EDGES} e LEFT JOIN places p ON p.entity_id = e.to_entity
  WHERE e.role = 'works-at' AND e.from_type = 'Person' AND e.to_type = 'Premises'
)"""


def object_sql(at_risk: tuple[str, ...]) -> str:
    """SQL of `OBJECT`."""
    return f"""
WITH {_workers(at_risk)},
users AS (
  SELECT from_entity AS person, to_entity AS object, to_type AS object_type FROM {EDGES}
  WHERE from_type = 'Person' AND to_type IN ('Vehicle', 'Phone')
  UNION
  SELECT to_entity, from_entity, from_type FROM {EDGES}
  WHERE to_type = 'Person' AND from_type IN ('Vehicle', 'Phone')
),
at_risk_people AS (SELECT DISTINCT person FROM workers WHERE at_risk)
SELECT u.object AS entity_id, u.object_type AS entity_type,
       CAST(count(*) AS BIGINT) AS people,
       CAST(count(a.person) AS BIGINT) AS at_risk_workers
FROM users u LEFT JOIN at_risk_people a ON a.person = u.person
GROUP BY u.object, u.object_type
"""


def premises_sql(at_risk: tuple[str, ...]) -> str:
    """SQL of `PREMISES`: every premises entity, with no workers if none are linked."""
    return f"""
WITH {_workers(at_risk)},
homes AS (
  SELECT DISTINCT from_entity AS person, to_entity AS object FROM {EDGES}
  WHERE from_type = 'Person' AND to_type IN ('Address', 'Vehicle')
    AND role IN ('resident-at', 'drives', 'owns')
),
sharing AS (
  SELECT DISTINCT w1.premises, w1.person
  FROM workers w1
  JOIN homes h1 ON h1.person = w1.person
  JOIN homes h2 ON h2.object = h1.object AND h2.person <> h1.person
  JOIN workers w2 ON w2.person = h2.person AND w2.premises = w1.premises
),
counts AS (
  SELECT w.premises, CAST(count(*) AS BIGINT) AS workers,
         CAST(count(s.person) AS BIGINT) AS workers_sharing
  FROM workers w LEFT JOIN sharing s ON s.premises = w.premises AND s.person = w.person
  GROUP BY w.premises
)
SELECT p.entity_id, p.sector, p.division,
       coalesce(p.sector IN ({text_list(at_risk)}), false) AS at_risk,
       coalesce(c.workers, 0) AS workers, coalesce(c.workers_sharing, 0) AS workers_sharing
FROM places p LEFT JOIN counts c ON c.premises = p.entity_id
WHERE p.entity_type = 'Premises'
"""


def build_objects(engine: Engine, at_risk: tuple[str, ...]) -> None:
    """Write `OBJECT` and `PREMISES` (needs `PLACES`)."""
    engine.create_table_as(OBJECT, object_sql(at_risk))
    engine.create_table_as(PREMISES, premises_sql(at_risk))
