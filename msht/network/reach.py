"""Who is linked to flagged potential victims, through the things people share.

One hop is person → shared address, vehicle, phone or identity document → person (a
document held by one man and naming another joins them too). Objects shared by more than
`max_shared` people (a hostel, a switchboard) are not walked through.

- `network_reach`: per person linked to a flagged person, how many distinct flagged people
  they reach in one hop, within two, and in one hop through a vehicle, phone or document
  (not an address: being housed together is the victims' own condition, while a shared van,
  a shared phone or someone else's passport is how people are controlled);
- `network_for_investigation`: unflagged adults reaching at least `min_victims` flagged
  people in one hop through a vehicle, phone or document. Requirement R04: this list is for
  investigation and is kept apart from the safeguarding profiles; a flagged person is never
  put on it, nor a child or a person of unknown age (R17: a child's links to victims make
  the child a likely victim too). No risk rule scores anyone on it; `linked_to_many_victims`
  reads it only to raise the profile of those who share a vehicle, phone or document with
  someone on it.
"""

from __future__ import annotations

from msht.engine.base import Engine
from msht.network.metrics import people_sql
from msht.network.tables import EDGES, FLAGGED, INVESTIGATE, REACH

_OBJECTS = "('Address', 'Vehicle', 'Phone', 'IdentityDocument')"


def reach_sql(max_shared: int) -> str:
    """SQL of `REACH`."""
    return f"""
WITH ties AS (
  SELECT from_entity AS person, to_entity AS object, to_type AS object_type FROM {EDGES}
  WHERE from_type = 'Person' AND to_type IN {_OBJECTS} AND role NOT LIKE 'in-same-%'
  UNION
  SELECT to_entity, from_entity, from_type FROM {EDGES}
  WHERE to_type = 'Person' AND from_type IN {_OBJECTS} AND role NOT LIKE 'in-same-%'
),
shared AS (
  SELECT object FROM ties GROUP BY object
  HAVING count(*) BETWEEN 2 AND {int(max_shared)}
),
t AS (SELECT * FROM ties WHERE object IN (SELECT object FROM shared)),
step AS (
  SELECT a.person, b.person AS other, bool_and(a.object_type = 'Address') AS home_only
  FROM t a JOIN t b ON b.object = a.object AND b.person <> a.person
  GROUP BY a.person, b.person
),
to_flagged AS (
  SELECT s.person, s.other, s.home_only FROM step s JOIN {FLAGGED} f ON f.entity_id = s.other
),
reached AS (
  SELECT person, other AS victim, 1 AS hops, home_only FROM to_flagged
  UNION ALL
  SELECT s.person, v.other, 2, true FROM step s JOIN to_flagged v ON v.person = s.other
  WHERE v.other <> s.person
)
SELECT r.person AS entity_id, f.entity_id IS NOT NULL AS flagged,
       CAST(count(DISTINCT r.victim) FILTER (WHERE r.hops = 1) AS BIGINT) AS victims_1hop,
       CAST(count(DISTINCT r.victim) AS BIGINT) AS victims_2hops,
       CAST(count(DISTINCT r.victim) FILTER (WHERE r.hops = 1 AND NOT r.home_only) AS BIGINT)
         AS victims_1hop_not_home
FROM reached r LEFT JOIN {FLAGGED} f ON f.entity_id = r.person
GROUP BY r.person, f.entity_id
"""


def investigate_sql(min_victims: int, age_on: str) -> str:
    """SQL of `INVESTIGATE` (`age_on`: the dialect's age in years, with {dob} and {on})."""
    return f"""
WITH {people_sql(age_on)}
SELECT r.entity_id, r.victims_1hop_not_home, r.victims_1hop, r.victims_2hops
FROM {REACH} r JOIN people p ON p.entity_id = r.entity_id
WHERE NOT r.flagged AND r.victims_1hop_not_home >= {int(min_victims)}
  AND coalesce(p.adult, false)
"""


def build_reach(engine: Engine, max_shared: int, min_victims: int) -> None:
    """Write `REACH` and `INVESTIGATE` (needs `FLAGGED`; with no person table, whose ages
    tell adults from children, nobody is listed)."""
    engine.create_table_as(REACH, reach_sql(max_shared))
    age_on = engine.sql_dialect.age_in_years_sql("{dob}", "{on}")
    if "person" in engine.tables():
        engine.create_table_as(INVESTIGATE, investigate_sql(min_victims, age_on))
    else:
        engine.create_table_as(
            INVESTIGATE,
            f"SELECT entity_id, victims_1hop_not_home, victims_1hop, victims_2hops "
            f"FROM {REACH} WHERE false",
        )
