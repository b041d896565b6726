"""The network stage of a run: the entity graph and its metrics, from the resolved entities."""

from __future__ import annotations

import time
from dataclasses import dataclass

from msht.engine.base import Engine
from msht.network.graph import build_graph
from msht.network.metrics import build_metrics

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
    seconds: float

    def as_summary(self) -> dict[str, object]:
        """The `network` section of summary.json."""
        return {"nodes": self.nodes, "edges": self.edges, "seconds": round(self.seconds, 3)}


def network_project(engine: Engine) -> NetworkReport | None:
    """Build the graph and metric tables on `engine` (the version being built); None when
    the store has no resolved entities."""
    if not {"resolved_entity", "resolved_record", "link"} <= set(engine.tables()):
        return None
    start = time.perf_counter()
    nodes, edges = build_graph(engine)
    build_metrics(engine)
    return NetworkReport(nodes, edges, time.perf_counter() - start)
