"""Entity ids that stay the same from run to run, and a record of merges and splits.

A new cluster takes the id of the previous entity it shares most records with, provided no
other cluster shares more of that entity (ties go to the smaller id, so runs are
reproducible). Clusters with no previous entity get new ids after the highest id issued.
When two previous entities end up in one cluster that is a merge; when one previous entity's
records end up in several clusters that is a split. Both are recorded with the ids involved.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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


def assign_ids(
    clusters: Mapping[str, str], previous: Mapping[str, str], prefix: str, issued: int = 0
) -> tuple[dict[str, str], list[Change]]:
    """Record → stable entity id for `clusters` (record → cluster label), given the
    `previous` run's record → entity id; also the merges and splits.

    `issued` is the highest number ever given out, so an id retired by a merge is never
    given to another entity (a note citing it must not come to mean someone else)."""
    members: dict[str, list[str]] = defaultdict(list)
    for record, label in clusters.items():
        members[label].append(record)
    overlaps: list[tuple[int, str, str]] = []
    for label, records in members.items():
        shared = Counter(previous[r] for r in records if r in previous)
        overlaps += [(count, old, label) for old, count in shared.items()]
    overlaps.sort(key=lambda o: (-o[0], o[1], o[2]))
    id_of: dict[str, str] = {}
    taken: set[str] = set()
    for _, old, label in overlaps:
        if label not in id_of and old not in taken:
            id_of[label] = old
            taken.add(old)
    issued = max(issued, highest_number(previous.values(), prefix))
    for label in sorted((lb for lb in members if lb not in id_of), key=lambda lb: min(members[lb])):
        issued += 1
        id_of[label] = f"{prefix}{issued:06d}"
    assigned = {record: id_of[label] for record, label in clusters.items()}
    return assigned, _changes(assigned, previous)


def _changes(assigned: Mapping[str, str], previous: Mapping[str, str]) -> list[Change]:
    sources: dict[str, set[str]] = defaultdict(set)  # new id → previous ids of its records
    targets: dict[str, set[str]] = defaultdict(set)  # previous id → new ids of its records
    for record, new in assigned.items():
        old = previous.get(record)
        if old is not None:
            sources[new].add(old)
            targets[old].add(new)
    changes = [
        Change("merge", tuple(sorted(olds)), (new,))
        for new, olds in sorted(sources.items())
        if len(olds) > 1
    ]
    changes += [
        Change("split", (old,), tuple(sorted(news)))
        for old, news in sorted(targets.items())
        if len(news) > 1
    ]
    return changes
