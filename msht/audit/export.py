"""The audit log for the Information Commissioner (R06): the entries of a period as JSON
Lines after a header that lets the recipient check them on their own."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from msht.audit.chain import GENESIS, RULE, canonical, entries, timestamp
from msht.audit.errors import AuditError
from msht.audit.log import record
from msht.audit.verify import Verification, verify
from msht.store.audit import AuditEntry
from msht.store.base import DEFAULT_MARKING, utcnow

FORMAT = "msht audit export 1"


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: how many entries (seqs `first`..`last`), the file's SHA-256, the
    check of the whole chain, and the seq of the export's own audit entry."""

    path: Path
    count: int
    first: int | None
    last: int | None
    sha256: str
    verification: Verification
    entry: int


def export_audit(
    session: Session,
    out: Path,
    start: date | None,
    end: date | None,
    *,
    username: str,
    role: str,
    reason: str,
    recipient: str = "ICO",
) -> ExportResult:
    """Write the entries from `start` to `end` (UTC days, inclusive; open if None) to `out`
    and record the export itself as an entry after them, in `session`'s transaction. The
    file appears at `out` only when that transaction commits, and is removed if it does not,
    so no exported file exists without its entry."""
    if start is not None and end is not None and start > end:
        raise AuditError(f"the period runs backwards: {start} is after {end}")
    # Entries appended while this runs are left out: the file and its check end at the head.
    head = session.scalar(select(func.max(AuditEntry.seq))) or 0
    checked = verify(session, through=head)
    first, last = _bounds(session, head, start, end)
    header: dict[str, Any] = {
        "format": FORMAT,
        "marking": DEFAULT_MARKING,
        "exported_at": timestamp(utcnow()),
        "exported_by": username,
        "recipient": recipient,
        "period": {"from": _iso(start), "to": _iso(end)},
        "first_seq": first,
        "last_seq": last,
        "count": _count(session, first, last),
        # The hashes either side of the period: the last entry's before it and the period's
        # own last, so the recipient can tie the file to earlier and later exports.
        "hash_before": None if first is None else _hash_of(session, first - 1),
        "hash_last": None if last is None else _hash_of(session, last),
        "chain": {
            "ok": checked.ok,
            "entries": checked.entries,
            "first_bad_seq": checked.first_bad,
            "problem": checked.problem,
            "explanation": checked.explanation,
        },
        "head": {"seq": head, "hash": _hash_of(session, head)},
        "hash_rule": RULE,
    }
    with _staged(out, session) as stream:
        digest = _write(stream, header, session, first, last)
        entry = record(
            session,
            username=username,
            role=role,
            action="export",
            record_ids=[],
            reason=reason,
            recipient=recipient,
            detail={
                "file": out.name,
                "sha256": digest,
                "period": header["period"],
                "first_seq": first,
                "last_seq": last,
                "count": header["count"],
            },
        )
    return ExportResult(out, header["count"], first, last, digest, checked, entry.seq)


def _bounds(
    session: Session, head: int, start: date | None, end: date | None
) -> tuple[int | None, int | None]:
    """The first and last seq of the period; entries are in time order, so the period is one
    unbroken run of them and the recipient can check every link inside it."""
    query = select(func.min(AuditEntry.seq), func.max(AuditEntry.seq)).where(AuditEntry.seq <= head)
    if start is not None:
        query = query.where(AuditEntry.at >= datetime.combine(start, time.min, UTC))
    if end is not None:
        after = datetime.combine(end + timedelta(days=1), time.min, UTC)
        query = query.where(AuditEntry.at < after)
    first, last = session.execute(query).one()
    return first, last


def _hash_of(session: Session, seq: int) -> str | None:
    """The stored hash of entry `seq` (the chain's start before entry 1)."""
    if seq == 0:
        return GENESIS
    return session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq))


def _count(session: Session, first: int | None, last: int | None) -> int:
    if first is None or last is None:
        return 0
    where = AuditEntry.seq.between(first, last)
    return session.scalar(select(func.count()).select_from(AuditEntry).where(where)) or 0


def _write(
    stream: IO[bytes], header: dict[str, Any], session: Session, first: int | None, last: int | None
) -> str:
    """Write the header and the entries, one JSON object a line; return the file's SHA-256."""
    digest = hashlib.sha256()

    def line(value: dict[str, Any]) -> None:
        data = (canonical(value) + "\n").encode("utf-8")
        digest.update(data)
        stream.write(data)

    line(header)
    if first is not None and last is not None:
        for row in entries(session, first, last):
            line({**row, "at": timestamp(row["at"])})
    return digest.hexdigest()


@contextmanager
def _staged(out: Path, session: Session) -> Iterator[IO[bytes]]:
    """A file that becomes `out` only once `session`'s transaction commits (the one holding
    the export's own entry), and is removed if the block fails or the transaction rolls back
    or fails to commit, so no exported file exists that no audit entry accounts for."""
    root = session.get_transaction()
    if root is None:  # export_audit has read the log by now, which began one
        raise AuditError("an audit export needs a session in a transaction")
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    staged = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
    except BaseException:
        staged.unlink(missing_ok=True)
        raise

    # The listeners stay on the session (SQLAlchemy cannot remove one while it runs), idle
    # once this transaction has ended: a later commit of the session moves nothing.
    pending = [True]

    def committed(_session: Session) -> None:
        if pending[0]:
            staged.replace(out)

    def ended(_session: Session, transaction: SessionTransaction) -> None:
        if transaction is root and pending[0]:
            pending[0] = False
            staged.unlink(missing_ok=True)  # gone already if it was committed and renamed

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_transaction_end", ended)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
