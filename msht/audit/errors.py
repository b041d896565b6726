"""Errors of writing and exporting the audit log."""

from __future__ import annotations

from msht.errors import MshtError


class AuditError(MshtError):
    """An audit entry or export cannot be made as asked; the message says what is missing."""
