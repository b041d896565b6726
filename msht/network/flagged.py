"""Flagged potential victims: the people the network's groups, reach and investigation list
start from. Each flag of `rules/network.yaml` is one SQL condition on a person's links to
events; a person may carry several. (The risk stage's review cohort will add to them.)"""

from __future__ import annotations

from msht.engine.base import Engine
from msht.network.events import EVENT_TYPES
from msht.network.settings import Flag
from msht.network.tables import FLAGGED


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def flag_sql(flag: Flag, age_on: str) -> str:
    """People with a link in one of the flag's roles to an event of its type that meets its
    conditions (`age_on`: the dialect's age in years, with {dob} and {on})."""
    table, date = EVENT_TYPES[flag.event]
    roles = ", ".join(_text(r) for r in flag.roles)
    where = [f"l.role IN ({roles})", f"l.to_type = {_text(flag.event)}"]
    if flag.offences:
        where.append(
            "("
            + " OR ".join(f"lower(e.offence) LIKE {_text(f'%{o.lower()}%')}" for o in flag.offences)
            + ")"
        )
    if flag.concerns_raised:
        where.append("e.concerns_raised")
    join = ""
    if flag.children_only:
        join = "JOIN person p ON p.id = l.from_id"
        age = age_on.format(dob="p.dob", on=date)
        where.append(f"coalesce({age}, p.age_estimate) < 18")
    return f"""
SELECT {_text(flag.id)} AS flag, r.entity_id
FROM link l
JOIN resolved_record r ON r.record_id = l.from_id AND r.entity_type = 'Person'
JOIN {table} e ON e.id = l.to_id
{join}
WHERE {" AND ".join(where)}"""


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
