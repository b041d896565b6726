"""The audit log, for administrators (R06: lawfulness checks, integrity, self-monitoring)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from msht.audit.search import search_entries
from msht.audit.verify import verify
from msht.cases.actor import Actor
from msht.web.deps import DatabaseDep, allowed, signed_in

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("")
def entries(
    db: DatabaseDep,
    found: Annotated[Actor, allowed("audit:read")],
    username: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
    record_id: Annotated[str | None, Query(max_length=160)] = None,
    since: date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Entries, newest first, by user, action, record or date."""
    with signed_in(db, found) as session:
        items = search_entries(session, username, action, record_id, since, limit, offset)
    return {"items": items}


@router.get("/verify")
def check(db: DatabaseDep, found: Annotated[Actor, allowed("audit:read")]) -> dict[str, Any]:
    """Check the hash chain: the first altered, removed or reordered entry, if any."""
    with signed_in(db, found) as session:
        result = verify(session)
    return {
        "ok": result.ok,
        "entries": result.entries,
        "first_bad": result.first_bad,
        "problem": result.problem,
        "explanation": result.explanation,
    }
