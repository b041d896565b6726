"""Entity-resolution judgements kept in the serving store: who said two records are the
same person (or not), when and why. The next run's resolution obeys them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from msht.audit.log import record
from msht.cases.errors import Conflict
from msht.resolve.judgements import Judgement, Verdict, conflict
from msht.store.reviews import JudgementRow

# One advisory lock ("mshtjdgm" as a number) serialises judging on PostgreSQL.
_LOCK_KEY = 7886762220478866797


def stored_judgements(session: Session) -> list[Judgement]:
    """Every judgement in the store, oldest first."""
    rows = session.scalars(select(JudgementRow).order_by(JudgementRow.id))
    return [
        Judgement(
            verdict=_verdict(r.verdict),
            record_a=r.record_a,
            record_b=r.record_b,
            by=r.by,
            reason=r.reason,
            at=r.at.isoformat(timespec="seconds"),
        )
        for r in rows
    ]


def _verdict(text_: str) -> Verdict:
    return "same" if text_ == "same" else "different" if text_ == "different" else "unsure"


def _lock(session: Session) -> None:
    """Judge one at a time: two contradicting judgements cannot both pass the check."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    else:  # takes SQLite's write lock for the rest of the transaction
        session.execute(text(f"UPDATE {JudgementRow.__tablename__} SET id = id WHERE 1 = 0"))


def record_judgement(
    session: Session,
    new: Judgement,
    role: str,
    earlier: list[Judgement],
    entities: dict[str, str] | None = None,
) -> JudgementRow:
    """Store a checked judgement unless it contradicts `earlier` ones (the project's file) or
    stored ones (Conflict); a combination entry in the audit log."""
    _lock(session)
    problem = conflict([*earlier, *stored_judgements(session)], new, entities)
    if problem is not None:
        raise Conflict(f"judgement refused: {problem}")
    row = JudgementRow(
        record_a=new.record_a,
        record_b=new.record_b,
        verdict=new.verdict,
        by=new.by,
        reason=new.reason,
        at=_at(new.at),
    )
    session.add(row)
    record(
        session,
        username=new.by,
        role=role,
        action="combination",
        record_ids=[new.record_a, new.record_b],
        reason=new.reason,
        detail={"verdict": new.verdict},
    )
    return row


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)
