"""Metrics of the entity graph, as tables an analyst (and the risk rules) can read.

- `network_degree`: per entity and neighbour type, how many distinct neighbours it has;
- `network_address`: per address, the people living there, the adults among them, and how
  many distinct surnames those adults have (adults of one surname may be a family; many
  surnames at one address is the overcrowded house of labour exploitation; an adult with no
  surname is not counted there), with the first and last dates the links give, and its
  turnover: residents first seen there in the year up to its last date.
"""

from __future__ import annotations

from msht.engine.base import Engine
from msht.network.tables import ADDRESS, DEGREE, EDGES

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


def people_sql(age_on: str) -> str:
    """CTE `people`: per person entity, its surname (the alphabetically first of its
    records'), whether it is an adult and whether a record shows a child. An entity is a
    child if any record shows it under 18 on today's date (by date of birth, or an estimated
    age moved on from the day it was estimated): disputed ages are common in these cases,
    and a child must never be counted as one of a house's unrelated adults. It is an adult
    if no record says child and one says 18 or over."""
    by_dob = age_on.format(dob="p.dob", on="current_date")
    by_estimate = "p.age_estimate + " + age_on.format(dob="p.age_estimated_on", on="current_date")
    age = f"coalesce({by_dob}, {by_estimate}, p.age_estimate)"
    return f"""
people AS (
  SELECT r.entity_id,
         min(lower(nullif(trim(p.surname), ''))) AS surname,
         bool_or({age} >= 18) AND NOT coalesce(bool_or({age} < 18), false) AS adult,
         coalesce(bool_or({age} < 18), false) AS child
  FROM resolved_record r JOIN person p ON p.id = r.record_id
  WHERE r.entity_type = 'Person'
  GROUP BY r.entity_id
)"""


def address_sql(age_on: str) -> str:
    """SQL of `ADDRESS` (`age_on`: the dialect's age in years, with {dob} and {on})."""
    return f"""
WITH {people_sql(age_on)},
residents AS (
  SELECT e.to_entity AS address, e.from_entity AS person,
         min(e.first_date) AS first_date, max(e.last_date) AS last_date
  FROM {EDGES} e
  WHERE e.role = 'resident-at' AND e.from_type = 'Person' AND e.to_type = 'Address'
  GROUP BY e.to_entity, e.from_entity
),
spans AS (SELECT address, max(last_date) AS latest FROM residents GROUP BY address)
SELECT r.address AS entity_id,
       CAST(count(*) AS BIGINT) AS residents,
       CAST(count(*) FILTER (WHERE coalesce(p.adult, false)) AS BIGINT) AS adults,
       CAST(count(DISTINCT p.surname) FILTER (WHERE coalesce(p.adult, false)) AS BIGINT)
         AS adult_surnames,
       CAST(count(*) FILTER (WHERE r.first_date > s.latest - INTERVAL 365 DAY) AS BIGINT)
         AS arrivals_last_year,
       min(r.first_date) AS first_date, max(r.last_date) AS last_date
FROM residents r LEFT JOIN people p ON p.entity_id = r.person
JOIN spans s ON s.address = r.address
GROUP BY r.address
"""


def build_metrics(engine: Engine) -> None:
    """Write the metric tables from the graph tables (`ADDRESS` needs the person table)."""
    engine.create_table_as(DEGREE, DEGREE_SQL)
    if "person" in engine.tables():
        age_on = engine.sql_dialect.age_in_years_sql("{dob}", "{on}")
        engine.create_table_as(ADDRESS, address_sql(age_on))
