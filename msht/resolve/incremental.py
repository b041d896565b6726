"""Incremental linking: the earlier run's evidence counts again, and earlier entities a new
record would bridge are weighed against each other before they can join.

An incremental run keeps earlier entities whole and scores only pairs with new records, so
nothing it scores says whether two earlier entities are the same person. A new record naming
only "Babatunde Adebayo" links to two earlier men of that name; without the pairs between
their records the two would join through it. So the records of every group of earlier
entities that new links (or "same" judgements) reach together are scored across entities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from msht.engine.base import Engine
from msht.resolve.cluster import cluster_sorted
from msht.resolve.config import PersonLinkage
from msht.resolve.model import TrainedModel
from msht.resolve.outputs import PAIR_SCHEMA, all_pairs
from msht.resolve.person import score_across
from msht.resolve.prepare import PERSON_INPUT

#: Table of the records of bridged earlier entities, with their group and entity.
BRIDGED = "resolve_person_bridged"
#: Table of an incremental run's scored pairs: new, bridged and earlier, one row per pair.
INCREMENTAL_PAIRS = "resolve_incremental_pair"
#: `match_key` of the pairs scored across bridged entities (no blocking rule made them).
BRIDGED_KEY = "bridged"
#: A bridged group with more records than this is not scored across (its pairs grow with
#: the square of its size); its entities are then weighed on the evidence there is.
MOST_BRIDGED_RECORDS = 2_000


@dataclass(frozen=True)
class EarlierEvidence:
    """What an incremental run knows from before: the earlier run's scored pairs inside its
    components, its entities (record → entity id), and the "same" judgements in force."""

    pairs: pa.Table | None
    entities: Mapping[str, str]
    same: Sequence[tuple[str, str]]


def bridged_entities(
    links: Iterable[tuple[str, str]], earlier: Mapping[str, str]
) -> dict[str, int]:
    """Earlier entity → its group number, for the earlier entities that links (pairs of
    records, new or earlier; `earlier` maps an earlier record to its entity) join to at least
    one other earlier entity."""
    entity_node = "\0"  # record ids never start with it

    def node(record: str) -> str:
        entity = earlier.get(record)
        return record if entity is None else entity_node + entity

    pairs = [(node(a), node(b)) for a, b in links]
    labels = cluster_sorted([], [a for a, _ in pairs], [b for _, b in pairs])
    groups: dict[str, set[str]] = {}
    for name, label in labels.items():
        if name.startswith(entity_node):
            groups.setdefault(label, set()).add(name[1:])
    bridged = [sorted(entities) for _, entities in sorted(groups.items()) if len(entities) > 1]
    return {entity: number for number, group in enumerate(bridged) for entity in group}


def score_bridged(
    engine: Engine,
    config: PersonLinkage,
    model: TrainedModel,
    links: Iterable[tuple[str, str]],
    earlier: Mapping[str, str],
) -> str | None:
    """Scored pairs across the earlier entities that `links` bridge (an SQL relation on the
    engine, `match_key` "bridged"), or None when no link bridges two."""
    groups = bridged_entities(links, earlier)
    sizes = Counter(groups[e] for e in earlier.values() if e in groups)
    records = [
        r for r, e in earlier.items() if e in groups and sizes[groups[e]] <= MOST_BRIDGED_RECORDS
    ]
    if not records:
        return None
    engine.create_table(
        BRIDGED,
        pa.table(
            {
                "record_id": pa.array(records, pa.string()),
                "bridge": pa.array([groups[earlier[r]] for r in records], pa.int64()),
                "earlier_entity": pa.array([earlier[r] for r in records], pa.string()),
            }
        ),
    )
    engine.create_table_as(
        f"{BRIDGED}_input",
        f"SELECT p.*, b.bridge, b.earlier_entity FROM {PERSON_INPUT} p "
        f"JOIN {BRIDGED} b ON b.record_id = p.record_id",
    )
    scored = score_across(engine, config, model, f"{BRIDGED}_input")
    return (
        "(SELECT unique_id_l, unique_id_r, match_weight, match_probability, "
        f"'{BRIDGED_KEY}' AS match_key, n_l, n_r FROM {scored} AS x)"
    )


def with_earlier_evidence(
    engine: Engine,
    config: PersonLinkage,
    model: TrainedModel,
    scored: str,
    earlier: EarlierEvidence,
    threshold: float,
) -> str:
    """An incremental run's pairs to cluster, as an SQL relation: the new scored pairs, the
    pairs across earlier entities that new links or "same" judgements bridge, and the
    earlier run's evidence, one row per pair (the freshest score of a pair scored again)."""
    links = engine.query(
        f"SELECT unique_id_l, unique_id_r FROM {scored} AS s WHERE s.match_weight >= {threshold!r}"
    )
    new_links = zip(links["unique_id_l"].to_pylist(), links["unique_id_r"].to_pylist(), strict=True)
    columns = ", ".join([*PAIR_SCHEMA.names, "n_l", "n_r"])
    parts = [f"SELECT {columns}, 0 AS fresh FROM {scored} AS n"]
    across = score_bridged(engine, config, model, [*new_links, *earlier.same], earlier.entities)
    if across is not None:
        parts.append(f"SELECT {columns}, 1 AS fresh FROM {across} AS a")
    if earlier.pairs is not None:
        engine.create_table("resolve_earlier_pair", all_pairs(earlier.pairs, None))
        # record numbers change from run to run: the earlier pairs take this run's
        parts.append(
            f"SELECT {', '.join('e.' + c for c in PAIR_SCHEMA.names)}, a.unique_id AS n_l, "
            f"b.unique_id AS n_r, 2 AS fresh FROM resolve_earlier_pair e "
            f"JOIN {PERSON_INPUT} a ON a.record_id = e.unique_id_l "
            f"JOIN {PERSON_INPUT} b ON b.record_id = e.unique_id_r"
        )
    # each pair the same way round (lower record number first), its ids with its numbers
    ordered = "n_l <= n_r"
    engine.create_table_as(
        INCREMENTAL_PAIRS,
        f"""SELECT {columns} FROM (
              SELECT CASE WHEN {ordered} THEN unique_id_l ELSE unique_id_r END AS unique_id_l,
                     CASE WHEN {ordered} THEN unique_id_r ELSE unique_id_l END AS unique_id_r,
                     match_weight, match_probability, match_key,
                     least(n_l, n_r) AS n_l, greatest(n_l, n_r) AS n_r,
                     row_number() OVER (PARTITION BY least(n_l, n_r), greatest(n_l, n_r)
                                        ORDER BY fresh) AS pick
              FROM ({" UNION ALL ".join(parts)}) AS u
            ) AS d WHERE pick = 1""",
    )
    return f"(SELECT * FROM {INCREMENTAL_PAIRS})"
