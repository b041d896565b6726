"""Structured indicators: signs read from fields and links rather than from free text.

Each is SQL over the resolved entities (and, for work, the network's premises), one row per
person and sign, with how much evidence supports it and the ids it rests on (links, or for
age the person records):

- `STR-MISSING`: reported missing two or more times;
- `STR-AT-RISK-WORK`: works at premises of an at-risk sector (`rules/network.yaml`);
- `STR-PHONES`: uses three or more phones;
- `STR-DOC-HELD`: an identity document naming the person is held by someone else;
- `STR-CHILD`: a record shows a child at the date of an event it is linked to (by date of
  birth, or an age estimate moved on to that date), or no record gives an age (R17: a person
  of unknown age is treated as a child). A record linked to no dated event is taken at the
  date of its age estimate, or today. Records from intelligence graded E, or ungraded, are
  left out (R11).
"""

from __future__ import annotations

from dataclasses import dataclass

from msht.engine.base import Engine
from msht.model.events import EVENT_TYPES, unusable_rows

#: One row per person and structured sign.
STRUCTURED = "indicator_person"
_IDS = "list_sort(list(DISTINCT {x}) FILTER (WHERE {x} IS NOT NULL)) AS evidence_ids"


@dataclass(frozen=True)
class Structured:
    """A structured indicator: id, the sentence a reviewer reads, its SQL (entity_id,
    evidence, evidence_ids) and the tables it needs."""

    id: str
    description: str
    sql: str
    needs: frozenset[str]


def _dated_records(tables: set[str]) -> str:
    """Common table expressions `events` (id, event_date), each event record with its date,
    and `seen` (id, event_date), each record linked to one of them, with that date."""
    events = [
        f"SELECT e.id, CAST({date} AS DATE) AS event_date FROM {table} e"
        for table, date in EVENT_TYPES.values()
        if table in tables
    ]
    if "link" not in tables or not events:
        none = "SELECT CAST(NULL AS VARCHAR) AS id, CAST(NULL AS DATE) AS event_date WHERE false"
        return f"events AS ({none}), seen AS ({none})"
    # either end of a link may be the event; both joins are on ids alone
    return f"""events AS ({" UNION ALL ".join(events)}),
                seen AS (
                  SELECT l.from_id AS id, v.event_date FROM link l JOIN events v ON v.id = l.to_id
                  UNION ALL
                  SELECT l.to_id AS id, v.event_date FROM link l JOIN events v ON v.id = l.from_id
                )"""


def _child(age_on: str, tables: set[str], unusable: str) -> str:
    """SQL of STR-CHILD: each person record's age at each event it is linked to. A record
    from intelligence graded E, or ungraded, gives no age (R11: it raises nothing; the
    person's other records decide, and with none of them an age is unknown, R17)."""
    on = "coalesce(s.event_date, p.age_estimated_on, current_date)"
    by_dob = age_on.format(dob="p.dob", on=on)
    moved = age_on.format(dob="p.age_estimated_on", on=on)
    age = f"coalesce({by_dob}, p.age_estimate + coalesce({moved}, 0))"
    return f"""WITH {_dated_records(tables)},
                ages AS (
                  SELECT r.entity_id, p.id, {age} AS age
                  FROM resolved_record r JOIN person p ON p.id = r.record_id
                  LEFT JOIN seen s ON s.id = p.id
                  LEFT JOIN ({unusable}) bad ON bad.source = p.source
                    AND bad.source_record_id = p.source_record_id
                  WHERE r.entity_type = 'Person' AND bad.source IS NULL
                )
                SELECT entity_id,
                       CAST(count(DISTINCT id) FILTER (WHERE age < 18 OR age IS NULL)
                         AS BIGINT) AS evidence,
                       list_sort(list(DISTINCT id) FILTER (WHERE age < 18 OR age IS NULL))
                         AS evidence_ids
                FROM ages GROUP BY entity_id
                HAVING count(*) FILTER (WHERE age < 18) > 0 OR count(age) = 0"""


