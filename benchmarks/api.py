"""Benchmark the JSON API on PostgreSQL: 50 clients on loopback for 60 s.

Usage: python benchmarks/api.py [PROJECT]   (default: synthesise the default 20,000-person
project). The project is run with `MSHT_DATABASE_URL` pointing at a fresh schema of the
machine's PostgreSQL (127.0.0.1:5432, database `test`; `BENCH_DATABASE_URL` overrides it), so
the run publishes there; then `msht serve` answers on loopback while `CLIENTS` clients, each
signed in as a reviewer, alternately read the review queue and a random cohort member's
profile (each read is audited, as in production) for `SECONDS`. Prints p50/p95/p99 per
route, requests per second and errors. Target: p95 ≤ 100 ms for both, zero errors.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import sqlalchemy as sa

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
#: Seconds each client waits between requests (0: back to back, the hardest case).
THINK = float(os.environ.get("BENCH_THINK", "0"))
#: Server worker processes.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
POSTGRES = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
PURPOSE = {"purpose": "benchmark: safeguarding review"}


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


async def _client(
    base: str,
    username: str,
    password: str,
    people: list[str],
    until: float,
    timings: dict[str, list[float]],
    errors: list[str],
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        answer = await client.post("/api/login", json={"username": username, "password": password})
        answer.raise_for_status()
        turn = 0
        while time.perf_counter() < until:
            turn += 1
            if turn % 2:
                route, url, params = "review queue", "/api/reviews", {"limit": 50}
            else:
                route, url, params = (
                    "person profile",
                    f"/api/profiles/{random.choice(people)}",
                    PURPOSE,
                )
            started = time.perf_counter()
            response = await client.get(url, params=params)
            timings[route].append(time.perf_counter() - started)
            if response.status_code != 200:
                errors.append(f"{route}: {response.status_code} {response.text[:100]}")
            if THINK:
                await asyncio.sleep(random.uniform(0.5 * THINK, 1.5 * THINK))


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
            timings: dict[str, list[float]] = {"review queue": [], "person profile": []}
            errors: list[str] = []

            async def load() -> None:
                until = time.perf_counter() + SECONDS
                await asyncio.gather(
                    *(
                        _client(base, u, password, list(people), until, timings, errors)
                        for u in users
                    )
                )

            started = time.perf_counter()
            asyncio.run(load())
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait()
        total = sum(len(v) for v in timings.values())
        print(
            f"{CLIENTS} clients (think time {THINK} s) for {elapsed:.0f} s on loopback against "
            f"PostgreSQL, {WORKERS} server workers ({len(people)} cohort members): "
            f"{total / elapsed:,.0f} requests/s, "
            f"{len(errors)} errors"
        )
        for route, values in timings.items():
            ms = [v * 1000 for v in values]
            print(
                f"  {route:15} n={len(ms):6,}  p50 {statistics.median(ms):6.1f} ms  "
                f"p95 {_percentile(ms, 0.95):6.1f} ms  p99 {_percentile(ms, 0.99):6.1f} ms"
            )
        for error in errors[:5]:
            print(f"  error: {error}")
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        tmp.cleanup()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
