"""Benchmark the JSON API on PostgreSQL: 50 clients on loopback for 60 s.

Usage: python benchmarks/api.py [PROJECT]   (default: synthesise the default 20,000-person
project). The project is run with `MSHT_DATABASE_URL` pointing at a fresh schema of the
machine's PostgreSQL (127.0.0.1:5432, database `test`; `BENCH_DATABASE_URL` overrides it), so
the run publishes there; then `msht serve` answers on loopback while `CLIENTS` clients, each
signed in as a reviewer, alternately read the review queue and a random cohort member's
profile (each read is audited, as in production) for `SECONDS`: first back to back, then
each waiting about a second between requests (`BENCH_THINK`). Prints per phase p50/p95/p99
per route, requests per second, errors, and the CPU used by the server, PostgreSQL and the
load generator. Target: p95 ≤ 100 ms for both, zero errors.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import httpx
import sqlalchemy as sa

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
#: Think times to run, one phase each (seconds a client waits between requests, drawn from
#: 0.5x to 1.5x): 0 is back to back, the hardest case; 1 is a reviewer clicking once a second.
THINKS = [float(t) for t in os.environ.get("BENCH_THINK", "0,1").split(",")]
#: Server worker processes.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
POSTGRES = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
PURPOSE = {"purpose": "benchmark: safeguarding review"}
#: Seconds a request may take before it counts as an error.
TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _schema() -> tuple[str, sa.Engine]:
    admin = sa.create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    return schema, admin


class _Connection:
    """One keep-alive HTTP/1.1 connection, written by hand: the load generator shares the
    server's two cores, so it must cost little (httpx took about 2 ms of CPU a request,
    a quarter of the server's own). A connection the server closed (it closes idle ones
    after 5 s, and says `Connection: close` after 100 requests) is opened again, as a
    browser would."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
        """Send one request; its status and body (the session cookie is kept). Raises
        TimeoutError after `TIMEOUT` seconds."""
        head = f"{method} {target} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\n"
        if body:
            head += "Content-Type: application/json\r\n"
        if self.cookie:
            head += f"Cookie: {self.cookie}\r\n"
        message = head.encode() + b"\r\n" + body
        for attempt in (1, 2):
            try:
                return await asyncio.wait_for(self._exchange(message), TIMEOUT)
            except TimeoutError:
                self.close()  # a late answer must not be read as the next one's
                raise
            except (asyncio.IncompleteReadError, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, message: bytes) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        writer.write(message)
        lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status, length, closing = int(lines[0].split()[1]), 0, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "set-cookie":
                self.cookie = value.strip().split(";")[0]
            elif name.lower() == "connection":
                closing = value.strip().lower() == "close"
        body = await reader.readexactly(length)
        if closing:  # the server closes it after this answer: the next request opens another
            self.close()
        return status, body

    def close(self) -> None:
        """Close the connection (the next request opens a new one)."""
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def _signed_in(port: int, username: str, password: str) -> _Connection:
    """A connection with a signed-in session (signing in hashes a password: not timed)."""
    connection = _Connection(port)
    login = json.dumps({"username": username, "password": password}).encode()
    status, body = await connection.request("POST", "/api/login", login)
    if status != 200:
        raise RuntimeError(f"login failed: {status} {body[:200]!r}")
    return connection


async def _client(
    connection: _Connection,
    people: list[str],
    until: float,
    think: float,
    timings: dict[str, list[float]],
    errors: list[str],
) -> None:
    purpose = urllib.parse.urlencode(PURPOSE)
    if think:  # paced clients start at random moments, not all at once
        await asyncio.sleep(random.uniform(0, think))
    turn = random.randrange(2)
    while time.perf_counter() < until:
        turn += 1
        if turn % 2:
            route, target = "review queue", "/api/reviews?limit=50"
        else:
            route, target = "person profile", f"/api/profiles/{random.choice(people)}?{purpose}"
        started = time.perf_counter()
        try:
            status, body = await connection.request("GET", target)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            status, body = 0, repr(exc).encode()
        timings[route].append(time.perf_counter() - started)
        if status != 200:
            errors.append(f"{route}: {status} {body[:100]!r}")
        if think:
            await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
    connection.close()


