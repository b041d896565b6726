"""What a run publishes, read from the POLE store: the entities a reviewer needs, profiles
with their evidence, signs found about each person, and network groups."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from msht.engine.base import Engine
from msht.model.labels import labels_sql

#: Records of an entity listed on its page (the rest are counted, not listed).
RECORDS_SHOWN = 100


def published_ids_sql(tables: set[str]) -> str:
    """SQL of the entity ids a run publishes: people with a profile and members of groups."""
    parts = [f"SELECT entity_id FROM {t}" for t in ("risk_profile", "network_group_member")]
    present = [
        p
        for p, t in zip(parts, ("risk_profile", "network_group_member"), strict=True)
        if t in tables
    ]
    return " UNION ".join(present) or "SELECT '' AS entity_id WHERE false"


def entity_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """One summary row per published entity: label, date of birth, address, contacts, division
    and source records."""
    tables = set(engine.tables())
    published = published_ids_sql(tables)
    base = engine.query(
        f"""SELECT e.entity_id, e.entity_type, l.label FROM resolved_entity e
            JOIN ({published}) p ON p.entity_id = e.entity_id
            LEFT JOIN ({labels_sql(tables)}) l ON l.entity_id = e.entity_id
            ORDER BY e.entity_id"""
    ).to_pylist()
    births = (
        _by_entity(
            engine,
            f"""SELECT r.entity_id, min(x.dob) AS value FROM resolved_record r
            JOIN ({published}) p ON p.entity_id = r.entity_id
            JOIN person x ON x.id = r.record_id GROUP BY r.entity_id""",
        )
        if "person" in tables
        else {}
    )
    homes = _homes(engine, published, tables)
    contacts = _contacts(engine, published, tables)
    divisions = (
        _by_entity(
            engine,
            "SELECT entity_id, division AS value FROM network_place WHERE division IS NOT NULL",
        )
        if "network_place" in tables
        else {}
    )
    records: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in engine.query(
        f"""SELECT r.entity_id, r.source, r.record_id FROM resolved_record r
            JOIN ({published}) p ON p.entity_id = r.entity_id ORDER BY r.entity_id, r.record_id"""
    ).to_pylist():
        if len(records[row["entity_id"]]) < RECORDS_SHOWN:
            records[row["entity_id"]].append(
                {"source": row["source"], "record_id": row["record_id"]}
            )
    rows = []
    for row in base:
        entity = row["entity_id"]
        home = homes.get(entity)
        rows.append(
            {
                "entity_id": entity,
                "kind": row["entity_type"],
                "label": row["label"] or entity,
                "birth_date": births.get(entity),
                "division": divisions.get(entity) or (home[1] if home else None),
                "address": home[0] if home else None,
                "contact": contacts.get(entity),
                "records": records.get(entity, []),
                "run_id": run_id,
            }
        )
    return rows


def _by_entity(engine: Engine, sql: str) -> dict[str, Any]:
    return {r["entity_id"]: r["value"] for r in engine.query(sql).to_pylist()}


def _homes(engine: Engine, published: str, tables: set[str]) -> dict[str, tuple[str, str | None]]:
    """Each person's latest address (label and division), from their resident-at links."""
    if not {"link", "address", "resolved_record"} <= tables:
        return {}
    place = "network_place" in tables
    rows = engine.query(
        f"""SELECT r.entity_id, coalesce(a.full_text, a.line1) AS home, k.start_date,
                   {"pl.division" if place else "CAST(NULL AS VARCHAR)"} AS division
            FROM resolved_record r JOIN ({published}) p ON p.entity_id = r.entity_id
            JOIN link k ON k.from_id = r.record_id AND k.role = 'resident-at'
            JOIN address a ON a.id = k.to_id
            JOIN resolved_record ar ON ar.record_id = a.id
            {"LEFT JOIN network_place pl ON pl.entity_id = ar.entity_id" if place else ""}
            WHERE r.entity_type = 'Person'"""
    ).to_pylist()
    latest: dict[str, tuple[str, str | None]] = {}
    for row in sorted(rows, key=lambda r: (r["entity_id"], str(r["start_date"] or ""))):
        if row["home"]:
            latest[row["entity_id"]] = (row["home"], row["division"])
    return latest


def _contacts(engine: Engine, published: str, tables: set[str]) -> dict[str, str]:
    """Each person's phone numbers, comma-separated."""
    if not {"link", "phone", "resolved_record"} <= tables:
        return {}
    numbers: dict[str, set[str]] = defaultdict(set)
    for row in engine.query(
        f"""SELECT r.entity_id, x.number FROM resolved_record r
            JOIN ({published}) p ON p.entity_id = r.entity_id
            JOIN link k ON k.from_id = r.record_id AND k.role = 'uses-phone'
            JOIN phone x ON x.id = k.to_id WHERE x.number IS NOT NULL"""
    ).to_pylist():
        numbers[row["entity_id"]].add(row["number"])
    return {entity: ", ".join(sorted(found)) for entity, found in numbers.items()}


def sign_rows(engine: Engine) -> list[dict[str, Any]]:
    """Signs found in texts about people who have a profile."""
    if not {"indicator_hit", "risk_profile"} <= set(engine.tables()):
        return []
    rows: list[dict[str, Any]] = engine.query(
        """SELECT r.entity_id, h.indicator_id, h.source AS source_system,
                  h.source_record_id AS record_id, h.text, h.event_date,
                  h.source_evaluation || h.intelligence_assessment AS grading,
                  h.handling_code
           FROM indicator_hit h JOIN resolved_record r ON r.record_id = h.about
           JOIN risk_profile p ON p.entity_id = r.entity_id
           ORDER BY r.entity_id, h.event_date, h.indicator_id"""
    ).to_pylist()
    return rows


def group_rows(engine: Engine) -> list[dict[str, Any]]:
    """Members of network groups."""
    if "network_group_member" not in engine.tables():
        return []
    rows: list[dict[str, Any]] = engine.query(
        "SELECT DISTINCT group_id, entity_id, flagged FROM network_group_member"
    ).to_pylist()
    return rows


def profile_rows(engine: Engine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Risk profiles and their evidence, as the risk stage wrote them."""
    if "risk_profile" not in engine.tables():
        return [], []
    profiles = engine.query("SELECT * FROM risk_profile ORDER BY entity_id").to_pylist()
    evidence = engine.query(
        """SELECT entity_id, rule_id, rule_version, source AS source_system,
                  source_record_id AS record_id, detail, event_date, handling_code,
                  source_evaluation || intelligence_assessment AS grading
           FROM risk_evidence ORDER BY entity_id, rule_id, event_date"""
    ).to_pylist()
    return profiles, evidence
