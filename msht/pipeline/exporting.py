"""`msht export`: a watermarked export of the current store's entity graph."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine as Database

from msht.exports.export import ExportRequest, export
from msht.exports.selection import Selection
from msht.pipeline.resolution import current_store
from msht.pipeline.serving import serving_store
from msht.project.config import load_project


def export_graph(
    root: Path, request: ExportRequest, database: Database | None = None
) -> tuple[Selection, list[Path]]:
    """Export (part of) the entity graph of the project at `root`, recorded in the audit log
    of `database` (by default the project's serving store); the files written."""
    project = load_project(root)
    with serving_store(root, database) as serving, current_store(project) as engine:
        return export(engine, replace(request, rules=project.path("rules")), serving)
