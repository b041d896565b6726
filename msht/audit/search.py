"""Finding audit entries: by user, action, record and date (who viewed this person?)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from msht.store.audit import AuditEntry


def search_entries(
    session: Session,
    username: str | None = None,
    action: str | None = None,
    record_id: str | None = None,
    since: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Entries matching every filter given, newest first."""
    query = select(AuditEntry)
    if username:
        query = query.where(AuditEntry.username == username)
    if action:
        query = query.where(AuditEntry.action == action)
    if record_id:  # ids sit in a JSON list, stored as its text on SQLite and PostgreSQL
        needle = json.dumps(record_id).replace("%", r"\%").replace("_", r"\_")
        query = query.where(cast(AuditEntry.record_ids, String).like(f"%{needle}%", escape="\\"))
    if since:
        query = query.where(AuditEntry.at >= datetime.combine(since, time(), UTC))
    chosen = session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset))
    return [{c.name: getattr(r, c.name) for c in AuditEntry.__table__.columns} for r in chosen]
