"""`msht export`: a watermarked export of the current store's entity graph."""

from __future__ import annotations

from pathlib import Path

from msht.exports.export import Format, export
from msht.exports.selection import Selection
from msht.exports.watermark import DEFAULT_MARKING
from msht.pipeline.resolution import current_store
from msht.project.config import load_project


def export_graph(
    root: Path,
    fmt: Format,
    out: Path,
    who: str,
    person: str | None = None,
    hops: int = 1,
    entities: list[str] | None = None,
    marking: str = DEFAULT_MARKING,
) -> tuple[Selection, list[Path]]:
    """Export (part of) the entity graph of the project at `root`; the files written."""
    project = load_project(root)
    with current_store(project) as engine:
        return export(engine, fmt, out, who, person, hops, entities, marking)
