"""Edges through events: people named in one event are joined, with the event's date."""

from datetime import date
from pathlib import Path

from msht.engine import open_engine
from msht.network.settings import NetworkSettings
from msht.network.stage import network_project
from msht.network.tables import EDGES, EVENTS
from network.stores import write_store


def test_rows_of_one_crime_are_one_event_and_join_its_people(tmp_path: Path) -> None:
    records = {
        "v": ("Person", "PER-V"),
        "s": ("Person", "PER-S"),
        "w": ("Person", "PER-W"),
        "a": ("Address", "ADR-1"),
    }
    # a crime system writes one row per nominal: three crime records, one reference
    crimes = {
        "c1": ("CR/1", date(2025, 5, 1), "Common assault"),
        "c2": ("CR/1", date(2025, 5, 1), "Common assault"),
        "c3": ("CR/2", date(2025, 6, 1), "Theft"),
    }
    links = [
        ("victim", "v", "c1", None, "row-c1"),
        ("suspect", "s", "c2", None, "row-c2"),
        ("witness", "w", "c3", None, "row-c3"),
        ("resident-at", "v", "a", None, "row-c1"),  # takes the date of the crime on its row
    ]
    with open_engine("duckdb", tmp_path / "store") as engine:
        write_store(engine, records, links, crimes)
        network_project(engine, NetworkSettings())
        edges = engine.query(
            f"SELECT from_entity, role, to_entity, first_date, links, link_ids FROM {EDGES} "
            "ORDER BY role, from_entity"
        ).to_pylist()
        events = engine.scalar(f"SELECT count(DISTINCT event_key) AS n FROM {EVENTS}")
    assert events == 2
    assert edges == [
        {
            "from_entity": "PER-S",
            "role": "in-same-crime-report",
            "to_entity": "PER-V",
            "first_date": date(2025, 5, 1),
            "links": 1,  # one crime shared
            "link_ids": ["L0", "L1"],
        },
        {
            "from_entity": "PER-V",
            "role": "resident-at",
            "to_entity": "ADR-1",
            "first_date": date(2025, 5, 1),
            "links": 1,
            "link_ids": ["L3"],
        },
    ]


def test_an_event_naming_too_many_entities_joins_none_of_them(tmp_path: Path) -> None:
    people = {f"p{i}": ("Person", f"PER-{i}") for i in range(5)}
    crimes = {f"c{i}": ("CR/9", date(2025, 1, 1), "Public order") for i in range(5)}
    links = [("victim", f"p{i}", f"c{i}") for i in range(5)]
    counts = []
    for limit in (5, 4):
        with open_engine("duckdb", tmp_path / f"store{limit}") as engine:
            write_store(engine, people, links, crimes)
            network_project(engine, NetworkSettings(max_event_entities=limit))
            counts.append(engine.scalar(f"SELECT count(*) AS n FROM {EDGES}"))
    assert counts == [10, 0]  # all pairs of five people, then none
