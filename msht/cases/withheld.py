"""Who a run withholds (R07): the people whose flag a review removed and whose evidence has
not changed since.

"Changed" is judged by a profile's fingerprint, made from the run's profiles as the risk
stage first builds them: before withheld people are taken out of the flagged set. Taking a
person out changes the counts around them, and those counts can be part of their own
evidence (they share a van with a man the investigation list names, and are among his
victims): a fingerprint made after would change because of the removal itself, and the
flag would come back on the next run as "new evidence". Made before, it depends on the
sources alone, so a removal stands until they change; the fingerprint a run publishes,
which a review keeps, is this one too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from msht.cases.summaries import profile_rows
from msht.engine.base import Engine as Warehouse
from msht.store.database import transaction
from msht.store.reviews import ReviewItem


@dataclass(frozen=True)
class Withholding:
    """The fingerprint of every profile a run built, and the people it withholds."""

    fingerprints: Mapping[str, str]
    people: frozenset[str]


def fingerprint(profile: dict[str, Any], evidence: list[dict[str, Any]]) -> str:
    """A hash of a profile's factors (decoded) and evidence: equal when nothing a reviewer
    saw changed."""
    factors = sorted((f["rule_id"], f["rule_version"], f["points"]) for f in profile["factors"])
    items = sorted(
        (e["rule_id"], str(e["source_system"]), str(e["record_id"]), str(e["detail"]))
        for e in evidence
    )
    text = json.dumps([factors, items], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def profile_fingerprints(warehouse: Warehouse) -> dict[str, str]:
    """Person → fingerprint of their profile in `warehouse` (a run's version)."""
    profiles, evidence = profile_rows(warehouse)
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for row in evidence:
        by_entity.setdefault(row["entity_id"], []).append(row)
    return {
        p["entity_id"]: fingerprint(
            {**p, "factors": json.loads(p["factors"])}, by_entity.get(p["entity_id"], [])
        )
        for p in profiles
    }


def withheld_among(session: Session, fingerprints: Mapping[str, str]) -> frozenset[str]:
    """Of the people with these profile fingerprints, those whose flag a review removed
    when their profile had the same one."""
    removed = {
        item.entity_id: item.reviewed_fingerprint
        for item in session.scalars(select(ReviewItem).where(ReviewItem.flag_removed))
    }
    return frozenset(e for e, value in fingerprints.items() if removed.get(e) == value)


def find_withholding(warehouse: Warehouse, database: Engine) -> Withholding:
    """Whom the run in `warehouse` withholds, by the reviews in `database` (the serving
    store) now; `publish` checks again under its lock."""
    prints = profile_fingerprints(warehouse)
    with transaction(database) as session:
        return Withholding(prints, withheld_among(session, prints))
