"""Fixtures of the API tests: accounts of every role and a client signed in as each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import ACCOUNTS, PASSWORD, Api
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from msht.access import passwords
from msht.access.users import add_user
from msht.cases.actor import Actor
from msht.cases.review import share
from msht.engine.warehouse import Warehouse
from msht.store.database import transaction
from msht.store.reviews import ReviewItem
from msht.web.app import create_app


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's cheapest parameters: production keeps the library's defaults."""
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher.from_parameters(CHEAPEST))


@pytest.fixture
def api(built_project: Path, published: Engine) -> Iterator[Api]:
    with transaction(published) as session:
        for username, (role, organisation) in ACCOUNTS.items():
            add_user(session, username, PASSWORD, role, organisation)
        items = session.execute(
            select(ReviewItem.id, ReviewItem.entity_id)
            .where(ReviewItem.handling_code == "P")
            .order_by(ReviewItem.id)
        ).all()
        sharer = Actor("reviewer", "reviewer", frozenset({"review:share"}))
        share(session, items[0][0], "glaa", sharer, "joint GLAA visit")
    app = create_app(built_project, published, secret="test-secret-" * 4)
    clients: list[TestClient] = []

    def login(username: str | None) -> TestClient:
        # Entered, so that the app's lifespan runs: on PostgreSQL its reads are then served
        # on the event loop, as `msht serve` serves them.
        client = TestClient(app).__enter__()
        clients.append(client)
        if username is not None:
            answer = client.post("/api/login", json={"username": username, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        return client

    warehouse = Warehouse(built_project / "store", "duckdb").open_current()
    assert warehouse is not None
    try:
        records = warehouse.query("SELECT id FROM person ORDER BY id LIMIT 2").column(0)
    finally:
        warehouse.close()
    yield Api(
        app, published, [i for i, _ in items], [e for _, e in items], records.to_pylist(), login
    )
    for client in clients:
        client.__exit__(None, None, None)
