"""`msht demo`: synthesise a project, then run the whole pipeline on it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from msht.access.demo import demo_users
from msht.audit.log import record
from msht.ingest.project import Progress
from msht.pipeline.run import RunResult, run_project
from msht.pipeline.serving import serving_session
from msht.synth import SynthResult, generate


@dataclass(frozen=True)
class DemoResult:
    """What the demo made and ran."""

    synth: SynthResult
    run: RunResult
    seconds: float
    users: list[tuple[str, str, str]]
    """Demo accounts: user name, role and password (random, shown once)."""


def run_demo(
    out: Path,
    people: int = 20_000,
    seed: int = 0,
    synth_progress: Progress | None = None,
    run_progress: Progress | None = None,
) -> DemoResult:
    """Write a synthetic project into `out` and run every stage of the pipeline on it."""
    started = time.perf_counter()
    synth = generate(out, people=people, seed=seed, progress=synth_progress)
    run = run_project(out, progress=run_progress)
    return DemoResult(synth, run, time.perf_counter() - started, demo_accounts(out))


def demo_accounts(root: Path) -> list[tuple[str, str, str]]:
    """One account per role in the project's serving store, each with a new random password,
    recorded in the audit log."""
    with serving_session(root) as session:
        users = demo_users(session)
        for username, role, _password in users:
            record(
                session,
                username="system",
                role="system",
                action="alteration",
                record_ids=[f"user:{username}"],
                reason="demo account (re)created",
                detail={"role": role},
            )
    return users
