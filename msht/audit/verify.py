"""Checking the audit log's hash chain from its first entry: any altered, removed, reordered
or inserted entry is found, and the first bad one named (R06)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from msht.audit.chain import GENESIS, entries, is_sound
from msht.store.audit import AuditEntry

Problem = Literal["altered", "removed", "reordered", "inserted"]


@dataclass(frozen=True)
class Verification:
    """What checking the chain found: `entries` is how many were sound, in order, before
    the first bad one (`first_bad`, a seq), if any."""

    ok: bool
    entries: int
    first_bad: int | None = None
    problem: Problem | None = None
    explanation: str = ""
    last_hash: str = GENESIS


def verify(session: Session, *, through: int | None = None) -> Verification:
    """Check every entry (up to seq `through`, if given) against its hash and its link to the
    entry before it; stop at the first bad one."""
    expected, previous = 1, GENESIS
    for row in entries(session, last=through):
        if row["seq"] != expected or row["previous_hash"] != previous or not is_sound(row):
            first_bad, problem, explanation = _diagnose(session, row, expected, previous)
            return Verification(False, expected - 1, first_bad, problem, explanation, previous)
        expected, previous = expected + 1, row["hash"]
    return Verification(True, expected - 1, last_hash=previous)


def _diagnose(
    session: Session, row: Mapping[str, Any], expected: int, previous: str
) -> tuple[int, Problem, str]:
    """Which entry is bad and how, given the first entry that does not follow on (every one
    before it is sound and linked)."""
    seq = row["seq"]
    if seq != expected:
        missing = f"{expected}" if seq == expected + 1 else f"{expected} to {seq - 1}"
        return expected, "removed", f"entry {missing} is missing: the log jumps to {seq}"
    if row["previous_hash"] == previous:
        return seq, "altered", f"entry {seq}'s fields no longer match its hash"
    if is_sound(row) and seq > 1:
        # Intact itself, so the entry before it was rewritten with a hash made to match.
        return seq - 1, "altered", f"entry {seq - 1} was rewritten: entry {seq} follows another"
    linked = session.scalar(select(AuditEntry.seq).where(AuditEntry.hash == row["previous_hash"]))
    if linked is None:
        if is_sound(row, seq + 1):
            return seq, "removed", f"an entry before {seq} was removed and the rest renumbered"
        return seq, "altered", f"entry {seq} links to a hash that no entry has"
    if linked == seq - 2 and is_sound(row, seq - 1):
        return seq - 1, "inserted", f"entry {seq - 1} was inserted: entry {seq} follows {linked}"
    return seq, "reordered", f"entry {seq} follows entry {linked}, not entry {seq - 1}"
