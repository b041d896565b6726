"""The one way out of msht for the entity graph: every format, stamped alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine as Database

from msht.audit.log import record
from msht.engine.base import Engine
from msht.errors import MshtError
from msht.exports.anx import write_anx
from msht.exports.anx_style import AnxStyle, load_anx_style
from msht.exports.graphml import write_graphml
from msht.exports.selection import Filter, Selection, select
from msht.exports.tabular import write_csv, write_xlsx
from msht.exports.watermark import DEFAULT_MARKING, Watermark, watermark
from msht.store.database import transaction

Format = Literal["csv", "xlsx", "graphml", "anx"]
#: Every export format, in the order the CLI lists them.
FORMATS: tuple[Format, ...] = ("anx", "graphml", "xlsx", "csv")
Writer = Callable[[Selection, Path, Watermark], list[Path]]


@dataclass(frozen=True)
class ExportRequest:
    """What to export, where, for whom: the format, the file, who exports, which part of the
    graph (`chosen_by`; by default all of it) and the security marking. `rules`: the
    project's rules folder, where an `anx.yaml` may restyle i2 charts."""

    fmt: Format
    out: Path
    who: str
    chosen_by: Filter = field(default_factory=Filter)
    marking: str = DEFAULT_MARKING
    rules: Path | None = None
    recipient: str = ""
    """To whom the export goes (kept in the audit log, R05)."""
    purpose: str = ""
    """Why it is exported (kept in the audit log)."""
    role: str = "analyst"
    """The exporter's role, for the audit log."""


def _writer(request: ExportRequest) -> Writer:
    if request.fmt == "anx":
        style: AnxStyle = load_anx_style(request.rules)
        return lambda selection, out, mark: write_anx(selection, out, mark, style)
    writers: dict[str, Writer] = {"csv": write_csv, "xlsx": write_xlsx, "graphml": write_graphml}
    return writers[request.fmt]


def export(engine: Engine, request: ExportRequest, audit: Database) -> tuple[Selection, list[Path]]:
    """Write the selected part of the graph in the requested format, watermarked, and record
    the export, with its recipient, purpose and every entity in it, in the audit log of the
    serving store `audit`; the files written. If the entry cannot be written, neither are the
    files: nothing leaves msht unrecorded."""
    if not request.recipient.strip() or not request.purpose.strip():
        raise MshtError("an export needs a recipient and a purpose (kept in the audit log)")
    write = _writer(request)
    selection = select(engine, request.chosen_by, with_provenance=request.fmt == "anx")
    written = write(selection, request.out, watermark(request.who, request.marking))
    try:
        with transaction(audit) as session:
            record(
                session,
                username=request.who,
                role=request.role,
                action="export",
                record_ids=selection.nodes.column("entity_id").to_pylist(),
                reason=request.purpose,
                recipient=request.recipient,
                detail={
                    "format": request.fmt,
                    "files": [p.name for p in written],
                    "chosen": selection.description,
                    "marking": request.marking,
                },
            )
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return selection, written