def structured_indicators(age_on: str, tables: set[str] | None = None) -> list[Structured]:
    """The structured indicators (`age_on`: the dialect's age in years, {dob} and {on}).
    Links from intelligence graded E or ungraded are left out (R11)."""
    bad = unusable_rows(tables or set())
    usable = (
        f"LEFT JOIN ({bad}) bad ON bad.source = l.source "
        "AND bad.source_record_id = l.source_record_id"
    )
    person = (
        "JOIN resolved_record f ON f.record_id = l.from_id AND f.entity_type = 'Person' " + usable
    )
    return [
        Structured(
            "STR-MISSING",
            "Reported missing two or more times",
            f"""SELECT f.entity_id, CAST(count(DISTINCT l.to_id) AS BIGINT) AS evidence,
                       {_IDS.format(x="l.id")}
                FROM link l {person}
                WHERE l.to_type = 'MissingEpisode' AND l.role = 'subject' AND bad.source IS NULL
                GROUP BY f.entity_id HAVING count(DISTINCT l.to_id) >= 2""",
            frozenset({"link", "resolved_record"}),
        ),
        Structured(
            "STR-AT-RISK-WORK",
            "Works at premises of a sector where exploitation is common",
            f"""SELECT f.entity_id, CAST(count(DISTINCT t.entity_id) AS BIGINT) AS evidence,
                       {_IDS.format(x="l.id")}
                FROM link l {person}
                JOIN resolved_record t ON t.record_id = l.to_id AND t.entity_type = 'Premises'
                JOIN network_premises w ON w.entity_id = t.entity_id AND w.at_risk
                WHERE l.role = 'works-at' AND bad.source IS NULL
                GROUP BY f.entity_id""",
            frozenset({"link", "resolved_record", "network_premises"}),
        ),
        Structured(
            "STR-PHONES",
            "Uses three or more phones",
            f"""SELECT f.entity_id, CAST(count(DISTINCT t.entity_id) AS BIGINT) AS evidence,
                       {_IDS.format(x="l.id")}
                FROM link l {person}
                JOIN resolved_record t ON t.record_id = l.to_id AND t.entity_type = 'Phone'
                WHERE l.role = 'uses-phone' AND bad.source IS NULL
                GROUP BY f.entity_id HAVING count(DISTINCT t.entity_id) >= 3""",
            frozenset({"link", "resolved_record"}),
        ),
        Structured(
            "STR-DOC-HELD",
            "An identity document naming the person is held by someone else",
            # joined on the document alone, the other holder checked after: with an
            # inequality in the join a planner may pair every person with every person
            # first (it did, with no links, and filled the disk)
            f"""WITH named AS (
                  SELECT d.entity_id AS document, p.entity_id AS person
                  FROM link l
                  JOIN resolved_record d ON d.record_id = l.from_id
                    AND d.entity_type = 'IdentityDocument'
                  JOIN resolved_record p ON p.record_id = l.to_id AND p.entity_type = 'Person'
                  {usable}
                  WHERE l.role = 'document-of' AND bad.source IS NULL
                ),
                held AS (
                  SELECT d.entity_id AS document, q.entity_id AS holder, l.id
                  FROM link l
                  JOIN resolved_record d ON d.record_id = l.to_id
                    AND d.entity_type = 'IdentityDocument'
                  JOIN resolved_record q ON q.record_id = l.from_id AND q.entity_type = 'Person'
                  {usable}
                  WHERE l.role = 'holds-document' AND bad.source IS NULL
                )
                SELECT n.person AS entity_id,
                       CAST(count(DISTINCT n.document) FILTER (WHERE h.holder <> n.person)
                         AS BIGINT) AS evidence,
                       list_sort(list(DISTINCT h.id) FILTER (WHERE h.holder <> n.person))
                         AS evidence_ids
                FROM named n JOIN held h ON h.document = n.document
                GROUP BY n.person
                HAVING count(*) FILTER (WHERE h.holder <> n.person) > 0""",
            frozenset({"link", "resolved_record"}),
        ),
        Structured(
            "STR-CHILD",
            "A child at the time of an event, or of unknown age (treated as a child until "
            "shown otherwise)",
            _child(age_on, tables or set(), bad),
            frozenset({"resolved_record", "person"}),
        ),
    ]


def build_structured(engine: Engine) -> int:
    """Write `STRUCTURED` from the indicators whose tables the store has; rows written."""
    tables = set(engine.tables())
    age_on = engine.sql_dialect.age_in_years_sql("{dob}", "{on}")
    parts = [
        f"SELECT entity_id, '{s.id}' AS indicator_id, '{s.description}' AS description, "
        f"evidence, evidence_ids FROM ({s.sql}) x"
        for s in structured_indicators(age_on, tables)
        if s.needs <= tables
    ] or [
        "SELECT CAST(NULL AS VARCHAR) AS entity_id, CAST(NULL AS VARCHAR) AS indicator_id, "
        "CAST(NULL AS VARCHAR) AS description, CAST(NULL AS BIGINT) AS evidence, "
        "CAST(NULL AS VARCHAR[]) AS evidence_ids WHERE false"
    ]
    engine.create_table_as(STRUCTURED, " UNION ALL ".join(parts))
    count = engine.scalar(f"SELECT count(*) AS n FROM {STRUCTURED}")
    return int(count) if isinstance(count, int) else 0
