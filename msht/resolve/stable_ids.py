"""Entity ids that stay the same from run to run, and a record of merges and splits.

A new cluster takes the id of the previous entity it shares most records with, provided no
other cluster shares more of that entity (ties go to the smaller id, so runs are
reproducible). Clusters with no previous entity get new ids after the highest id issued.
When two previous entities end up in one cluster that is a merge; when one previous entity's
records end up in several clusters that is a split. Both are recorded with the ids involved.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

_NUMBER = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class Change:
    """Ids that became other ids in one run: `kind` is merge or split."""

    kind: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def highest_number(ids: Iterable[str], prefix: str) -> int:
    """The highest number among `ids` that start with `prefix` (0 when none does)."""
    best = 0
    for entity_id in ids:
        if isinstance(entity_id, str) and entity_id.startswith(prefix):
            match = _NUMBER.search(entity_id)
            if match:
                best = max(best, int(match.group(1)))
    return best


def _table(mapping: Mapping[str, str], value: str) -> pa.Table:
    return pa.table(
        {
            "record": pa.array(list(mapping), pa.string()),
            value: pa.array(list(mapping.values()), pa.string()),
        }
    )


def assign_ids(
    clusters: Mapping[str, str], previous: Mapping[str, str], prefix: str, issued: int = 0
) -> tuple[dict[str, str], list[Change]]:
    """Record → stable entity id for `clusters` (record → cluster label), given the
    `previous` run's record → entity id; also the merges and splits.

    `issued` is the highest number ever given out, so an id retired by a merge is never
    given to another entity (a note citing it must not come to mean someone else).
    Counting is done in Arrow: a million records take about a second."""
    now = _table(clusters, "label")
    joined = now.join(_table(previous, "old"), "record", join_type="left outer")
    known = joined.filter(pc.is_valid(joined["old"]))
    overlaps = known.group_by(["label", "old"]).aggregate([("record", "count")])
    order = pc.sort_indices(
        overlaps,
        sort_keys=[("record_count", "descending"), ("old", "ascending"), ("label", "ascending")],
    )
    ranked = overlaps.take(order)
    id_of: dict[str, str] = {}
    taken: set[str] = set()
    for label, old in zip(ranked["label"].to_pylist(), ranked["old"].to_pylist(), strict=True):
        if label not in id_of and old not in taken:
            id_of[label] = old
            taken.add(old)
    issued = max(issued, highest_number(previous.values(), prefix))
    firsts = now.group_by("label").aggregate([("record", "min")])
    firsts = firsts.take(pc.sort_indices(firsts, sort_keys=[("record_min", "ascending")]))
    for label in firsts["label"].to_pylist():
        if label not in id_of:
            issued += 1
            id_of[label] = f"{prefix}{issued:06d}"
    ids = pa.table({"label": pa.array(list(id_of), pa.string()), "new": list(id_of.values())})
    result = joined.join(ids, "label", join_type="left outer")
    assigned = dict(zip(result["record"].to_pylist(), result["new"].to_pylist(), strict=True))
    return assigned, _changes(result.filter(pc.is_valid(result["old"])))


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
