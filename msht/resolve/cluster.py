"""Clusters of records from scored pairs, with human judgements overriding the model.

Pairs join clusters strongest first (a union-find). A "same" judgement joins two records
whatever the model says; a "different" judgement is a wall: no pair, however strong, joins
two clusters that hold the two records of a "different" judgement. Processing strongest
first means that when a wall forces a choice, the better-supported link wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class Clusters:
    """A union-find over record ids that refuses joins across "different" judgements."""

    parent: dict[str, str] = field(default_factory=dict)
    #: root → (record in the cluster, record it must never share a cluster with).
    walls: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    def add(self, record: str) -> None:
        """Make sure `record` is in a cluster (alone if it is new)."""
        self.parent.setdefault(record, record)

    def find(self, record: str) -> str:
        """The root of `record`'s cluster."""
        self.add(record)
        root = record
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[record] != root:  # path compression keeps later finds short
            self.parent[record], record = root, self.parent[record]
        return root

    def separate(self, a: str, b: str) -> None:
        """Record that `a` and `b` must stay in different clusters."""
        self.walls.setdefault(self.find(a), set()).add((a, b))
        self.walls.setdefault(self.find(b), set()).add((b, a))

    def blocker(self, a: str, b: str) -> tuple[str, str] | None:
        """A "different" pair that joining `a` and `b` would put in one cluster, if any."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        for root, other_root in ((ra, rb), (rb, ra)):
            for inside, outside in sorted(self.walls.get(root, ())):
                if self.find(outside) == other_root:
                    return inside, outside
        return None

    def union(self, a: str, b: str) -> bool:
        """Join the clusters of `a` and `b` unless a wall forbids it; True if joined."""
        if self.blocker(a, b) is not None:
            return False
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if rb < ra:  # the smaller id is the root, so the result does not depend on order
            ra, rb = rb, ra
        self.parent[rb] = ra
        merged = self.walls.pop(rb, set())
        if merged:
            self.walls.setdefault(ra, set()).update(merged)
        return True

    def labels(self) -> dict[str, str]:
        """Record → the smallest record id of its cluster."""
        return {record: self.find(record) for record in self.parent}


def cluster(
    records: Iterable[str],
    pairs: Sequence[tuple[str, str, float]],
    same: Iterable[tuple[str, str]] = (),
    different: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Record → cluster label, from scored `pairs` (a, b, weight) above the threshold.

    `same` pairs join first, `different` pairs are walls; then pairs join strongest first,
    ties broken by the ids so the result never depends on input order.
    """
    clusters = Clusters()
    for record in records:
        clusters.add(record)
    for a, b in different:
        clusters.separate(a, b)
    for a, b in same:
        clusters.union(a, b)
    for a, b, _ in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        clusters.union(a, b)
    return clusters.labels()
