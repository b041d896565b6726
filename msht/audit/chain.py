"""The hash chain's rule, shared by writing, checking and exporting the log: each entry's
hash is SHA-256 over the previous entry's hash followed by a canonical JSON of its fields."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from msht.store.audit import AuditEntry

#: The `previous_hash` of the first entry: nothing came before it.
GENESIS = "0" * 64

#: The rule in words, written into every export so a recipient can check the hashes alone.
RULE = (
    "hash = sha256(previous_hash + canonical JSON of {seq, at, username, role, action, "
    "record_ids, reason, recipient, detail}) as lower-case hex, where the JSON has sorted keys, "
    "no spaces (separators ',' and ':'), non-ASCII characters as UTF-8, and `at` in the form "
    "2025-01-31T09:30:00.000000+00:00; the first entry's previous_hash is 64 zeros"
)

#: Columns in table order, read as plain rows so nothing cached by a session hides tampering.
COLUMNS = tuple(AuditEntry.__table__.columns)

#: Rows fetched at a time when streaming the log.
BATCH = 1000


def canonical(value: Any) -> str:
    """`value` as canonical JSON: sorted keys, no spaces, UTF-8 text, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def timestamp(at: datetime) -> str:
    """An entry's time as it is hashed: ISO 8601 in UTC with microseconds."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(previous_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of an entry with these fields (`seq` … `detail`) after `previous_hash`."""
    text = previous_hash + canonical({**fields, "at": timestamp(fields["at"])})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hashed_fields(row: Mapping[str, Any], seq: int | None = None) -> dict[str, Any]:
    """The fields of a stored entry that its hash covers (with `seq` replaced, if given)."""
    return {
        "seq": row["seq"] if seq is None else seq,
        "at": row["at"],
        "username": row["username"],
        "role": row["role"],
        "action": row["action"],
        "record_ids": row["record_ids"],
        "reason": row["reason"],
        "recipient": row["recipient"],
        "detail": row["detail"],
    }


def is_sound(row: Mapping[str, Any], seq: int | None = None) -> bool:
    """Whether a stored entry's hash matches its fields (taken as being at `seq`, if given)."""
    return bool(entry_hash(row["previous_hash"], hashed_fields(row, seq)) == row["hash"])


def entries(
    session: Session, first: int | None = None, last: int | None = None
) -> Iterator[dict[str, Any]]:
    """Stored entries from seq `first` to `last` (inclusive, open if None), in order, fetched
    a batch at a time so a long log is never held in memory."""
    query = select(*COLUMNS).order_by(AuditEntry.seq)
    if first is not None:
        query = query.where(AuditEntry.seq >= first)
    if last is not None:
        query = query.where(AuditEntry.seq <= last)
    for row in session.execute(query.execution_options(yield_per=BATCH)).mappings():
        yield dict(row)
