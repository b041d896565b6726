"""Groups of entities around flagged people: the connected neighbourhoods of flagged
potential victims, split into communities by igraph's Leiden algorithm (weighted
modularity: a link such as living at an address or driving a van weighs 1, being named in
the same event weighs less).

Only the neighbourhoods (`group_hops` links out from each flagged person) are grouped, not
the whole population; places and things linked to more than `max_shared` people (a hostel,
a shop where many crimes happened, a switchboard) are not walked through, so one of them
does not make one group of a town. A group is
a community holding at least one flagged person; its id is its rank by its smallest member
id, so it is the same on every engine for the same graph (not across runs: the graph moves).
"""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.network.settings import NetworkSettings
from msht.network.tables import DEGREE, EDGES, FLAGGED, GROUP_MEMBERS, GROUPS, NODES, PLACES

#: Columns of `GROUP_MEMBERS`.
MEMBERS_SCHEMA = pa.schema(
    [
        ("group_id", pa.string()),
        ("component", pa.int64()),
        ("entity_id", pa.string()),
        ("entity_type", pa.string()),
        ("flagged", pa.bool_()),
    ]
)
_SEED = 20250401  # Leiden's refinement is random: one fixed seed gives one answer
#: Leiden passes: each improves the partition; running until none does took 80 s at 1M
#: source records, against 2.5 s for two passes, for hardly different groups.
LEIDEN_ITERATIONS = 2


def _graph(engine: Engine, in_same: float) -> tuple[ig.Graph, pa.Array, pa.Array]:
    """The whole entity graph in igraph (a tie's weight: 1 per link role, `in_same` per
    event shared), its vertex names and their entity types."""
    nodes = engine.query(f"SELECT entity_id, entity_type FROM {NODES} ORDER BY entity_id")
    names = nodes["entity_id"].combine_chunks()
    edges = engine.query(
        f"""SELECT from_entity, to_entity,
                   sum(CASE WHEN role LIKE 'in-same-%' THEN {float(in_same)} ELSE 1.0 END)
                     AS weight
            FROM {EDGES} GROUP BY from_entity, to_entity ORDER BY from_entity, to_entity"""
    )
    a = pc.index_in(edges["from_entity"], value_set=names).to_numpy(zero_copy_only=False)
    b = pc.index_in(edges["to_entity"], value_set=names).to_numpy(zero_copy_only=False)
    pairs = np.column_stack([a, b]).astype(np.int64)
    graph = ig.Graph(n=len(names), edges=pairs.tolist())
    graph.es["weight"] = edges["weight"].to_numpy(zero_copy_only=False).astype(float).tolist()
    # an edge each way between two entities (a link, and an event they share) is one tie
    graph.simplify(combine_edges={"weight": "sum"})
    return graph, names, nodes["entity_type"].combine_chunks()


def neighbourhoods(graph: ig.Graph, seeds: list[int], hubs: set[int], hops: int) -> list[int]:
    """Vertices within `hops` of any seed, never walking through a hub (a hub next to a seed
    is left out; a seed is never a hub)."""
    reached, frontier = set(seeds), set(seeds)
    for _ in range(hops):
        found: set[int] = set()
        for v in frontier:
            found.update(graph.neighbors(v))
        frontier = {v for v in found - reached if v not in hubs}
        reached |= frontier
    return sorted(reached)


def communities(graph: ig.Graph, resolution: float) -> list[int]:
    """Leiden communities (modularity) of `graph`: one community number per vertex."""
    state = random.getstate()
    ig.set_random_number_generator(random.Random(_SEED))
    try:
        found = graph.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=LEIDEN_ITERATIONS,
        )
    finally:
        ig.set_random_number_generator(random)
        random.setstate(state)
    return list(found.membership)


def find_groups(engine: Engine, settings: NetworkSettings) -> pa.Table:
    """Group members (`MEMBERS_SCHEMA`) of the neighbourhoods of flagged people."""
    graph, names, types = _graph(engine, settings.in_same_weight)
    flagged = engine.query(f"SELECT entity_id FROM {FLAGGED}")["entity_id"]
    is_seed = pc.is_in(names, value_set=flagged.combine_chunks()).to_numpy(zero_copy_only=False)
    seeds = [int(i) for i in np.flatnonzero(is_seed)]
    person = pc.equal(types, "Person").to_numpy(zero_copy_only=False)
    crowded = engine.query(
        f"SELECT entity_id FROM {DEGREE} WHERE neighbour_type = 'Person' "
        f"AND entity_type <> 'Person' AND neighbours > {int(settings.max_shared)}"
    )["entity_id"]
    is_hub = pc.is_in(names, value_set=crowded.combine_chunks()).to_numpy(zero_copy_only=False)
    hubs = {int(i) for i in np.flatnonzero(is_hub & ~person & ~is_seed)}
    keep = neighbourhoods(graph, seeds, hubs, settings.group_hops)
    sub = graph.induced_subgraph(keep)
    membership = communities(sub, settings.resolution)
    component = sub.connected_components().membership
    by_community: dict[int, list[int]] = {}
    for local, community in enumerate(membership):
        by_community.setdefault(community, []).append(local)
    chosen = [m for m in by_community.values() if any(is_seed[keep[i]] for i in m)]
    chosen.sort(key=lambda m: names[keep[m[0]]].as_py())  # members ascend: [0] is smallest
    rows: dict[str, list[object]] = {f: [] for f in MEMBERS_SCHEMA.names}
    for number, members in enumerate(chosen, start=1):
        for local in members:
            v = keep[local]
            rows["group_id"].append(f"GRP-{number:05d}")
            rows["component"].append(component[local] + 1)
            rows["entity_id"].append(names[v].as_py())
            rows["entity_type"].append(types[v].as_py())
            rows["flagged"].append(bool(is_seed[v]))
    return pa.table(rows, schema=MEMBERS_SCHEMA)


def _touched(column: str) -> str:
    """Sorted distinct values of a place column over a group's members; NULL when none (an
    empty list is NULL on DuckDB but [] on Spark, so both are made NULL)."""
    return (
        f"CASE WHEN count(p.{column}) = 0 THEN NULL ELSE "
        f"list_sort(list(DISTINCT p.{column}) FILTER (WHERE p.{column} IS NOT NULL)) END"
    )


def build_groups(engine: Engine, settings: NetworkSettings) -> int:
    """Write `GROUP_MEMBERS` and `GROUPS` (size, people, flagged, sectors and divisions
    touched); the number of groups."""
    engine.create_table(GROUP_MEMBERS, find_groups(engine, settings))
    engine.create_table_as(
        GROUPS,
        f"""SELECT m.group_id, min(m.component) AS component,
                   CAST(count(*) AS BIGINT) AS members,
                   CAST(count(*) FILTER (WHERE m.entity_type = 'Person') AS BIGINT) AS people,
                   CAST(count(*) FILTER (WHERE m.flagged) AS BIGINT) AS flagged,
                   {_touched("sector")} AS sectors,
                   {_touched("division")} AS divisions
            FROM {GROUP_MEMBERS} m
            LEFT JOIN {PLACES} p ON p.entity_id = m.entity_id
            GROUP BY m.group_id""",
    )
    count = engine.scalar(f"SELECT count(*) AS n FROM {GROUPS}")
    return int(count) if isinstance(count, int) else 0
