"""Places: the police division of each address and premises, given or inferred."""

from datetime import date
from pathlib import Path

import pyarrow as pa

from msht.engine import open_engine
from msht.network.settings import NetworkSettings
from msht.network.stage import network_project
from msht.network.tables import PLACES
from network.stores import write_store

DIVISIONS = {"North": ["Medway", "Swale"], "East": ["Thanet"]}


def test_a_division_comes_from_the_record_its_district_an_event_or_its_postcode(
    tmp_path: Path,
) -> None:
    records = {
        "a1": ("Address", "ADR-1"),  # says its division
        "a2": ("Address", "ADR-2"),  # says its district
        "a3": ("Address", "ADR-3"),  # a crime there says the district
        "a4": ("Address", "ADR-4"),  # postcode only: ME7 places are in North
        "a5": ("Address", "ADR-5"),  # postcode only, an outward code nobody placed
        "a6": ("Address", "ADR-6"),  # ME7 again, and Thanet: the district wins
        "p1": ("Premises", "PRE-1"),
        "a7": ("Address", "ADR-2"),  # ADR-2 again: says West, which beats its district's
    }
    with open_engine("duckdb", tmp_path / "store") as engine:
        write_store(
            engine,
            records,
            [("happened-at", "c1", "a3")],
            {"c1": ("CR/1", date(2025, 1, 1), "Theft", "Swale")},
        )
        ids = [r for r in records if r.startswith("a")]
        engine.create_table(
            "address",
            pa.table(
                {
                    "id": ids,
                    "division": ["East", None, None, None, None, None, "West"],
                    "district": [None, "Medway", None, None, None, "Thanet", None],
                    "postcode": [
                        "CT9 1AA",
                        "ME7 1AA",
                        "ME7 2BB",
                        "ME7 3CC",
                        "ZZ1 1ZZ",
                        "ME7 4DD",
                        None,
                    ],
                }
            ),
        )
        engine.create_table(
            "premises",
            pa.table(
                {
                    "id": ["p1"],
                    "sector": ["nail_bar"],
                    "division": pa.nulls(1, pa.string()),
                    "district": ["Thanet"],
                    "postcode": pa.nulls(1, pa.string()),
                }
            ),
        )
        network_project(engine, NetworkSettings(), DIVISIONS)
        rows = engine.query(f"SELECT * FROM {PLACES} ORDER BY entity_id").to_pylist()
    found = {r["entity_id"]: (r["sector"], r["division"]) for r in rows}
    assert found == {
        "ADR-1": (None, "East"),
        "ADR-2": (None, "West"),
        "ADR-3": (None, "North"),
        "ADR-4": (None, "North"),
        "ADR-5": (None, None),
        "ADR-6": (None, "East"),
        "PRE-1": ("nail_bar", "East"),
    }
