"""A run killed part-way (kill -9) leaves the previous good state; the next run completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import MakeProject, store_rows

from msht.errors import MshtError
from msht.pipeline.run import run_project

MAPPING = """
source: big
files: "data/big/*.csv"
format: csv
record_id: Ref
entities:
  person:
    type: Person
    properties:
      surname: Name
      dob: DOB
"""


def _csv(n: int, prefix: str = "R") -> str:
    return "Ref,Name,DOB\n" + "".join(
        f"{prefix}{i},Name{i % 997},{1 + i % 28:02d}/0{1 + i % 9}/1990\n" for i in range(n)
    )


def _count(root: Path) -> int:
    ((n,),) = (tuple(r.values()) for r in store_rows(root, "SELECT count(*) FROM person"))
    assert isinstance(n, int)
    return n


#: Linkage of the million generated names kept light: this test is about the interrupted
#: ingest, and a loose rule on a million look-alike names would take minutes.
LINKAGE = """
blocking_rules: [[surname, dob]]
training:
  u_max_pairs: 10000
  em_max_pairs: 10000
  prior: {rules: [[surname, dob]], recall: 0.7}
  em_blocking_rules: [[surname]]
comparisons:
  - {name: surname, kind: name, column: surname}
  - {name: date_of_birth, kind: date_of_birth}
"""


def test_kill_during_run_keeps_previous_version(make_project: MakeProject) -> None:
    root = make_project(
        {"big": MAPPING}, {"data/big/a.csv": _csv(1000), "resolve/person.yaml": LINKAGE}
    )
    first = run_project(root)
    assert _count(root) == 1000
    (root / "data/big/b.csv").write_text(_csv(1_000_000, "S"), encoding="utf-8")
    store = root / "store"
    before = set(store.iterdir())
    proc = subprocess.Popen(
        [sys.executable, "-m", "msht.cli", "run", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (set(store.iterdir()) - before):
        time.sleep(0.01)  # the new version's file appears when the run opens its store
    time.sleep(0.3)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (store / "CURRENT").read_text().strip() == first.summary.run_id
    assert _count(root) == 1000
    second = run_project(root)
    assert second.summary.ok and _count(root) == 1_001_000
    assert len(list(store.glob("pole-*"))) <= 2


def test_a_serving_store_that_cannot_be_reached_fails_the_run_before_any_work(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"big.yaml": MAPPING}, {"data/big/a.csv": _csv(50)})
    run_project(root)
    monkeypatch.setenv("MSHT_DATABASE_URL", "postgresql://postgres@127.0.0.1:9/none")
    stages: list[str] = []
    with pytest.raises(MshtError, match=r"cannot open the serving store .* port 9"):
        run_project(root, progress=lambda stage, *_: stages.append(stage))
    assert stages == []  # not ingested, not resolved
    latest = json.loads((root / "runs" / "latest" / "summary.json").read_text())
    assert "cannot open the serving store" in latest["error"]  # the run says why
    assert _count(root) == 50
