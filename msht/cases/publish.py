"""Publish a run into the serving store: replace the published entities, profiles, evidence,
signs and groups in one transaction, and keep every review attached to its person.

Review items follow the profiles: a new cohort member gets an item in triage; a closed item
whose profile changed since its review re-enters triage; a flag removed by a review stays
removed (unpublished, and out of the run's derived tables: `withheld.py`, `purge.py`) until
new evidence arrives; a flag past its review-by date re-enters triage (R07)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session

from msht.audit.log import record
from msht.cases.actor import SYSTEM
from msht.cases.locks import hold_publish_lock
from msht.cases.purge import purge_removed
from msht.cases.review import move, rank_items
from msht.cases.summaries import entity_rows, group_rows, profile_rows, sign_rows
from msht.cases.withheld import Withholding, find_withholding, fingerprint, withheld_among
from msht.cases.workflow import load_workflow
from msht.engine.base import Engine as Warehouse
from msht.errors import MshtError
from msht.store.base import DEFAULT_MARKING, utcnow
from msht.store.database import transaction
from msht.store.published import Entity, Evidence, GroupMember, Profile, Publication, SignHit
from msht.store.reviews import ReviewItem, Transition

#: Inserted per statement: bounded parameter lists on SQLite and PostgreSQL.
BATCH = 2000


@dataclass(frozen=True)
class Published:
    """What a publish wrote and what it did to review items."""

    entities: int
    profiles: int
    new_items: int
    reopened: int
    expired: int
    withheld: int

    def as_summary(self) -> dict[str, int]:
        """The `publish` section of summary.json."""
        return asdict(self)


def publish(
    warehouse: Warehouse,
    database: Engine,
    run_id: str,
    today: date,
    marking: str = DEFAULT_MARKING,
    withholding: Withholding | None = None,
) -> Published:
    """Replace the published state with this run's, in one transaction: on any error the
    previous published state and every review are left as they were. Profiles and new
    items carry the project's security `marking` (R10). `warehouse` is the run's new store
    version, not yet current: flags reviews removed are purged from it.

    `withholding` is whom the run withheld when it built its tables (`find_withholding`),
    with the fingerprints it judged them by; the pipeline passes it, having built the counts
    around those people without them. Without it, it is found here, and only the people's
    own rows are purged: counts around them keep counting them."""
    if withholding is None:
        withholding = find_withholding(warehouse, database)
    purged = withholding.people
    # Flags reviews removed leave this run's own derived tables too, before the serving store
    # is locked (views wait for that lock). If the publish fails, the run fails and this
    # store version with it.
    purge_removed(warehouse, set(purged))
    # everything is read before the store is locked, and after the purge: a withheld person
    # is published as an entity only as anyone else is (a member of a group)
    entities = entity_rows(warehouse, run_id)
    profiles, evidence = profile_rows(warehouse)
    hits = sign_rows(warehouse)
    groups = group_rows(warehouse)
    signs: dict[str, list[dict[str, Any]]] = {}
    for row in hits:
        signs.setdefault(row["entity_id"], []).append(row)
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for row in evidence:
        by_entity.setdefault(row["entity_id"], []).append(row)
    for profile in profiles:
        entity = profile["entity_id"]
        profile["factors"] = json.loads(profile["factors"])
        found = by_entity.get(entity, [])
        # the fingerprint withholding was judged by, which a review keeps (`withheld.py`)
        judged = withholding.fingerprints.get(entity)
        profile["fingerprint"] = judged or fingerprint(profile, found)
        profile["handling_code"] = handling_code(found + signs.get(entity, []))
        profile["run_id"] = run_id
        profile["security_marking"] = marking
    with transaction(database) as session:
        hold_publish_lock(session)
        for table in (SignHit, GroupMember, Evidence, Profile, Entity):
            session.execute(delete(table))
        _insert(session, Entity, entities)
        withheld = withheld_among(session, withholding.fingerprints)
        if withheld != purged:
            raise MshtError(
                "a review removed or restored a flag while this run was publishing: run again"
            )
        kept = [p for p in profiles if p["entity_id"] not in withheld]
        _insert(session, Profile, [_columns(Profile, p) for p in kept])
        shown = {p["entity_id"] for p in kept}
        _insert(
            session, Evidence, [_columns(Evidence, e) for e in evidence if e["entity_id"] in shown]
        )
        _insert(
            session,
            SignHit,
            [_columns(SignHit, s) for s in hits if s["entity_id"] in shown],
        )
        for row in groups:  # a removed flag is not shown through the groups either
            row["flagged"] = row["flagged"] and row["entity_id"] not in withheld
        _insert(session, GroupMember, groups)
        new, reopened = _follow_profiles(session, kept, marking)
        session.flush()
        rank_items(session)
        expired = _expire(session, today)
        published = Published(
            len(entities), len(kept), len(new), len(reopened), len(expired), len(withheld)
        )
        if new or reopened or expired:  # who had their review record changed (R05)
            record(
                session,
                username=SYSTEM.username,
                role=SYSTEM.role,
                action="alteration",
                record_ids=sorted({*new, *reopened, *expired}),
                reason=f"review items of run {run_id}: new, reopened or past their review-by date",
                detail={"new": new, "reopened": reopened, "expired": expired},
            )
        session.add(
            Publication(
                run_id=run_id,
                published_at=utcnow(),
                rule_set_version=kept[0]["rule_set_version"] if kept else None,
                counts=published.as_summary(),
            )
        )
        record(
            session,
            username=SYSTEM.username,
            role=SYSTEM.role,
            action="collection",
            record_ids=[f"run:{run_id}"],
            reason="publish of a pipeline run",
            detail=published.as_summary(),
        )
    return published


def handling_code(rows: list[dict[str, Any]]) -> str:
    """P when every record behind a profile may be shared (intelligence coded P, or records
    with no handling code, which only intelligence carries); else C, which a partner sees
    only after a disclosure (R09)."""
    codes = {r.get("handling_code") for r in rows} - {None, "P"}
    return "C" if codes else "P"


def _columns(table: type[Any], row: dict[str, Any]) -> dict[str, Any]:
    names = {c.name for c in table.__table__.columns}
    return {k: v for k, v in row.items() if k in names}


def _insert(session: Session, table: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])


def _follow_profiles(
    session: Session, profiles: list[dict[str, Any]], marking: str
) -> tuple[list[str], list[str]]:
    """New items for new cohort members; closed items whose profile changed go back to
    triage; every item takes its profile's handling code, in the cohort or not. Returns the
    people given a new item and those reopened."""
    flow = load_workflow()
    items = {item.entity_id: item for item in session.scalars(select(ReviewItem))}
    now, new, reopened = utcnow(), [], []
    for profile in profiles:
        item = items.get(profile["entity_id"])
        if item is not None:  # before the cohort test: a share must never outlive a C code
            item.handling_code = profile["handling_code"]
        if not profile["cohort"]:
            continue
        if item is None:
            item = ReviewItem(
                entity_id=profile["entity_id"],
                state=flow.initial,
                review_by=profile["review_by"],
                created_at=now,
                updated_at=now,
                handling_code=profile["handling_code"],
                security_marking=marking,
            )
            session.add(item)
            session.flush()
            session.add(  # its first step: from no state at all
                Transition(
                    item_id=item.id,
                    from_state=None,
                    to_state=flow.initial,
                    by=SYSTEM.username,
                    at=now,
                    reason=f"joined the review cohort in run {profile['run_id']}",
                )
            )
            new.append(item.entity_id)
        elif item.state == flow.closed and profile["fingerprint"] != item.reviewed_fingerprint:
            item.flag_removed = False
            move(session, item, flow.initial, SYSTEM, "new evidence since the last review")
            reopened.append(item.entity_id)
    return new, reopened


def expire_due(session: Session, today: date) -> list[str]:
    """Closed flags past their review-by date go back to triage to be re-justified or
    removed (R07), with one audit entry naming the people; returns them. A run does it
    when it publishes; `msht expire` does it between runs."""
    expired = _expire(session, today)
    if expired:
        record(
            session,
            username=SYSTEM.username,
            role=SYSTEM.role,
            action="alteration",
            record_ids=expired,
            reason=f"review-by date passed by {today.isoformat()}: back to triage (R07)",
            detail={"expired": expired},
        )
    return expired


def _expire(session: Session, today: date) -> list[str]:
    """The closed items past their review-by date moved to triage: the people."""
    flow = load_workflow()
    due = session.scalars(
        select(ReviewItem).where(
            ReviewItem.state == flow.closed,
            ReviewItem.flag_removed.is_(False),
            ReviewItem.review_by < today,
        )
    ).all()
    for item in due:
        move(
            session,
            item,
            flow.initial,
            SYSTEM,
            f"review-by date {item.review_by} passed: re-justify or remove the flag (R07)",
        )
    return [item.entity_id for item in due]
