"""The tamper-evident audit log (DPA 2018 s.62; R05, R06): appending entries in the caller's
transaction (`log`), checking the hash chain (`verify`) and exporting a period for the ICO
(`export`)."""

from __future__ import annotations

from msht.audit.errors import AuditError
from msht.audit.export import ExportResult, export_audit
from msht.audit.log import ACTIONS, record
from msht.audit.verify import Verification, verify

__all__ = [
    "ACTIONS",
    "AuditError",
    "ExportResult",
    "Verification",
    "export_audit",
    "record",
    "verify",
]
