"""Groups: communities of the neighbourhoods of flagged people (igraph's Leiden), checked
against networkx's modularity and Louvain communities on the same graph."""

from datetime import date
from pathlib import Path

import networkx as nx

from msht.engine import open_engine
from msht.network.groups import find_groups
from msht.network.settings import Flag, NetworkSettings
from msht.network.stage import network_project
from msht.network.tables import EDGES, GROUP_MEMBERS, GROUPS
from network.stores import write_store

FLAGS = (Flag(id="msa", event="CrimeReport", roles=("victim",), offences=("msa",)),)


def _two_houses() -> tuple[dict[str, tuple[str, str]], list[tuple], dict]:
    """Two houses of six workers, each with its van and phone, a controller who drives the
    van, one event naming one worker of each house, a hostel (a hub) where everyone has
    stayed, and a third house nobody flagged lives in."""
    records: dict[str, tuple[str, str]] = {"hostel": ("Address", "ADR-HOSTEL")}
    links: list[tuple] = []
    crimes = {}
    for h in ("a", "b", "c"):
        for thing, kind in (("house", "Address"), ("van", "Vehicle"), ("phone", "Phone")):
            records[f"{h}-{thing}"] = (kind, f"{kind[:3].upper()}-{h}")
        records[f"{h}-boss"] = ("Person", f"PER-{h}-boss")
        links.append(("drives", f"{h}-boss", f"{h}-van"))
        for i in range(6):
            worker = f"{h}{i}"
            records[worker] = ("Person", f"PER-{h}{i}")
            links += [
                ("resident-at", worker, f"{h}-house"),
                ("uses-phone", worker, f"{h}-phone"),
                ("resident-at", worker, "hostel"),
            ]
            if i < 3:
                links.append(("drives", worker, f"{h}-van"))  # seen in the van
            if h != "c" and i < 2:
                crimes[f"msa-{worker}"] = (f"MSA/{worker}", date(2025, 3, 1), "MSA 2015 s1")
                links.append(("victim", worker, f"msa-{worker}"))
    crimes["fight-a"] = ("CR/FIGHT", date(2025, 4, 1), "Common assault")
    crimes["fight-b"] = ("CR/FIGHT", date(2025, 4, 1), "Common assault")
    links += [("victim", "a5", "fight-a"), ("suspect", "b5", "fight-b")]
    return records, links, crimes


def test_each_house_is_one_group_with_its_controller(tmp_path: Path) -> None:
    records, links, crimes = _two_houses()
    settings = NetworkSettings(flags=FLAGS, max_shared=12, resolution=1.0)
    with open_engine("duckdb", tmp_path / "store") as engine:
        write_store(engine, records, links, crimes)
        network_project(engine, settings)
        members = engine.query(f"SELECT * FROM {GROUP_MEMBERS}").to_pylist()
        groups = engine.query(f"SELECT * FROM {GROUPS} ORDER BY group_id").to_pylist()
        again = find_groups(engine, settings)
        edges = engine.query(f"SELECT from_entity, to_entity FROM {EDGES}").to_pylist()
    by_group: dict[str, set[str]] = {}
    for m in members:
        by_group.setdefault(m["group_id"], set()).add(m["entity_id"])
    people = [{e for e in g if e.startswith("PER-")} for g in by_group.values()]
    assert sorted(people, key=sorted) == [
        {f"PER-a{i}" for i in range(6)} | {"PER-a-boss"},
        {f"PER-b{i}" for i in range(6)} | {"PER-b-boss"},
    ]
    assert all("ADR-HOSTEL" not in g for g in by_group.values())  # a hub is not walked
    assert [(g["group_id"], g["people"], g["flagged"]) for g in groups] == [
        ("GRP-00001", 7, 2),
        ("GRP-00002", 7, 2),
    ]
    assert again.to_pylist() == sorted(members, key=lambda m: (m["group_id"], m["entity_id"]))

    # the grouping is a good partition of the graph it was made on: its modularity is at
    # least that of networkx's Louvain communities of the same graph (the hostel left out)
    graph = nx.Graph()
    grouped = set().union(*by_group.values())
    graph.add_edges_from(
        (e["from_entity"], e["to_entity"])
        for e in edges
        if e["from_entity"] in grouped and e["to_entity"] in grouped
    )
    ours = nx.community.modularity(graph, list(by_group.values()))
    louvain = nx.community.louvain_communities(graph, seed=1)
    assert ours >= nx.community.modularity(graph, louvain) - 0.01


def test_no_flagged_people_means_no_groups(tmp_path: Path) -> None:
    records, links, crimes = _two_houses()
    with open_engine("duckdb", tmp_path / "store") as engine:
        write_store(engine, records, links, crimes)
        report = network_project(engine, NetworkSettings())
        rows = engine.scalar(f"SELECT count(*) AS n FROM {GROUPS}")
    assert report is not None and report.groups == 0 and rows == 0
