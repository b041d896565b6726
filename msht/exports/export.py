"""The one way out of msht for the entity graph: every format, stamped alike."""

from __future__ import annotations

from collections.abc import Callable
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


def export(
    engine: Engine,
    fmt: Format,
    out: Path,
    who: str,
    person: str | None = None,
    hops: int = 1,
    entities: list[str] | None = None,
    marking: str = DEFAULT_MARKING,
) -> tuple[Selection, list[Path]]:
    """Write the selected part of the graph to `out` in format `fmt`, watermarked; the files
    written. (The audit entry of each export belongs here, when the serving store exists.)"""
    selection = select(engine, person, hops, entities)
    return selection, _WRITERS[fmt](selection, out, watermark(who, marking))
