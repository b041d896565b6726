"""The one way out of msht for the entity graph: every format, stamped alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from msht.engine.base import Engine
from msht.exports.graphml import write_graphml
from msht.exports.selection import Selection, select
from msht.exports.tabular import write_csv, write_xlsx
from msht.exports.watermark import DEFAULT_MARKING, Watermark, watermark

Format = Literal["csv", "xlsx", "graphml"]
_WRITERS: dict[str, Callable[[Selection, Path, Watermark], list[Path]]] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "graphml": write_graphml,
}


@dataclass(frozen=True)
class ExportRequest:
    """What to export, where, for whom: the format, the file, who exports, the selection
    (`person`'s neighbourhood of `hops` links, or `entities`, or neither: everything) and the
    security marking."""

    fmt: Format
    out: Path
    who: str
    person: str | None = None
    hops: int = 1
    entities: list[str] | None = None
    marking: str = DEFAULT_MARKING


def export(engine: Engine, request: ExportRequest) -> tuple[Selection, list[Path]]:
    """Write the selected part of the graph in the requested format, watermarked; the files
    written. (The audit entry of each export belongs here, when the serving store exists.)"""
    r = request
    selection = select(engine, r.person, r.hops, r.entities)
    return selection, _WRITERS[r.fmt](selection, r.out, watermark(r.who, r.marking))
