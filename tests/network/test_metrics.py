"""Metrics of shared things and of reach, on a random small graph, against plain Python
over a networkx graph of the same links."""

import random
from datetime import date
from pathlib import Path

import networkx as nx
import pyarrow as pa

from msht.engine import open_engine
from msht.network.settings import Flag, NetworkSettings
from msht.network.stage import network_project
from msht.network.tables import FLAGGED, INVESTIGATE, OBJECT, PREMISES, REACH
from network.stores import write_people, write_store

ROLES = {
    "Address": "resident-at",
    "Vehicle": "drives",
    "Phone": "uses-phone",
    "IdentityDocument": "holds-document",
    "Premises": "works-at",
}
SECTORS = ["hand_car_wash", "hotel", "nail_bar", "factory"]
AT_RISK = ("hand_car_wash", "nail_bar")


def _world(seed: int) -> tuple[dict[str, tuple[str, str]], list[tuple], set[str], dict]:
    rng = random.Random(seed)
    sizes = {"Address": 10, "Vehicle": 4, "Phone": 6, "IdentityDocument": 5, "Premises": 4}
    records = {f"p{i}": ("Person", f"PER-{i:02d}") for i in range(40)}
    for kind, n in sizes.items():
        for i in range(n):
            records[f"{kind}{i}"] = (kind, f"{kind[:3].upper()}-{i}")
    links: list[tuple] = []
    for i in range(40):
        for kind, n in sizes.items():
            if rng.random() < 0.6:
                links.append((ROLES[kind], f"p{i}", f"{kind}{rng.randrange(n)}"))
    links.append(("document-of", "IdentityDocument0", "p39"))
    # p0 and p1 share a flat and a car: not a tie through their home alone
    records["Address99"], records["Vehicle99"] = ("Address", "ADD-99"), ("Vehicle", "VEH-99")
    for p in ("p0", "p1"):
        links += [("resident-at", p, "Address99"), ("drives", p, "Vehicle99")]
    flagged = {"p1"} | {f"p{i}" for i in rng.sample(range(2, 40), 8)}
    crimes = {f"c{i}": (f"CR/{i}", date(2025, 1, 1), "Forced labour - MSA 2015") for i in range(40)}
    for p in sorted(flagged):
        links.append(("victim", p, f"c{p[1:]}"))
    sectors = {f"Premises{i}": SECTORS[i] for i in range(4)}
    return records, links, flagged, {"crimes": crimes, "sectors": sectors}


def _build(
    tmp_path: Path, seed: int, max_shared: int, child: str | None = None
) -> tuple[dict, list, set, dict, dict]:
    """Build the random world's store; every person an adult but the record `child`."""
    records, links, flagged, extra = _world(seed)
    settings = NetworkSettings(
        flags=(Flag(id="msa", event="CrimeReport", roles=("victim",), offences=("msa 2015",)),),
        at_risk_sectors=AT_RISK,
        max_shared=max_shared,
        investigate_min_victims=2,
    )
    with open_engine("duckdb", tmp_path / f"store-{child}") as engine:
        write_store(engine, records, links, extra["crimes"])
        people = [r for r in records if r.startswith("p")]
        dobs = [date(2015, 1, 1) if p == child else date(1990, 1, 1) for p in people]
        write_people(engine, people, dobs=dobs)
        premises = sorted(extra["sectors"])
        engine.create_table(
            "premises",
            pa.table(
                {
                    "id": premises,
                    "sector": [extra["sectors"][p] for p in premises],
                    "division": ["North"] * len(premises),
                    "district": pa.nulls(len(premises), pa.string()),
                    "postcode": pa.nulls(len(premises), pa.string()),
                }
            ),
        )
        network_project(engine, settings)
        tables = {
            name: engine.query(f"SELECT * FROM {name}").to_pylist()
            for name in (FLAGGED, OBJECT, PREMISES, REACH, INVESTIGATE)
        }
    return records, links, flagged, extra, tables


