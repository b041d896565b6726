"""Fixtures of the access tests: a cheap password hasher and a session on each database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from msht.access import passwords
from msht.store.database import new_session


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """argon2's cheapest parameters: production keeps the library's defaults."""
    hasher = PasswordHasher.from_parameters(CHEAPEST)
    monkeypatch.setattr(passwords, "HASHER", hasher)
    return hasher


@pytest.fixture
def session(database: Engine) -> Iterator[Session]:
    """A session on the migrated store; tests commit when they mean to."""
    with new_session(database) as session:
        yield session
