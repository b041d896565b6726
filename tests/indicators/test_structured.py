"""Structured indicators: signs read from links and fields."""

from datetime import date
from pathlib import Path

import pyarrow as pa
from network.stores import write_people, write_store

from msht.engine import open_engine
from msht.indicators.structured import STRUCTURED, build_structured
from msht.network.settings import NetworkSettings
from msht.network.stage import network_project


def test_each_structured_sign_is_found_with_its_evidence(tmp_path: Path) -> None:
    records = {
        "a": ("Person", "PER-A"),
        "b": ("Person", "PER-B"),
        "c": ("Person", "PER-C"),
        "c2": ("Person", "PER-C"),
        "e": ("Person", "PER-E"),
        "f": ("Person", "PER-F"),  # no age on any record: treated as a child (R17)
        "wash": ("Premises", "PRE-1"),
        "ph1": ("Phone", "PHN-1"),
        "ph2": ("Phone", "PHN-2"),
        "ph3": ("Phone", "PHN-3"),
        "doc": ("IdentityDocument", "DOC-1"),
        "doc2": ("IdentityDocument", "DOC-1"),
        "m1": ("MissingEpisode", "x"),
    }
    links = [
        ("subject", "a", "m1"),
        ("subject", "a", "m2"),
        ("subject", "b", "m3"),  # once: not repeated
        ("works-at", "b", "wash"),
        ("uses-phone", "c", "ph1"),
        ("uses-phone", "c2", "ph2"),
        ("uses-phone", "c", "ph3"),
        ("document-of", "doc", "c"),
        ("holds-document", "a", "doc2"),  # A holds C's document (another record of it)
        ("holds-document", "c", "doc"),  # C holding their own is no sign
    ]
    with open_engine("duckdb", tmp_path / "store") as engine:
        write_store(engine, {k: v for k, v in records.items() if k != "m1"}, links)
        link = engine.query("SELECT * FROM link")
        fixed = link.set_column(
            link.schema.get_field_index("to_type"),
            "to_type",
            pa.array(["MissingEpisode"] * 3 + link["to_type"].to_pylist()[3:]),
        )
        engine.create_table("link", fixed)
        write_people(
            engine,
            ["a", "b", "c", "c2", "e", "f"],
            dobs=[
                date(1990, 1, 1),
                date(1985, 1, 1),
                None,
                date(1999, 1, 1),
                date(2015, 1, 1),
                None,
            ],
        )
        engine.create_table(
            "premises",
            pa.table(
                {
                    "id": ["wash"],
                    "sector": ["hand_car_wash"],
                    "division": pa.nulls(1, pa.string()),
                    "district": pa.nulls(1, pa.string()),
                    "postcode": pa.nulls(1, pa.string()),
                }
            ),
        )
        network_project(engine, NetworkSettings(at_risk_sectors=("hand_car_wash",)))
        build_structured(engine)
        rows = engine.query(
            f"SELECT entity_id, indicator_id, evidence, evidence_ids FROM {STRUCTURED} "
            "ORDER BY entity_id, indicator_id"
        ).to_pylist()
    found = {(r["entity_id"], r["indicator_id"]): (r["evidence"], r["evidence_ids"]) for r in rows}
    assert found == {
        ("PER-A", "STR-MISSING"): (2, ["L0", "L1"]),
        ("PER-B", "STR-AT-RISK-WORK"): (1, ["L3"]),
        ("PER-C", "STR-PHONES"): (3, ["L4", "L5", "L6"]),
        ("PER-C", "STR-DOC-HELD"): (1, ["L8"]),
        ("PER-E", "STR-CHILD"): (1, ["e"]),
        ("PER-F", "STR-CHILD"): (1, ["f"]),
    }
