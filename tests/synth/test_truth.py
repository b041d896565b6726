from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from synth_readback import RECORD_ID, rows

from msht.synth import SynthResult

SOURCES = ("crime", "intel", "custody", "nrm", "ms1", "partner", "public", "missing")


def _truth(root: Path, name: str) -> list[dict[str, str]]:
    with (root / "truth" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def tables(default_root: Path) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    return {source: rows(default_root, source) for source in SOURCES}


def _by_id(table: list[tuple[int, dict[str, Any]]], source: str) -> dict[str, dict[str, Any]]:
    return {str(v[RECORD_ID[source]]): v for _, v in table if v[RECORD_ID[source]]}


def test_row_counts_match_the_result(default_project: SynthResult, tables: dict[str, Any]) -> None:
    assert {s: len(t) for s, t in tables.items()} == default_project.rows


def test_every_truth_record_is_in_its_source(default_root: Path, tables: dict[str, Any]) -> None:
    faults = _truth(default_root, "faults")
    missing_ids = {
        (f["source"], f["record_id"]): int(f["row"])
        for f in faults
        if f["fault"] == "missing_record_id"
    }
    records = _truth(default_root, "records")
    assert records and {r["source"] for r in records} == set(SOURCES) - {"ms1"}
    for source in SOURCES:
        ids = _by_id(tables[source], source)
        by_row = dict(tables[source])
        for r in (r for r in records if r["source"] == source):
            if (source, r["record_id"]) in missing_ids:
                row = by_row[missing_ids[(source, r["record_id"])]]
                assert not row[RECORD_ID[source]]
            else:
                assert r["record_id"] in ids, (source, r["record_id"])
    keys = [(r["source"], r["record_id"]) for r in records]
    assert len(keys) == len(set(keys))


def test_public_rows_have_a_record_exactly_when_they_name_someone(
    default_root: Path, tables: dict[str, Any]
) -> None:
    named = {v["report_id"] for _, v in tables["public"] if v["person_of_concern"]}
    truth = {r["record_id"] for r in _truth(default_root, "records") if r["source"] == "public"}
    assert named == truth


@pytest.mark.parametrize("name", ["indicators", "negations"])
def test_spans_point_into_the_cells_as_written(
    default_root: Path, tables: dict[str, Any], name: str
) -> None:
    spans = _truth(default_root, name)
    assert spans
    index = {s: _by_id(tables[s], s) for s in SOURCES}
    faulty = {(f["source"], f["record_id"]) for f in _truth(default_root, "faults")}
    for s in spans:
        if (s["source"], s["record_id"]) in faulty:
            continue
        text = index[s["source"]][s["record_id"]][s["field"]]
        start, end = int(s["start"]), int(s["end"])
        assert 0 <= start < end <= len(text), s
        clause = text[start:end]
        assert clause == clause.strip() and "\n" not in clause, (s, clause)


def test_planted_victims_have_signs_in_their_records(default_root: Path) -> None:
    victims = {v["person_id"] for v in _truth(default_root, "victims") if v["role"] == "victim"}
    records = _truth(default_root, "records")
    signed = {(i["source"], i["record_id"]) for i in _truth(default_root, "indicators")}
    theirs = [(r["source"], r["record_id"]) for r in records if r["person_id"] in victims]
    # Victims also have ordinary lives (a British teenager's shoplifting arrest), so not all.
    assert sum(key in signed for key in theirs) > 0.5 * len(theirs)
    referrals = [key for key in theirs if key[0] == "nrm"]
    assert referrals and all(key in signed for key in referrals)


def test_networks_and_victims_agree(default_root: Path) -> None:
    networks = {n["network_id"]: n for n in _truth(default_root, "networks")}
    members: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for v in _truth(default_root, "victims"):
        members[v["network_id"]][v["role"]] += 1
    assert set(members) == set(networks)
    for nid, n in networks.items():
        assert int(n["victims"]) == members[nid]["victim"] >= 1
        assert 1 <= int(n["controllers"]) == members[nid]["controller"] <= 3
        assert int(n["victims"]) <= 20
        if n["exploitation_type"] == "domestic_servitude":
            assert n["victims"] == "1"


def test_ms1_truth_names_planted_victims(default_root: Path, tables: dict[str, Any]) -> None:
    victims = {v["person_id"] for v in _truth(default_root, "victims") if v["role"] == "victim"}
    ms1 = _truth(default_root, "ms1")
    assert {m["record_id"] for m in ms1} == {v["notification_id"] for _, v in tables["ms1"]}
    assert all(m["person_id"] in victims for m in ms1)


def test_faults_are_rare_and_in_several_sources(default_root: Path) -> None:
    faults = _truth(default_root, "faults")
    sources = {f["source"] for f in faults}
    assert 3 <= len(sources) <= 4
    assert {f["fault"] for f in faults} >= {
        "impossible_date",
        "missing_record_id",
        "invalid_postcode",
        "text_in_numeric",
    }
    total = len(_truth(default_root, "records"))
    assert 0.0005 * total < len(faults) < 0.006 * total
