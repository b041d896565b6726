"""A log of varied entries for the audit tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from msht.audit import record

#: Entries with every kind of value a field can hold: no recipient, nested detail, no record
#: ids, non-ASCII text.
ENTRIES: list[dict[str, Any]] = [
    {"action": "collection", "record_ids": ["RUN-1"], "detail": {"rows": 120, "source": "niche"}},
    {"action": "consultation", "record_ids": ["PER-000001"], "reason": "review of situation"},
    {"action": "disclosure", "record_ids": ["PER-000001", "GRP-00001"], "recipient": "GLAA"},
    {"action": "access", "record_ids": [], "reason": "sign-in", "detail": {}},
    {"action": "combination", "record_ids": ["PER-1", "PER-2"], "detail": {"m": [0.97, None]}},
    {"action": "alteration", "record_ids": ["REV-7"], "reason": "note: Zoë's visit ✓"},
]


def fill(session: Session, entries: list[dict[str, Any]] = ENTRIES) -> None:
    """Record `entries`, with a user, role, reason and no record ids where they give none."""
    for entry in entries:
        record(
            session,
            **{
                "username": "a.khan",
                "role": "analyst",
                "reason": "R05 test",
                "record_ids": [],
                **entry,
            },
        )
