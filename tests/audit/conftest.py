"""Fixtures of the audit tests: a log of varied entries, and tampering with it as an attacker
with write access to the database would (raw SQL), undone after each check."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from msht.audit import Verification, verify
from msht.store.database import transaction

from .chains import fill

Tamper = Callable[..., Verification]


@pytest.fixture
def chain(database: Engine) -> Engine:
    """The `database` holding a sound log of six entries."""
    with transaction(database) as session:
        fill(session)
    return database


@pytest.fixture
def tamper(chain: Engine) -> Tamper:
    """Run raw SQL statements on the log, verify it, and undo the statements."""

    def run(*statements: str | tuple[Any, Mapping[str, Any]]) -> Verification:
        with chain.connect() as connection:
            outer = connection.begin()
            try:
                for statement in statements:
                    sql, params = (statement, {}) if isinstance(statement, str) else statement
                    connection.execute(text(sql) if isinstance(sql, str) else sql, dict(params))
                with Session(bind=connection) as session:
                    return verify(session)
            finally:
                outer.rollback()

    return run
