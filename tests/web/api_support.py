"""What the API tests share: the accounts of every role and the `Api` their fixture gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import Engine

PASSWORD = "correct horse battery"
#: The accounts of the tests: user name → (role, organisation).
ACCOUNTS = {
    "analyst": ("analyst", None),
    "reviewer": ("reviewer", None),
    "reviewer2": ("reviewer", None),
    "partner": ("partner", "glaa"),
    "otherpartner": ("partner", "medway-council"),
    "admin": ("admin", None),
}


@dataclass(frozen=True)
class Api:
    """The app on a published store, its item ids (the first shared with GLAA) and a way
    to get a client signed in as any account."""

    app: object
    database: Engine
    items: list[int]
    entities: list[str]
    records: list[str]
    """Two person source record ids of the project."""
    login: Callable[[str | None], TestClient]
