"""Open a project's serving store at the newest schema (SQLite in the project folder, or
`MSHT_DATABASE_URL`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from msht.cases.publish import expire_due
from msht.errors import MshtError
from msht.project.config import load_project
from msht.store.database import connect, database_url, transaction
from msht.store.migrate import upgrade


def open_store(root: Path) -> Engine:
    """The serving store of the project at `root`, migrated to the newest schema; a store
    that cannot be reached is an MshtError naming it (its password hidden)."""
    project = load_project(root)
    engine = connect(database_url(project.root, project.config.database_url))
    try:
        upgrade(engine)
    except OperationalError as exc:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise MshtError(f"cannot open the serving store {where}: {exc.orig}") from exc
    return engine


@contextmanager
def serving_store(root: Path, database: Engine | None = None) -> Iterator[Engine]:
    """`database`, or the project's serving store opened for the block and closed after."""
    engine = database or open_store(root)
    try:
        yield engine
    finally:
        if database is None:
            engine.dispose()


@contextmanager
def serving_session(root: Path, database: Engine | None = None) -> Iterator[Session]:
    """One transaction on `serving_store(root, database)`: committed when the block ends,
    rolled back on any error."""
    with serving_store(root, database) as engine, transaction(engine) as session:
        yield session


def expire_reviews(root: Path, today: date) -> list[str]:
    """Send the project's closed flags past their review-by date back to triage (R07);
    the people whose items moved."""
    with serving_session(root) as session:
        return expire_due(session, today)
