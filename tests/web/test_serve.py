"""`msht serve` for real: uvicorn worker processes on a loopback port, sharing one key."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from msht.access import passwords
from msht.access.users import add_user
from msht.pipeline.serving import open_store
from msht.store.database import transaction

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_two_workers_serve_the_project_and_share_sessions(
    built_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher.from_parameters(CHEAPEST))
    database = open_store(built_project)
    with transaction(database) as session:
        add_user(session, "served", "a long enough password", "reviewer")
    database.dispose()
    port = _free_port()
    msht = str(Path(sys.executable).parent / "msht")
    env = {k: v for k, v in os.environ.items() if k != "MSHT_SECRET_KEY"}
    server = subprocess.Popen(
        [msht, "serve", str(built_project), "--port", str(port), "--workers", "2"], env=env
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=10) as client:
            login = {"username": "served", "password": "a long enough password"}
            assert client.post("/api/login", json=login).status_code == 200
            # new connections land on either worker: each must accept the session
            for _ in range(6):
                with httpx.Client(base_url=base, cookies=client.cookies, timeout=10) as other:
                    answer = other.get("/api/reviews", params={"limit": 1})
                    assert answer.status_code == 200 and answer.json()["total"] > 0
        assert len((built_project / ".msht-secret").read_text()) >= 32
    finally:
        server.terminate()
        server.wait(timeout=30)
