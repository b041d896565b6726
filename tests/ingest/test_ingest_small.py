from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from factories import MakeProject, store_tables

from msht.engine.warehouse import Warehouse
from msht.pipeline.run import run_project

PEOPLE = """
source: people
files: "data/people/*.csv"
format: csv
record_id: Ref
entities:
  person:
    type: Person
    properties:
      forenames: {column: Name, transform: forenames}
      surname: {column: Name, transform: surname}
      dob: DOB
      sex: {column: Sex, values: {M: male, F: female}}
      phone: Phone
  home:
    type: Address
    when: [Postcode]
    properties:
      full_text: {column: Address}
      postcode: Postcode
  crime:
    type: CrimeReport
    properties:
      reference: Ref
      narrative: Notes
links:
  - {role: resident-at, from: person, to: home}
  - {role: victim, from: person, to: crime}
"""

CSV = (
    "Ref,Name,DOB,Sex,Phone,Address,Postcode,Notes\n"
    'R1,"SMITH, John",03/04/1990,M,07700 900123,"1 High St, Chatham",me4 4tz,'
    "=1+1 looks like a formula\n"
    'R2,Anna Nowak,1985-12-01,F,,,,"multi\nline note"\n'
    "R3,Bad Date,31/02/2020,F,,,,\n"
)


def test_loads_rows_with_provenance_and_links(make_project: MakeProject) -> None:
    root = make_project({"people": PEOPLE}, {"data/people/a.csv": CSV})
    result = run_project(root)
    s = result.summary.sources["people"]
    assert (s["rows_in"], s["loaded"], s["quarantined"]) == (3, 2, 1)
    assert s["quarantine_reasons"] == {"unparseable_date": 1}
    store = Warehouse(root / "store", "duckdb").open_current()
    assert store is not None
    people = store.query("SELECT * FROM person ORDER BY id").to_pylist()
    assert [p["id"] for p in people] == ["people:R1:person", "people:R2:person"]
    john = people[0]
    assert (john["forenames"], john["surname"], john["dob"]) == (
        "John",
        "Smith",
        dt.date(1990, 4, 3),
    )
    assert (john["sex"], john["phone"], john["source_row"]) == ("male", "+447700900123", 2)
    assert john["source_file"] == "data/people/a.csv"
    assert people[1]["source_row"] == 3
    crimes = store.query("SELECT narrative FROM crime_report ORDER BY id").to_pylist()
    assert crimes[0]["narrative"] == "=1+1 looks like a formula"
    assert crimes[1]["narrative"] == "multi\nline note"
    links = store.query("SELECT role, from_id, to_id FROM link ORDER BY id").to_pylist()
    assert {
        "role": "resident-at",
        "from_id": "people:R1:person",
        "to_id": "people:R1:home",
    } in links
    assert len(links) == 3  # R2 has no address: no resident-at link
    q = store.query("SELECT * FROM quarantine").to_pylist()
    assert (
        q[0]["source_row"] == 5 and q[0]["field"] == "DOB" and q[0]["reason"] == "unparseable_date"
    )
    assert json.loads(q[0]["raw"])["Name"] == "Bad Date"
    store.close()
    latest = json.loads((root / "runs" / "latest" / "summary.json").read_text())
    assert latest["run_id"] == result.summary.run_id and latest["ok"] is True
    assert set(latest["stages"]) >= {"ingest"}


def _snapshot(root: Path) -> dict[str, list[dict[str, object]]]:
    """Every table of the current store, without the run id (which differs by design)."""
    return {t: rows.to_pylist() for t, rows in store_tables(root).items()}


def test_rerun_is_idempotent(make_project: MakeProject) -> None:
    root = make_project({"people": PEOPLE}, {"data/people/a.csv": CSV})
    run_project(root)
    first = _snapshot(root)
    run_project(root)
    assert _snapshot(root) == first
    assert len(first["person"]) == 2 and len(first["quarantine"]) == 1
    assert len(list((root / "store").glob("pole-*"))) <= 2


def test_failed_source_does_not_stop_others(make_project: MakeProject, tmp_path: Path) -> None:
    broken = PEOPLE.replace("source: people", "source: broken").replace(
        "data/people", "data/broken"
    )
    root = make_project(
        {"people": PEOPLE, "broken": broken},
        {"data/people/a.csv": CSV, "data/broken/b.csv": "Ref,Name\nX1,Someone\n"},
    )
    result = run_project(root)
    assert result.failed_sources == ["broken"]
    err = result.summary.sources["broken"]["error"]
    assert "data/broken/b.csv" in err and "DOB" in err
    assert result.summary.sources["people"]["loaded"] == 2
    assert result.summary.ok is False
