"""Keyed entities: addresses, premises and vehicle marks."""

from pathlib import Path

import pyarrow as pa

from msht.engine import open_engine
from msht.resolve.entities import keyed_clusters, vrm_candidates
from msht.resolve.stable_ids import as_mapping


def _groups(labels: pa.Table | None) -> set[frozenset[str]]:
    assert labels is not None
    found: dict[str, set[str]] = {}
    for record, label in as_mapping(labels).items():
        found.setdefault(label, set()).add(record)
    return {frozenset(g) for g in found.values()}


def test_addresses_agree_across_formats_but_never_on_the_postcode_alone(tmp_path: Path) -> None:
    rows = [
        ("1", "Rose Cottage, Lane End", "TN27 8AB"),
        ("2", "The Old Rectory, Church Lane", "TN27 8AB"),
        ("3", None, "TN27 8AB"),
        ("4", "Flat A, 12 High Street", "ME4 4AB"),
        ("5", "Flat B, 12 High Street", "ME4 4AB"),
        ("6", "12 High Street", "ME4 4AB"),
        ("7", "2/45 Fullers Avenue, Chatham", "ME4 4AC"),
        ("8", "Flat 2, 45 Fullers Ave", "ME4 4AC"),
        ("9", "3 Meadow Road, Chatham", "ME4 1AA"),
        ("10", "3 Meadow Rd", "ME4 1AA"),
        ("11", "NFA", None),  # no fixed abode: not one address all the homeless share
        ("12", "NFA", None),
        ("13", "No fixed abode", None),
    ]
    engine = open_engine("duckdb", tmp_path / "store")
    engine.create_table(
        "address",
        pa.table(
            {
                "id": [r[0] for r in rows],
                "full_text": pa.array([r[1] for r in rows], pa.string()),
                "line1": pa.array([None] * len(rows), pa.string()),
                "postcode": [r[2] for r in rows],
                "uprn": pa.array([None] * len(rows), pa.string()),
            }
        ),
    )
    groups = _groups(keyed_clusters(engine, "Address"))
    engine.close()
    assert frozenset({"7", "8"}) in groups and frozenset({"9", "10"}) in groups
    for alone in "1", "2", "3", "4", "5", "6", "11", "12", "13":
        assert frozenset({alone}) in groups


def test_premises_names_match_fuzzily_within_a_postcode_only(tmp_path: Path) -> None:
    engine = open_engine("duckdb", tmp_path / "store")
    engine.create_table(
        "premises",
        pa.table(
            {
                "id": ["1", "2", "3", "4", "5"],
                "business_name": [
                    "Sparkle Hand Car Wash Ltd",
                    "Sparkle Hand Carwash",
                    "Sparkle Hand Car Wash",
                    "Tesco Express",
                    "Tesco Express",
                ],
                "postcode": pa.array(["ME4 4AB", "ME4 4AB", "CT1 1AA", None, None], pa.string()),
            }
        ),
    )
    groups = _groups(keyed_clusters(engine, "Premises"))
    engine.close()
    assert groups == {frozenset({"1", "2"}), frozenset({"3"}), frozenset({"4"}), frozenset({"5"})}


def test_marks_one_character_apart_are_candidates(tmp_path: Path) -> None:
    engine = open_engine("duckdb", tmp_path / "store")
    engine.create_table(
        "vehicle", pa.table({"id": ["1", "2", "3"], "vrm": ["AB12CDE", "AB12CDF", "XY99ZZZ"]})
    )
    assert vrm_candidates(engine) == [("AB12CDE", "AB12CDF")]
    engine.close()
