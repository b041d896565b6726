"""Open a project's serving store at the newest schema (SQLite in the project folder, or
`MSHT_DATABASE_URL`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from msht.cases.publish import expire_due
from msht.project.config import load_project
from msht.store.database import connect, database_url, transaction
from msht.store.migrate import upgrade


def open_store(root: Path) -> Engine:
    """The serving store of the project at `root`, migrated to the newest schema."""
    project = load_project(root)
    engine = connect(database_url(project.root, project.config.database_url))
    upgrade(engine)
    return engine


def expire_reviews(root: Path, today: date) -> list[str]:
    """Send the project's closed flags past their review-by date back to triage (R07);
    the people whose items moved."""
    engine = open_store(root)
    try:
        with transaction(engine) as session:
            return expire_due(session, today)
    finally:
        engine.dispose()
