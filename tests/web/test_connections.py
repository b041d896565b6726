"""Keep-alive connections told to close after a number of requests, counted per client."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from msht.web import connections
from msht.web.connections import RecycleConnections


def _app(requests: int) -> FastAPI:
    app = FastAPI()

    @app.get("/")
    def root() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/keep")
    def keep() -> PlainTextResponse:  # a route that asks for its own connection header
        return PlainTextResponse("ok", headers={"Connection": "keep-alive"})

    app.add_middleware(RecycleConnections, requests=requests)
    return app


def _closing(client: TestClient, path: str = "/") -> list[bool]:
    answer = client.get(path)
    assert answer.status_code == 200
    return [v.lower() == "close" for k, v in answer.headers.multi_items() if k == "connection"]


def test_every_nth_request_of_a_connection_is_answered_with_connection_close() -> None:
    client = TestClient(_app(3), client=("10.0.0.1", 40000))
    seen = [_closing(client) for _ in range(7)]
    assert seen == [[], [], [True], [], [], [True], []]


def test_a_routes_own_connection_header_is_replaced_not_doubled() -> None:
    client = TestClient(_app(2), client=("10.0.0.1", 40001))
    assert _closing(client, "/keep") == [False]
    assert _closing(client, "/keep") == [True]


def test_connections_are_counted_apart() -> None:
    app = _app(2)
    first = TestClient(app, client=("10.0.0.1", 40002))
    second = TestClient(app, client=("10.0.0.1", 40003))
    assert [_closing(first), _closing(second), _closing(second), _closing(first)] == [
        [],
        [],
        [True],
        [True],
    ]


def test_counts_start_again_past_the_remembered_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connections, "_REMEMBERED", 3)
    app = _app(2)
    first = TestClient(app, client=("10.0.0.1", 1))
    _closing(first)
    for port in (2, 3, 4):  # the fourth new connection forgets the others
        _closing(TestClient(app, client=("10.0.0.1", port)))
    assert _closing(first) == []


def test_at_least_one_request_per_connection() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RecycleConnections(FastAPI(), requests=0)
