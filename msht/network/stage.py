"""The network stage of a run: the entity graph, its metrics and groups, from the resolved
entities."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from msht.engine.base import Engine
from msht.network.flagged import build_flagged
from msht.network.graph import build_graph
from msht.network.groups import build_groups
from msht.network.metrics import build_metrics
from msht.network.objects import build_objects
from msht.network.places import build_places
from msht.network.reach import build_reach
from msht.network.settings import NetworkSettings
from msht.network.tables import INVESTIGATE

#: Every table the stage writes starts with this (resolving again rebuilds them all).
PREFIX = "network_"


def written_by_network(table: str) -> bool:
    """Whether the network stage writes `table`."""
    return table.startswith(PREFIX)


@dataclass(frozen=True)
class NetworkReport:
    """What the stage built, for the run summary."""

    nodes: int
    edges: int
    flagged: int
    groups: int
    for_investigation: int
    seconds: float

    def as_summary(self) -> dict[str, object]:
        """The `network` section of summary.json."""
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "flagged": self.flagged,
            "groups": self.groups,
            "for_investigation": self.for_investigation,
            "seconds": round(self.seconds, 3),
        }


def network_project(
    engine: Engine,
    settings: NetworkSettings,
    divisions: Mapping[str, Sequence[str]] | None = None,
) -> NetworkReport | None:
    """Build the graph, metric and group tables on `engine` (the version being built), places
    placed in the project's `divisions` (division → districts); None when the store has no
    resolved entities."""
    if not {"resolved_entity", "resolved_record", "link"} <= set(engine.tables()):
        return None
    start = time.perf_counter()
    nodes, edges = build_graph(engine, settings.max_event_entities)
    build_places(engine, divisions or {})
    flagged = build_flagged(engine, settings.flags)
    build_metrics(engine)
    build_objects(engine, settings.at_risk_sectors)
    build_reach(engine, settings.max_shared, settings.investigate_min_victims)
    groups = build_groups(engine, settings)
    listed = engine.scalar(f"SELECT count(*) AS n FROM {INVESTIGATE}")
    return NetworkReport(
        nodes,
        edges,
        flagged,
        groups,
        int(listed) if isinstance(listed, int) else 0,
        time.perf_counter() - start,
    )
