"""Flags a review removed, taken out of the network before anything is counted from them
(R07: a removed flag leaves every derived table, no informal lists).

The network stage flags people from their events, before anyone has looked at them. A
review may later remove a person's flag; whether that removal still stands is known only
once the run's risk profiles exist (it stands while their evidence is unchanged), so the
pipeline asks after the risk stage and hands the people here. They leave the flagged set,
and everything counted from it is built again without them: the reach counts of the people
around them, the investigation list, and the groups (found around flagged people, so a
group only they seeded is not found at all). Their own rows stay as anyone's would: a
person whose flag was removed is a person like any other in the graph.

One exception keeps the removal from adding anything: such a person is not put on the
investigation list, though now unflagged. A review judged their flag as a potential victim;
it did not make them a suspect, and the list is never a place a removed flag leads to.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.network.groups import build_groups
from msht.network.reach import build_reach
from msht.network.settings import NetworkSettings
from msht.network.stage import NetworkReport
from msht.network.tables import FLAGGED, INVESTIGATE


def withhold_flags(
    engine: Engine, settings: NetworkSettings, people: Collection[str], built: NetworkReport
) -> NetworkReport:
    """Take `people` out of the flagged set of `engine` (the version being built) and build
    the reach, investigation list and groups again without them; `built`, the stage's
    report, with the counts that changed."""
    if not people:
        return built
    start = time.perf_counter()
    removed = pa.array(sorted(people), pa.string())
    flagged = _without(engine, FLAGGED, removed)
    build_reach(engine, settings.max_shared, settings.investigate_min_victims)
    listed = _without(engine, INVESTIGATE, removed)
    groups = build_groups(engine, settings)
    return replace(
        built,
        flagged=flagged,
        groups=groups,
        for_investigation=listed,
        seconds=built.seconds + time.perf_counter() - start,
    )


def _without(engine: Engine, table: str, removed: pa.Array) -> int:
    """Drop the rows of `removed` people from `table`; the rows left."""
    data = engine.query(f"SELECT * FROM {table}")
    hit = pc.is_in(data["entity_id"], value_set=removed)
    if pc.any(hit).as_py():
        data = data.filter(pc.invert(hit))
        engine.create_table(table, data)
    rows: int = data.num_rows
    return rows
