"""The one way out of msht for the entity graph: every format, stamped alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from msht.engine.base import Engine
from msht.exports.anx import write_anx
from msht.exports.anx_style import AnxStyle, load_anx_style
from msht.exports.graphml import write_graphml
from msht.exports.selection import Filter, Selection, select
from msht.exports.tabular import write_csv, write_xlsx
from msht.exports.watermark import DEFAULT_MARKING, Watermark, watermark

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


def _writer(request: ExportRequest) -> Writer:
    if request.fmt == "anx":
        style: AnxStyle = load_anx_style(request.rules)
        return lambda selection, out, mark: write_anx(selection, out, mark, style)
    writers: dict[str, Writer] = {"csv": write_csv, "xlsx": write_xlsx, "graphml": write_graphml}
    return writers[request.fmt]


def export(engine: Engine, request: ExportRequest) -> tuple[Selection, list[Path]]:
    """Write the selected part of the graph in the requested format, watermarked; the files
    written. (The audit entry of each export belongs here, when the serving store exists.)"""
    write = _writer(request)
    selection = select(engine, request.chosen_by, with_provenance=request.fmt == "anx")
    return selection, write(selection, request.out, watermark(request.who, request.marking))
