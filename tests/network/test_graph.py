"""The entity graph and its metrics, on small stores, against networkx."""

import random
from datetime import date
from pathlib import Path

import networkx as nx
import pyarrow as pa

from msht.engine import open_engine
from msht.engine.base import Engine
from msht.network.graph import EDGES, NODES
from msht.network.metrics import ADDRESS, DEGREE
from msht.network.settings import NetworkSettings
from msht.network.stage import network_project
from network.stores import write_store


def _store(engine: Engine, records: dict[str, tuple[str, str]], links: list[tuple]) -> None:
    write_store(engine, records, links)


def test_links_between_records_become_edges_between_entities(tmp_path: Path) -> None:
    records = {
        "p1": ("Person", "PER-1"),
        "p2": ("Person", "PER-1"),  # the same man in two sources
        "p3": ("Person", "PER-2"),
        "p4": ("Person", "PER-3"),
        "p5": ("Person", "PER-4"),  # says 19, but another record shows a child
        "a1": ("Address", "ADR-1"),
        "a2": ("Address", "ADR-1"),
        "h1": ("Phone", "PHN-1"),
        "p5b": ("Person", "PER-4"),
    }
    links = [
        ("resident-at", "p1", "a1", date(2025, 3, 1)),
        ("resident-at", "p2", "a2", date(2025, 9, 1)),
        ("resident-at", "p3", "a1"),
        ("resident-at", "p4", "a2"),
        ("resident-at", "p5", "a2"),
        ("uses-phone", "p1", "h1"),
        ("uses-phone", "p3", "h1"),
        ("victim", "p1", "crime:1"),  # events are evidence, not nodes
    ]
    with open_engine("duckdb", tmp_path / "store") as engine:
        _store(engine, records, links)
        engine.create_table(
            "person",
            pa.table(
                {
                    "id": ["p1", "p2", "p3", "p4", "p5", "p5b"],
                    "surname": ["Khan", "KHAN", "Smith", "Jones", "Brown", "Brown"],
                    "dob": pa.array(
                        [date(1990, 1, 1), None, None, date(2015, 5, 5), None, None], pa.date32()
                    ),
                    "age_estimate": pa.array([None, 35, 40, None, 19, 15], pa.int64()),
                    "age_estimated_on": pa.array(
                        [None, None, None, None, date.today(), date.today()], pa.date32()
                    ),
                }
            ),
        )
        report = network_project(engine, NetworkSettings())
        edges = engine.query(f"SELECT * FROM {EDGES} ORDER BY from_entity, role").to_pylist()
        address = engine.query(f"SELECT * FROM {ADDRESS}").to_pylist()
        nodes = engine.scalar(f"SELECT count(*) AS n FROM {NODES}")
    assert report is not None and (report.nodes, report.edges) == (6, 6) and nodes == 6
    lives = [e for e in edges if e["from_entity"] == "PER-1" and e["role"] == "resident-at"]
    assert len(lives) == 1 and lives[0]["links"] == 2 and lives[0]["link_ids"] == ["L0", "L1"]
    assert (lives[0]["first_date"], lives[0]["last_date"]) == (date(2025, 3, 1), date(2025, 9, 1))
    # four residents; the child (Jones) and the disputed one (Brown) are not adults; "Khan"
    # and "KHAN" are one surname; Khan is an adult by date of birth alone, Smith by estimate
    assert address == [
        {
            "entity_id": "ADR-1",
            "residents": 4,
            "adults": 2,
            "adult_surnames": 2,
            "arrivals_last_year": 1,
            "first_date": date(2025, 3, 1),
            "last_date": date(2025, 9, 1),
        }
    ]


def test_degree_by_neighbour_type_agrees_with_networkx(tmp_path: Path) -> None:
    rng = random.Random(7)
    kinds = {"Person": 30, "Address": 8, "Phone": 6, "Vehicle": 4, "Premises": 3}
    records: dict[str, tuple[str, str]] = {}
    for kind, entities in kinds.items():
        for i in range(entities * 2):  # two records per entity on average
            records[f"{kind}-{i}"] = (kind, f"{kind[:3].upper()}-{rng.randrange(entities)}")
    people = [r for r in records if r.startswith("Person")]
    others = [r for r in records if not r.startswith("Person")]
    roles = {"Address": "resident-at", "Phone": "uses-phone", "Vehicle": "drives"}
    links = []
    for _ in range(120):
        a, b = rng.choice(people), rng.choice(others + people)
        links.append(
            (roles.get(records[b][0], "associate-of" if b in people else "works-at"), a, b)
        )
    graph = nx.Graph()
    for _, a, b, *_ in links:
        if records[a][1] != records[b][1]:
            graph.add_edge(records[a], records[b])
    expected = {}
    for node in graph:
        for neighbour in graph[node]:
            key = (node[1], neighbour[0])
            expected[key] = expected.get(key, 0) + 1
    with open_engine("duckdb", tmp_path / "store") as engine:
        _store(engine, records, links)
        engine.create_table(
            "person",
            pa.table(
                {
                    "id": people,
                    "surname": ["x"] * len(people),
                    "dob": pa.nulls(len(people), pa.date32()),
                    "age_estimate": pa.nulls(len(people), pa.int64()),
                    "age_estimated_on": pa.nulls(len(people), pa.date32()),
                }
            ),
        )
        network_project(engine, NetworkSettings())
        rows = engine.query(f"SELECT * FROM {DEGREE}").to_pylist()
    found = {(r["entity_id"], r["neighbour_type"]): r["neighbours"] for r in rows}
    assert found == expected and len(found) > 20
