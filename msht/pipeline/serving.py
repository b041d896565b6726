"""Open a project's serving store at the newest schema (SQLite in the project folder, or
`MSHT_DATABASE_URL`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from msht.project.config import load_project
from msht.store.database import connect, database_url
from msht.store.migrate import upgrade


def open_store(root: Path) -> Engine:
    """The serving store of the project at `root`, migrated to the newest schema."""
    project = load_project(root)
    engine = connect(database_url(project.root, project.config.database_url))
    upgrade(engine)
    return engine
