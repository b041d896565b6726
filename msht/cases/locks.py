"""The lock that keeps a publish and a review's removal of a flag apart."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from msht.audit.log import hold_log_lock

# "mshtpubl" as a number: one advisory lock per PostgreSQL database.
_PUBLISH_KEY = 7886762220479652460


def hold_publish_lock(session: Session) -> None:
    """Wait for, then hold to the end of the transaction, the publish lock.

    On PostgreSQL a review closing with "no further action" while a run publishes could
    otherwise delete the old rows and miss the ones the publish is inserting, leaving a
    removed flag published (R07). SQLite lets one writer in at a time, so needs nothing.

    The audit log's lock is taken first, always: a publish and a close both write audit
    entries, and taking the two locks in one order is what keeps them from deadlocking."""
    hold_log_lock(session)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PUBLISH_KEY})
