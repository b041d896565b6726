"""Appending to the audit log: one entry per processing operation (DPA 2018 s.62, R05), in
the caller's transaction, so a change and its entry commit or roll back together."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, TypedDict, Unpack, cast

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from msht.audit.chain import GENESIS, canonical, entry_hash
from msht.audit.errors import AuditError
from msht.store.audit import AuditEntry
from msht.store.base import utcnow

#: Each action the log knows → what it covers: the s.62 operations, and sign-in events.
ACTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "collection": "Data taken in: an ingest run, a form filled in.",
        "alteration": "Data changed: a review transition, a note, a correction.",
        "consultation": "Data looked at: a person's page or profile, an opened search hit.",
        "disclosure": "Data shown or given to someone outside the team (with its recipient).",
        "export": "Data written out of msht: a file, a chart, this log (with its recipient).",
        "combination": "Data joined: records merged or split by entity resolution, judgements.",
        "erasure": "Data removed: a flag withdrawn on review, a record deleted.",
        "access": "Signing in or out, a refused sign-in, an account locked out.",
    }
)

#: Actions that hand data to someone, so the entry must say to whom (s.62(3)).
NEEDS_RECIPIENT: Final = frozenset({"disclosure", "export"})

_TABLE = cast(Table, AuditEntry.__table__)
_INSERT = insert(_TABLE)
#: The newest entry: the one a new entry follows.
_HEAD = (
    select(AuditEntry.seq, AuditEntry.hash, AuditEntry.at).order_by(AuditEntry.seq.desc()).limit(1)
)

# One advisory lock ("mshtaudt" as a number) serialises appends across every connection to a
# PostgreSQL database; held to the end of the caller's transaction.
_LOCK_KEY = 7886762221516448884


@dataclass(frozen=True)
class Entry:
    """An entry checked and ready to append: the chain's fields (seq, time, hashes) are
    given when it is appended."""

    username: str
    role: str
    action: str
    record_ids: list[str]
    reason: str
    recipient: str | None
    detail: dict[str, Any]


class _Given(TypedDict):
    username: str
    role: str
    action: str
    record_ids: Sequence[str]
    reason: str


class Given(_Given, total=False):
    """What a caller says of an entry: who, as what, did what to which records, and why
    (with, for a disclosure or export, to whom)."""

    recipient: str | None
    detail: Mapping[str, Any] | None


def entry(**given: Unpack[Given]) -> Entry:
    """An entry, after refusing one the law or the table would not accept (AuditError)."""
    recipient = given.get("recipient")
    ids, details = _checked(
        given["username"],
        given["role"],
        given["action"],
        given["record_ids"],
        given["reason"],
        recipient,
        given.get("detail"),
    )
    return Entry(
        given["username"], given["role"], given["action"], ids, given["reason"], recipient, details
    )


def record(session: Session, **given: Unpack[Given]) -> AuditEntry:
    """Append one entry after the newest, in `session`'s transaction, and return it (as a
    detached object: the row is written, the session does not track it)."""
    return AuditEntry(**_append(session, [entry(**given)])[0])


def append(session: Session, entries: Sequence[Entry]) -> None:
    """Append `entries`, in order, after the newest, in `session`'s transaction (one lock,
    one read of the newest entry and one insert however many there are)."""
    _append(session, entries)


def _append(session: Session, entries: Sequence[Entry]) -> list[dict[str, Any]]:
    if not entries:
        return []
    hold_log_lock(session)
    head = session.connection().execute(_HEAD).first()
    now = utcnow()
    seq, previous = (0, GENESIS) if head is None else (head[0], head[1])
    # Never before the newest entry, even if the clock steps back, so a period of time is
    # always one unbroken run of entries.
    at = now if head is None else max(now, head[2])
    rows: list[dict[str, Any]] = []
    for given in entries:
        seq += 1
        # a shallow copy: the entry is frozen, and its lists are not changed once checked
        fields: dict[str, Any] = {"seq": seq, "at": at, **vars(given)}
        digest = entry_hash(previous, fields)
        rows.append({**fields, "previous_hash": previous, "hash": digest})
        previous = digest
    # A Core insert, compiled once for any number of rows: an ORM flush of one new object
    # cost more than the rest of an audited view.
    session.connection().execute(_INSERT, rows)
    return rows


#: `Session.info` key under which a transaction collects consultations that are appended
#: after it ends (see `collect_consultations`), instead of in it.
_DEFERRED = "msht.audit.deferred"


def consulted(session: Session, made: Entry) -> None:
    """Record a consultation: in `session`'s transaction, or after it when the transaction
    collects them (a read whose entry is appended by a `GroupWriter`)."""
    pending = session.info.get(_DEFERRED)
    if pending is None:
        append(session, [made])
    else:
        pending.append(made)


def collect_consultations(session: Session) -> list[Entry]:
    """Make `session` collect its consultations instead of appending them; the list they go
    to, which the caller must have appended before it shows the data they record."""
    pending: list[Entry] = []
    session.info[_DEFERRED] = pending
    return pending


def hold_log_lock(session: Session) -> None:
    """Hold the log's write lock before reading its newest entry, so that two writers never
    both append after the same entry."""
    connection = session.connection()  # Core, not the ORM's execute: every view pays this
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        # the lock would end with its own statement: two writers could follow one entry
        raise AuditError("the audit log is appended only inside a transaction")
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_LOCK, {"key": _LOCK_KEY})
    else:
        # SQLite has one write lock per database, taken by the first write of a transaction
        # and kept to its end (waiting for it as long as the connection's timeout). This
        # write changes nothing; it only takes the lock if the transaction lacks it.
        connection.execute(_SQLITE_LOCK)


_PG_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_SQLITE_LOCK = text(f"UPDATE {AuditEntry.__tablename__} SET seq = seq WHERE 1 = 0")


def _checked(
    username: str,
    role: str,
    action: str,
    record_ids: Sequence[str],
    reason: str,
    recipient: str | None,
    detail: Mapping[str, Any] | None,
) -> tuple[list[str], dict[str, Any]]:
    """The record ids and detail as stored, after refusing an entry the law or the table
    would not accept."""
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}: use one of {', '.join(ACTIONS)}")
    if not reason.strip():
        raise AuditError(f"a {action} entry needs a reason: why the data was processed (R05)")
    if action in NEEDS_RECIPIENT and not (recipient or "").strip():
        raise AuditError(f"a {action} entry needs a recipient: to whom the data went (R05)")
    if isinstance(record_ids, str) or not all(isinstance(i, str) for i in record_ids):
        raise AuditError("record_ids must be a list of record id strings")
    for name, value in (("username", username), ("role", role), ("recipient", recipient)):
        limit: int = getattr(AuditEntry.__table__.c[name].type, "length", 0)
        if value is not None and not (value.strip() and len(value) <= limit):
            raise AuditError(f"an audit entry's {name} must be 1 to {limit} characters")
    try:
        # Stored as it is hashed: a JSON round trip turns tuples into lists and keys into text.
        details = json.loads(canonical(dict(detail or {})))
    except (TypeError, ValueError) as exc:
        raise AuditError(f"an audit entry's detail must be plain JSON: {exc}") from exc
    return list(record_ids), dict(details)
