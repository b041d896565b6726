"""Flagged potential victims: the people the network's groups, reach and investigation list
start from. Each flag of `rules/network.yaml` is one SQL condition on a person's links to
events; a person may carry several. (The risk stage's review cohort will add to them.)"""

from __future__ import annotations

from msht.engine.base import Engine
from msht.engine.dialect import text_literal
from msht.network.events import EVENT_TYPES
from msht.network.settings import Flag
from msht.network.tables import FLAGGED


def _child(age_on: str) -> str:
    """HAVING condition, over an entity's person records `p` grouped with one event date
    `c.event_date`: a record shows a child then (by date of birth, or an estimate moved on
    to that day), or no record gives an age at all (R17: an unknown age is a child's)."""
    by_dob = age_on.format(dob="p.dob", on="c.event_date")
    moved = age_on.format(dob="p.age_estimated_on", on="c.event_date")
    by_estimate = f"p.age_estimate + coalesce({moved}, 0)"
    return (
        f"coalesce(bool_or(coalesce({by_dob}, {by_estimate}) < 18), false) "
        "OR count(p.dob) + count(p.age_estimate) = 0"
    )


def flag_sql(flag: Flag, age_on: str) -> str:
    """People with a link in one of the flag's roles to an event of its type that meets its
    conditions (`age_on`: the dialect's age in years, with {dob} and {on})."""
    table, date = EVENT_TYPES[flag.event]
    roles = ", ".join(text_literal(r) for r in flag.roles)
    where = [f"l.role IN ({roles})", f"l.to_type = {text_literal(flag.event)}"]
    if flag.offences:
        # instr, not LIKE: a phrase's own % or _ must not be a wildcard
        found = [f"instr(lower(e.offence), {text_literal(o.lower())}) > 0" for o in flag.offences]
        where.append("(" + " OR ".join(found) + ")")
    if flag.concerns_raised:
        where.append("e.concerns_raised")
    events = f"""
SELECT r.entity_id, CAST({date} AS DATE) AS event_date
FROM link l
JOIN resolved_record r ON r.record_id = l.from_id AND r.entity_type = 'Person'
JOIN {table} e ON e.id = l.to_id
WHERE {" AND ".join(where)}"""
    if not flag.children_only:
        return f"SELECT {text_literal(flag.id)} AS flag, c.entity_id FROM ({events}) c"
    return f"""
SELECT {text_literal(flag.id)} AS flag, c.entity_id FROM ({events}) c
JOIN resolved_record rr ON rr.entity_id = c.entity_id AND rr.entity_type = 'Person'
JOIN person p ON p.id = rr.record_id
GROUP BY c.entity_id, c.event_date
HAVING {_child(age_on)}"""


def build_flagged(engine: Engine, flags: tuple[Flag, ...]) -> int:
    """Write `FLAGGED` (entity id, its flags) from the flags whose event tables the store
    has; the number of people flagged."""
    tables = set(engine.tables())
    age_on = engine.sql_dialect.age_in_years_sql("{dob}", "{on}")
    usable = [
        f
        for f in flags
        if EVENT_TYPES[f.event][0] in tables and (not f.children_only or "person" in tables)
    ]
    parts = [flag_sql(f, age_on) for f in usable] or [
        "SELECT CAST(NULL AS VARCHAR) AS flag, CAST(NULL AS VARCHAR) AS entity_id WHERE false"
    ]
    engine.create_table_as(
        FLAGGED,
        f"""SELECT entity_id,
                   list_sort(list(DISTINCT flag) FILTER (WHERE flag IS NOT NULL)) AS flags
            FROM ({" UNION ALL ".join(parts)}) f GROUP BY entity_id""",
    )
    count = engine.scalar(f"SELECT count(*) AS n FROM {FLAGGED}")
    return int(count) if isinstance(count, int) else 0
