"""Every route and every role: allowed roles get their answer, the others 403 (401 when not
signed in). The expected table is written here from the issue, not read from roles.yaml."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from api_support import Api
from sqlalchemy import func, select

from msht.access.users import disable_user
from msht.store.audit import AuditEntry
from msht.store.database import transaction

ROLES = ("analyst", "reviewer", "partner", "admin")
ALL = frozenset(ROLES)
STAFF = frozenset({"analyst", "reviewer", "admin"})
WORKERS = frozenset({"analyst", "reviewer"})


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    allowed: frozenset[str]
    #: (api, role) → (url, json body); each role that may change an item gets its own item
    request: Callable[[Api, str], tuple[str, dict[str, Any] | None]]
    ok: int = 200


def _own(api: Api, role: str) -> int:
    """An item only this role's cell touches (refused roles all share one, left unchanged)."""
    return api.items[1 + ROLES.index(role)] if role in WORKERS else api.items[-1]


PURPOSE = "purpose=safeguarding+review"
MATRIX = [
    Route("GET", "/api/me", ALL, lambda a, r: ("/api/me", None)),
    Route("POST", "/api/logout", ALL, lambda a, r: ("/api/logout", None)),
    Route("GET", "/api/entities", STAFF, lambda a, r: ("/api/entities?limit=5", None)),
    Route(
        "GET",
        "/api/entities/{entity_id}",
        STAFF,
        lambda a, r: (f"/api/entities/{a.entities[0]}?{PURPOSE}", None),
    ),
    Route(
        "GET",
        "/api/profiles/{entity_id}",
        ALL,
        lambda a, r: (f"/api/profiles/{a.entities[0]}?{PURPOSE}", None),
    ),
    Route("GET", "/api/reviews", ALL, lambda a, r: ("/api/reviews", None)),
    Route(
        "GET",
        "/api/reviews/{item_id}",
        ALL,
        lambda a, r: (f"/api/reviews/{a.items[0]}?{PURPOSE}", None),
    ),
    Route(
        "POST",
        "/api/reviews/{item_id}/transitions",
        WORKERS,
        lambda a, r: (
            f"/api/reviews/{_own(a, r)}/transitions",
            {"to": "under_review", "reason": "picked up"},
        ),
    ),
    Route(
        "POST",
        "/api/reviews/{item_id}/notes",
        WORKERS,
        lambda a, r: (f"/api/reviews/{_own(a, r)}/notes", {"text": "called the GLAA"}),
    ),
    Route(
        "PUT",
        "/api/reviews/{item_id}/assignment",
        WORKERS,
        lambda a, r: (
            f"/api/reviews/{_own(a, r)}/assignment",
            {"assignee": "analyst", "due": "2027-01-31"},
        ),
    ),
    Route(
        "POST",
        "/api/reviews/{item_id}/shares",
        frozenset({"reviewer"}),
        lambda a, r: (
            f"/api/reviews/{_own(a, r)}/shares",
            {"organisation": "salvation-army", "reason": "support worker"},
        ),
    ),
    Route("GET", "/api/judgements", STAFF, lambda a, r: ("/api/judgements", None)),
    Route(
        "POST",
        "/api/judgements",
        WORKERS,
        lambda a, r: (
            "/api/judgements",
            {
                "verdict": "unsure",
                "record_a": a.records[0],
                "record_b": a.records[1],
                "reason": "same name, no date of birth",
            },
        ),
        ok=201,
    ),
    Route("GET", "/api/audit", frozenset({"admin"}), lambda a, r: ("/api/audit?limit=5", None)),
    Route(
        "GET", "/api/audit/verify", frozenset({"admin"}), lambda a, r: ("/api/audit/verify", None)
    ),
    Route(
        "POST",
        "/api/exports",
        WORKERS,
        lambda a, r: (
            "/api/exports",
            {
                "format": "graphml",
                "person": a.entities[0],
                "recipient": "GLAA",
                "purpose": "joint visit planning",
            },
        ),
    ),
]


def test_the_matrix_covers_every_route_of_the_app(api: Api) -> None:
    paths = api.app.openapi()["paths"]  # type: ignore[attr-defined]
    served = {(method.upper(), path) for path, methods in paths.items() for method in methods}
    assert served - {("POST", "/api/login")} == {(r.method, r.path) for r in MATRIX}


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*ROLES, "anonymous"])
def test_each_route_answers_each_role_as_the_table_says(api: Api, role: str | None) -> None:
    for route in MATRIX:
        client = api.login(role)
        url, body = route.request(api, role or "anonymous")
        answer = client.request(route.method, url, json=body)
        expected = 401 if role is None else route.ok if role in route.allowed else 403
        assert answer.status_code == expected, (route.method, route.path, role, answer.text)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_refuses_a_session_whose_account_was_disabled(api: Api, role: str) -> None:
    """The role rides in the signed cookie, so each route checks the account itself before
    it reads or changes anything: disabling an account ends its sessions everywhere at once,
    and the refused requests leave nothing behind, not even an audit entry."""
    clients = [(route, api.login(role)) for route in MATRIX if role in route.allowed]
    with transaction(api.database) as session:
        disable_user(session, role)
        entries = session.scalar(select(func.count()).select_from(AuditEntry))
    for route, client in clients:
        url, body = route.request(api, role)
        answer = client.request(route.method, url, json=body)
        assert answer.status_code == 401, (route.method, route.path, role, answer.text)
    with transaction(api.database) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries
