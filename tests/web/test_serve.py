"""`msht serve` for real: worker processes on a loopback port, sharing one key, each with a
socket of its own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from msht.access import passwords
from msht.access.users import add_user
from msht.pipeline.serving import open_store
from msht.store.database import transaction
from msht.web.connections import REQUESTS_PER_CONNECTION
from msht.web.workers import OWN_SOCKETS, ServeError, port_socket, run_workers

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
            # a kept-alive connection is closed after its hundredth answer, and opened again
            with httpx.Client(base_url=base, timeout=10) as other:
                said = [
                    other.get("/api/me").headers.get("connection")
                    for _ in range(REQUESTS_PER_CONNECTION + 1)
                ]
            assert said.count("close") == 1 and said[REQUESTS_PER_CONNECTION - 1] == "close"
        assert len((built_project / ".msht-secret").read_text()) >= 32
    finally:
        server.terminate()
        server.wait(timeout=30)


def _sockets_of(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:  # closed while listed
            continue
        if target.startswith("socket:["):
            found.add(target[len("socket:[") : -1])
    return found


def _tcp(port: int, state: str) -> set[str]:
    """The inodes of the IPv4 TCP sockets on local `port` in `state` (hex, /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return {
        fields[9]
        for fields in (row.split() for row in rows)
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state
    }


def _workers(server: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    # the spawn context's resource tracker is a child too, and holds no socket of the port
    return [
        int(pid) for pid in children if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()
    ]


def _wait_until(check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@pytest.mark.skipif(not OWN_SOCKETS, reason="workers have sockets of their own on Linux only")
def test_each_worker_listens_on_its_own_socket_and_takes_a_share_of_connections(
    built_project: Path,
) -> None:
    port = _free_port()
    msht = str(Path(sys.executable).parent / "msht")
    server = subprocess.Popen(
        [msht, "serve", str(built_project), "--port", str(port), "--workers", "2"]
    )
    opened: list[socket.socket] = []
    try:
        _wait_until(lambda: _answers(port) and len(_workers(server)) == 2)
        workers = _workers(server)
        listening = _tcp(port, "0A")
        owned = {pid: _sockets_of(pid) for pid in workers}
        assert len(listening) == 2, listening  # not one shared by both
        assert all(len(owned[pid] & listening) == 1 for pid in workers), (listening, owned)
        # forty clients connecting at once: each worker accepts a share (with a socket
        # shared by both, one worker could take nearly all of them)
        opened = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        _wait_until(lambda: len(_tcp(port, "01")) >= 40)
        established = _tcp(port, "01")
        shares = {pid: len(_sockets_of(pid) & established) for pid in workers}
        assert sum(shares.values()) == 40 and min(shares.values()) >= 5, shares
        # a worker that dies is replaced, and the port keeps answering
        os.kill(workers[0], signal.SIGKILL)
        _wait_until(lambda: len(_workers(server)) == 2 and workers[0] not in _workers(server))
        _wait_until(lambda: _answers(port))
    finally:
        for sock in opened:
            sock.close()
        alive = _workers(server) if server.poll() is None else []
        server.terminate()
        assert server.wait(timeout=30) == 0
    # stopping the server stops every worker it started
    assert all(not Path(f"/proc/{pid}").exists() for pid in alive)


def test_a_port_taken_by_another_program_is_refused_at_once() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{port}"):
            port_socket("127.0.0.1", port)


def test_a_worker_that_cannot_start_stops_the_server_saying_why(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MSHT_SERVE_ROOT", raising=False)  # the workers' factory needs it
    config = uvicorn.Config(
        "msht.web.serve:from_environment", factory=True, port=_free_port(), log_level="error"
    )
    with pytest.raises(ServeError, match="a worker could not start"):
        run_workers(config, 2)
    said = capfd.readouterr().err
    assert "could not start" in said and "KeyError: 'MSHT_SERVE_ROOT'" in said