def test_vehicles_phones_and_premises_agree_with_networkx(tmp_path: Path) -> None:
    records, links, _, extra, tables = _build(tmp_path, 3, 50)
    graph = nx.MultiGraph()
    for role, a, b, *_ in links:
        if b in records:
            graph.add_edge(records[a][1], records[b][1], role=role)
    kind = {e: t for t, e in records.values()}
    at_risk_premises = {records[p][1] for p, s in extra["sectors"].items() if s in AT_RISK}
    at_risk_people = {n for p in at_risk_premises for n in graph[p]}
    expected_objects = {
        node: (len(set(graph[node])), len(set(graph[node]) & at_risk_people))
        for node in graph
        if kind[node] in ("Vehicle", "Phone")
    }
    found = {r["entity_id"]: (r["people"], r["at_risk_workers"]) for r in tables[OBJECT]}
    assert found == expected_objects and len(found) >= 8

    def homes(person: str) -> set[str]:
        return {
            n
            for n, d in graph[person].items()
            if kind[n] in ("Address", "Vehicle")
            and any(x["role"] != "works-at" for x in d.values())
        }

    expected_premises = {}
    for p in (records[x][1] for x in extra["sectors"]):
        workers = set(graph[p]) if p in graph else set()
        sharing = {w for w in workers if any(homes(w) & homes(o) for o in workers - {w})}
        expected_premises[p] = (len(workers), len(sharing), p in at_risk_premises)
    found_premises = {
        r["entity_id"]: (r["workers"], r["workers_sharing"], r["at_risk"]) for r in tables[PREMISES]
    }
    assert found_premises == expected_premises
    assert any(sharing for _, sharing, _ in found_premises.values())


def test_reach_and_the_investigation_list_agree_with_networkx(tmp_path: Path) -> None:
    max_shared = 6  # some addresses and phones are shared by more: they are not walked
    records, links, flagged_records, _, tables = _build(tmp_path, 11, max_shared)
    flagged = {records[p][1] for p in flagged_records}
    assert {r["entity_id"] for r in tables[FLAGGED]} == flagged
    graph = nx.Graph()
    for _, a, b, *_ in links:
        if b in records and records[b][0] not in ("Premises",):
            graph.add_edge(records[a][1], records[b][1])
    kind = {e: t for t, e in records.values()}
    objects = [n for n in graph if kind[n] != "Person" and 2 <= graph.degree(n) <= max_shared]
    people = [n for n in graph if kind[n] == "Person"]
    via: dict[tuple[str, str], set[str]] = {}
    for o in objects:
        for a in graph[o]:
            for b in graph[o]:
                if a != b:
                    via.setdefault((a, b), set()).add(kind[o])
    step = {p: {b for (a, b) in via if a == p} for p in people}
    expected = {}
    for p in people:
        one = step[p] & flagged
        two = (one | {v for q in step[p] for v in step[q] & flagged}) - {p}
        not_home = {v for v in one if via[(p, v)] - {"Address"}}
        if two:
            expected[p] = (p in flagged, len(one), len(two), len(not_home))
    found = {
        r["entity_id"]: (
            r["flagged"],
            r["victims_1hop"],
            r["victims_2hops"],
            r["victims_1hop_not_home"],
        )
        for r in tables[REACH]
    }
    assert found == expected and len(found) > 10
    assert expected["PER-00"][3] >= 1  # reaches p1 through the car, not only the flat
    assert any(v[1] != v[3] for v in expected.values())  # some ties are homes alone
    listed = {r["entity_id"] for r in tables[INVESTIGATE]}
    assert listed == {p for p, v in expected.items() if not v[0] and v[3] >= 2} != set()
    assert not listed & flagged  # R04: a flagged person is never listed for investigation
    # nor a child, whose links to victims make a likely victim
    first = min(listed)
    child = next(r for r, (_, e) in records.items() if e == first)
    again = _build(tmp_path, 11, max_shared, child=child)[4]
    assert {r["entity_id"] for r in again[INVESTIGATE]} == listed - {first}
