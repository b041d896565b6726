"""Entity ids that stay the same from run to run, and a record of merges and splits.

A new cluster takes the id of the previous entity it shares most records with, provided no
other cluster shares more of that entity (ties go to the smaller id, so runs are
reproducible). Clusters with no previous entity get new ids after the highest id issued.
When two previous entities end up in one cluster that is a merge; when one previous entity's
records end up in several clusters that is a split. Both are recorded with the ids involved.

Everything is counted in Arrow, never record by record in Python: a run keeps the ids of
millions of records.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

#: Record → cluster label (`clusters`), record → previous entity id (`previous`), and
#: record → entity id (what `assign_ids` gives), as Arrow tables of two string columns.
CLUSTERS = pa.schema([("record", pa.string()), ("label", pa.string())])
PREVIOUS = pa.schema([("record", pa.string()), ("old", pa.string())])
ASSIGNED = pa.schema([("record", pa.string()), ("entity_id", pa.string())])


def mapping_table(mapping: Mapping[str, str], schema: pa.Schema) -> pa.Table:
    """A Python mapping (record → value) as a table of `schema` (small inputs, tests)."""
    return pa.table(
        [pa.array(list(mapping), pa.string()), pa.array(list(mapping.values()), pa.string())],
        schema=schema,
    )


def as_mapping(table: pa.Table) -> dict[str, str]:
    """A two-column table as a Python dict, first column → second (small data, tests)."""
    keys, values = table.column(0).to_pylist(), table.column(1).to_pylist()
    return dict(zip(keys, values, strict=True))


@dataclass(frozen=True)
class Change:
    """Ids that became other ids in one run: `kind` is merge or split."""

    kind: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    """Stable ids of one entity type's records, and how they changed since the last run."""

    ids: pa.Table
    """Record → entity id (schema `ASSIGNED`)."""
    changes: list[Change]
    highest: int
    """The highest id number ever issued, this run's included."""


def highest_number(ids: pa.Array | pa.ChunkedArray, prefix: str) -> int:
    """The highest number ending an id of `ids` that starts with `prefix` (0 when none)."""
    found = pc.extract_regex(ids, f"^{re.escape(prefix)}.*?(?P<n>[0-9]+)$")
    top = pc.max(pc.cast(pc.struct_field(found, "n"), pa.int64())).as_py()
    return int(top or 0)


def _uncontested(overlaps: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The (label, old) overlaps that are their label's only one and their old id's only
    one (such a cluster keeps that id whatever order the overlaps are taken in), and the
    rest, with their record counts."""
    labels = overlaps.group_by("label").aggregate([("old", "count")])
    olds = overlaps.group_by("old").aggregate([("label", "count")])
    counted = overlaps.join(labels, "label").join(olds, "old")
    alone = pc.and_(pc.equal(counted["old_count"], 1), pc.equal(counted["label_count"], 1))
    return counted.filter(alone).select(["label", "old"]), counted.filter(pc.invert(alone))


def _kept_ids(joined: pa.Table) -> pa.Table:
    """Label → the previous id it keeps (label, old)."""
    known = joined.filter(pc.is_valid(joined["old"]))
    overlaps = known.group_by(["label", "old"]).aggregate([("record", "count")])
    kept, contested = _uncontested(overlaps)
    order = pc.sort_indices(
        contested,
        sort_keys=[("record_count", "descending"), ("old", "ascending"), ("label", "ascending")],
    )
    ranked = contested.take(order)
    id_of: dict[str, str] = {}
    taken: set[str] = set()
    for label, old in zip(ranked["label"].to_pylist(), ranked["old"].to_pylist(), strict=True):
        if label not in id_of and old not in taken:
            id_of[label] = old
            taken.add(old)
    greedy = pa.table(
        {
            "label": pa.array(list(id_of), pa.string()),
            "old": pa.array(list(id_of.values()), pa.string()),
        }
    )
    return pa.concat_tables([kept, greedy])


def assign_ids(clusters: pa.Table, previous: pa.Table, prefix: str, issued: int = 0) -> Assignment:
    """Stable entity ids for `clusters` (schema `CLUSTERS`), given the `previous` run's
    record → entity id (schema `PREVIOUS`); also the merges and splits.

    `issued` is the highest number ever given out, so an id retired by a merge is never
    given to another entity (a note citing it must not come to mean someone else)."""
    joined = clusters.join(previous, "record", join_type="left outer")
    kept = _kept_ids(joined).rename_columns(["label", "entity_id"])
    issued = max(issued, highest_number(previous["old"], prefix))
    firsts = clusters.group_by("label").aggregate([("record", "min")])
    fresh = firsts.filter(pc.invert(pc.is_in(firsts["label"], value_set=kept["label"])))
    fresh = fresh.take(pc.sort_indices(fresh, sort_keys=[("record_min", "ascending")]))
    numbers = pa.array(range(issued + 1, issued + 1 + fresh.num_rows), pa.int64())
    new_ids = pc.binary_join_element_wise(
        prefix, pc.utf8_lpad(pc.cast(numbers, pa.string()), 6, "0"), ""
    )
    ids = pa.concat_tables([kept, pa.table({"label": fresh["label"], "entity_id": new_ids})])
    result = joined.join(ids, "label", join_type="left outer")
    moved = result.filter(pc.is_valid(result["old"]))
    return Assignment(
        result.select(["record", "entity_id"]).cast(ASSIGNED),
        _changes(moved.select(["entity_id", "old"]).rename_columns(["new", "old"])),
        issued + fresh.num_rows,
    )


def _grouped(moves: pa.Table, key: str, other: str) -> dict[str, tuple[str, ...]]:
    """`key` → its `other` ids, for keys with more than one (the rest are no change)."""
    counts = moves.group_by(key).aggregate([(other, "count")])
    several = counts.filter(pc.greater(counts[f"{other}_count"], 1))[key]
    rows = moves.filter(pc.is_in(moves[key], value_set=several))
    found: dict[str, list[str]] = defaultdict(list)
    for k, o in zip(rows[key].to_pylist(), rows[other].to_pylist(), strict=True):
        found[k].append(o)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _changes(pairs: pa.Table) -> list[Change]:
    """Merges (several old ids in one new entity) and splits (one old id in several)."""
    moves = pairs.group_by(["new", "old"]).aggregate([])
    merges = _grouped(moves, "new", "old")
    splits = _grouped(moves, "old", "new")
    changes = [Change("merge", olds, (new,)) for new, olds in sorted(merges.items())]
    changes += [Change("split", (old,), news) for old, news in sorted(splits.items())]
    return changes
