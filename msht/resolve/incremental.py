"""Incremental linking: earlier entities a new record would bridge are weighed against each
other before they can join.

An incremental run keeps earlier entities whole and scores only pairs with new records, so
nothing it scores says whether two earlier entities are the same person. A new record naming
only "Babatunde Adebayo" links to two earlier men of that name; without the pairs between
their records the two would join through it. So the records of every group of earlier
entities that new links reach together are scored across entities too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyarrow as pa

from msht.engine.base import Engine
from msht.resolve.cluster import cluster_sorted
from msht.resolve.config import PersonLinkage
from msht.resolve.model import TrainedModel
from msht.resolve.person import score_across
from msht.resolve.prepare import PERSON_INPUT

#: Table of the records of bridged earlier entities, with their group and entity.
BRIDGED = "resolve_person_bridged"


def bridged_entities(
    links: Iterable[tuple[str, str]], earlier: Mapping[str, str]
) -> dict[str, str]:
    """Earlier entity → its group, for the earlier entities that links (pairs of records,
    new or earlier; `earlier` maps an earlier record to its entity) join to at least one
    other earlier entity."""

    def node(record: str) -> str:
        entity = earlier.get(record)
        return record if entity is None else f"\0{entity}"

    pairs = [(node(a), node(b)) for a, b in links]
    labels = cluster_sorted([], [a for a, _ in pairs], [b for _, b in pairs])
    groups: dict[str, set[str]] = {}
    for name, label in labels.items():
        if name.startswith("\0"):
            groups.setdefault(label, set()).add(name[1:])
    return {e: label for label, entities in groups.items() if len(entities) > 1 for e in entities}


def score_bridged(
    engine: Engine,
    config: PersonLinkage,
    model: TrainedModel,
    links: Iterable[tuple[str, str]],
    earlier: Mapping[str, str],
) -> str | None:
    """Scored pairs across the earlier entities that `links` bridge (an SQL relation on the
    engine), or None when no link bridges two."""
    groups = bridged_entities(links, earlier)
    if not groups:
        return None
    records = [r for r, e in earlier.items() if e in groups]
    engine.create_table(
        BRIDGED,
        pa.table(
            {
                "unique_id": pa.array(records, pa.string()),
                "bridge": pa.array([groups[earlier[r]] for r in records], pa.string()),
                "earlier_entity": pa.array([earlier[r] for r in records], pa.string()),
            }
        ),
    )
    engine.create_table_as(
        f"{BRIDGED}_input",
        f"SELECT p.*, b.bridge, b.earlier_entity FROM {PERSON_INPUT} p "
        f"JOIN {BRIDGED} b ON b.unique_id = p.unique_id",
    )
    return score_across(engine, config, model, f"{BRIDGED}_input")
