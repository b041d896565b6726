"""Metrics of the entity graph, as tables an analyst (and the risk rules) can read.

- `network_degree`: per entity and neighbour type, how many distinct neighbours it has;
- `network_address`: per address, the people living there, the adults among them, and how
  many distinct surnames those adults have (adults of one surname may be a family; many
  surnames at one address is the overcrowded house of labour exploitation), with the first
  and last dates the links give.
"""

from __future__ import annotations

from msht.engine.base import Engine
from msht.network.graph import EDGES

DEGREE = "network_degree"
ADDRESS = "network_address"

#: Each edge seen from both ends; an entity's neighbours of each type, counted once however
#: many roles join them.
DEGREE_SQL = f"""
WITH sides AS (
  SELECT from_entity AS entity_id, from_type AS entity_type, to_type AS neighbour_type,
         to_entity AS neighbour FROM {EDGES}
  UNION ALL
  SELECT to_entity, to_type, from_type, from_entity FROM {EDGES}
)
SELECT entity_id, entity_type, neighbour_type,
       CAST(count(DISTINCT neighbour) AS BIGINT) AS neighbours
FROM sides GROUP BY entity_id, entity_type, neighbour_type
"""

#: A person entity's surname (the commonest of its records', ties to the first) and whether
#: any of its records shows an adult: born 18 or more years before today, or estimated so.
_PEOPLE = """
people AS (
  SELECT r.entity_id,
         min(lower(p.surname)) AS surname,
         bool_or(p.dob <= current_date - INTERVAL 18 YEAR OR p.age_estimate >= 18) AS adult
  FROM resolved_record r JOIN person p ON p.id = r.record_id
  WHERE r.entity_type = 'Person'
  GROUP BY r.entity_id
)"""

ADDRESS_SQL = f"""
WITH {_PEOPLE},
residents AS (
  SELECT e.to_entity AS address, e.from_entity AS person,
         min(e.first_date) AS first_date, max(e.last_date) AS last_date
  FROM {EDGES} e
  WHERE e.role = 'resident-at' AND e.from_type = 'Person' AND e.to_type = 'Address'
  GROUP BY e.to_entity, e.from_entity
)
SELECT r.address AS entity_id,
       CAST(count(*) AS BIGINT) AS residents,
       CAST(count(*) FILTER (WHERE coalesce(p.adult, false)) AS BIGINT) AS adults,
       CAST(count(DISTINCT p.surname) FILTER (WHERE coalesce(p.adult, false)) AS BIGINT)
         AS adult_surnames,
       min(r.first_date) AS first_date, max(r.last_date) AS last_date
FROM residents r LEFT JOIN people p ON p.entity_id = r.person
GROUP BY r.address
"""


def build_metrics(engine: Engine) -> None:
    """Write the metric tables from the graph tables."""
    engine.create_table_as(DEGREE, DEGREE_SQL)
    engine.create_table_as(ADDRESS, ADDRESS_SQL)
