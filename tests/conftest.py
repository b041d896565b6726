"""Shared fixtures; plain helpers live in `factories.py` (importable by name)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from factories import MakeProject, write_project

if TYPE_CHECKING:
    from sqlalchemy import Engine


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write a project with the example msht.yaml, the given mappings and data files."""

    def make(mappings: dict[str, str], files: dict[str, bytes | str]) -> Path:
        return write_project(tmp_path / "project", mappings, files)

    return make


POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_schema_url() -> Iterator[str]:
    """A fresh schema on the machine's PostgreSQL, dropped afterwards; in CI a missing server
    fails the test rather than skipping it."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES)
    try:
        admin.connect().close()
    except sa.exc.OperationalError as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL is not running on 127.0.0.1:5432 ({exc.__class__.__name__})")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A serving-store URL on SQLite and on PostgreSQL (each test runs on both)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'msht.sqlite'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def database(database_url: str) -> Iterator[Engine]:
    """A migrated, empty serving store on SQLite and on PostgreSQL."""
    from msht.store.database import connect
    from msht.store.migrate import upgrade

    engine = connect(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic project that has been run once (its own SQLite serving store)."""
    from msht.pipeline.run import run_project
    from msht.synth import generate

    root = tmp_path_factory.mktemp("built") / "p"
    generate(root, 800, 3)
    run_project(root)
    return root


@pytest.fixture
def published(built_project: Path, database: Engine) -> Engine:
    """`database` (SQLite or PostgreSQL) with `built_project`'s run published into it."""
    from datetime import date

    from msht.cases.publish import publish
    from msht.engine.warehouse import Warehouse

    warehouse = Warehouse(built_project / "store", "duckdb").open_current()
    assert warehouse is not None
    try:
        publish(warehouse, database, "run-1", date.today())
    finally:
        warehouse.close()
    return database