def _cpu_seconds(server: int) -> dict[str, float]:
    """CPU seconds used so far by the server's processes, by every PostgreSQL process of the
    machine (run on a quiet machine) and by this one; processes that end are not counted."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"server": 0.0, "postgres (all)": 0.0, "load generator": 0.0}
    for entry in Path("/proc").iterdir():
        pid = entry.name
        if not pid.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parent = int(stat[1])
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        seconds = (int(stat[11]) + int(stat[12])) / tick
        if int(pid) == os.getpid():
            used["load generator"] += seconds
        elif name == "postgres":
            used["postgres (all)"] += seconds
        elif int(pid) == server or parent == server:
            used["server"] += seconds
    return used


def _phase(
    port: int, users: list[str], password: str, people: list[str], think: float, server: int
) -> None:
    """`CLIENTS` clients for `SECONDS`, each waiting about `think` s between requests."""
    timings: dict[str, list[float]] = {"review queue": [], "person profile": []}
    errors: list[str] = []

    measured: dict[str, float] = {}
    before: dict[str, float] = {}

    async def load() -> None:
        connections = await asyncio.gather(*(_signed_in(port, u, password) for u in users))
        before.update(_cpu_seconds(server))
        measured["started"] = time.perf_counter()
        until = measured["started"] + SECONDS
        await asyncio.gather(
            *(_client(c, people, until, think, timings, errors) for c in connections)
        )
        measured["elapsed"] = time.perf_counter() - measured["started"]

    asyncio.run(load())
    elapsed = measured["elapsed"]
    after = _cpu_seconds(server)
    total = sum(len(v) for v in timings.values())
    print(
        f"{CLIENTS} clients, think time {think} s, for {elapsed:.0f} s on loopback against "
        f"PostgreSQL, {WORKERS} server workers ({len(people)} cohort members): "
        f"{total / elapsed:,.0f} requests/s, {len(errors)} errors"
    )
    for route, values in timings.items():
        ms = [v * 1000 for v in values]
        if not ms:
            continue
        print(
            f"  {route:15} n={len(ms):6,}  p50 {statistics.median(ms):6.1f} ms  "
            f"p95 {_percentile(ms, 0.95):6.1f} ms  p99 {_percentile(ms, 0.99):6.1f} ms"
        )
    share = ", ".join(
        f"{name} {(after[name] - before[name]) / elapsed:.2f} cores "
        f"({1000 * (after[name] - before[name]) / max(total, 1):.1f} ms/request)"
        for name in after
    )
    print(f"  CPU: {share}")
    for error in errors[:5]:
        print(f"  error: {error}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(given: Path | None) -> None:
    """Publish a project into PostgreSQL, serve it, and load it with `CLIENTS` clients."""
    msht = str(Path(sys.executable).parent / "msht")
    schema, admin = _schema()
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    env = {**os.environ, "MSHT_DATABASE_URL": url, "MSHT_SECRET_KEY": secrets.token_hex(16)}
    tmp = tempfile.TemporaryDirectory()
    try:
        root = given or Path(tmp.name) / "p"
        if given is None:
            subprocess.run(
                [msht, "synth", "--out", str(root)], check=True, env=env, capture_output=True
            )
        started = time.perf_counter()
        subprocess.run([msht, "run", str(root)], check=True, env=env, capture_output=True)
        print(f"run and publish into PostgreSQL: {time.perf_counter() - started:.1f} s")
        password = secrets.token_urlsafe(16)
        users = [f"bench-{n}" for n in range(CLIENTS)]
        for username in users:
            subprocess.run(
                [
                    msht,
                    "user",
                    "add",
                    str(root),
                    username,
                    "--role",
                    "reviewer",
                    "--password-stdin",
                ],
                input=password,
                text=True,
                check=True,
                env=env,
                capture_output=True,
            )
        with admin.connect() as connection:
            people = (
                connection.execute(
                    sa.text(f'SELECT entity_id FROM "{schema}".profile WHERE cohort')
                )
                .scalars()
                .all()
            )
        port = _free_port()
        server = subprocess.Popen(
            [msht, "serve", str(root), "--port", str(port), "--workers", str(WORKERS)],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    httpx.get(f"{base}/openapi.json", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            for think in THINKS:
                _phase(port, users, password, list(people), think, server.pid)
        finally:
            server.terminate()
            server.wait()
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        tmp.cleanup()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
