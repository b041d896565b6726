"""Synthetic project → `msht run`: all sources load; exactly the planted faults are quarantined."""

from __future__ import annotations

import csv
from pathlib import Path

from factories import store_rows

from msht.engine.warehouse import Warehouse
from msht.pipeline.run import run_project


def test_run_quarantines_exactly_the_planted_faults(default_root: Path) -> None:
    result = run_project(default_root)
    assert result.summary.ok and not result.failed_sources
    for name, s in result.summary.sources.items():
        assert s["rows_in"] == s["loaded"] + s["quarantined"], name
    with (default_root / "truth" / "faults.csv").open(encoding="utf-8") as fh:
        planted = {(r["source"], int(r["row"])) for r in csv.DictReader(fh)}
    store = Warehouse(default_root / "store", "duckdb").open_current()
    assert store is not None
    found = {
        (r["source"], r["source_row"])
        for r in store.query("SELECT source, source_row FROM quarantine").to_pylist()
    }
    people = store.scalar("SELECT count(*) FROM person")
    store.close()
    assert found == planted
    with (default_root / "truth" / "records.csv").open(encoding="utf-8") as fh:
        truth_records = sum(1 for _ in fh) - 1
    assert people == truth_records - sum(1 for s, _ in planted if s != "ms1")


def test_every_named_person_keeps_forenames_and_surname(default_root: Path) -> None:
    # A column holding only forenames (or only a surname) must not be split as a full name.
    run_project(default_root)
    rows = store_rows(
        default_root,
        "SELECT source, count(*) AS n, count(forenames) AS fore, count(surname) AS sur "
        "FROM person WHERE source <> 'public' GROUP BY source ORDER BY source",
    )
    assert {r["source"] for r in rows} == {"crime", "custody", "intel", "missing", "nrm", "partner"}
    for r in rows:
        assert r["sur"] == r["n"], r
        assert r["fore"] >= 0.95 * r["n"], r
