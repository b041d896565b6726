"""Clusters of records from scored pairs, with human judgements overriding the model.

`cluster_sorted` joins pairs strongest first (a union-find): a "same" judgement joins two
records whatever the model says; a "different" judgement is a wall no pair, however strong,
crosses, and processing strongest first means that when a wall forces a choice, the
better-supported link wins. Judgements are checked with it.

Links alone chain: one record naming only "Babatunde Adebayo" links to three men of that
name and joins them all. So person clusters (`person_clusters.py`) that hold a pair of
records the model scores as different people, or a "different" judgement, are built by
`contract`, which weighs every scored pair between two groups, for and against.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

import pyarrow as pa
import pyarrow.compute as pc


def entity_pairs(assignment: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs that keep each entity of `assignment` (record → entity id) together: its first
    record with each of the others."""
    first: dict[str, str] = {}
    pairs = []
    for record, entity in sorted(assignment.items()):
        head = first.setdefault(entity, record)
        if head != record:
            pairs.append((head, record))
    return pairs


def cluster_sorted(
    records: Iterable[str],
    left: Sequence[str],
    right: Sequence[str],
    same: Iterable[tuple[str, str]] = (),
    different: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Record → cluster label (the smallest record id of its cluster), from pairs already
    sorted strongest first (`left[i]` with `right[i]`); `same` pairs join first, `different`
    pairs are walls.

    Records are numbered in Arrow and the union-find runs on a list of integers: for a
    million records and millions of pairs that is several times faster than on strings.
    """
    names = sorted(set(records).union(left, right))
    catalogue = pa.array(names, pa.string())
    parent = list(range(len(names)))
    #: root → (member, outsider) pairs it must never be joined with
    walls: dict[int, set[tuple[int, int]]] = {}

    def number(ids: Sequence[str]) -> list[int]:
        return pc.index_in(pa.array(ids, pa.string()), value_set=catalogue).to_pylist()  # type: ignore[no-any-return]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving keeps later finds short
            i = parent[i]
        return i

    def walled(ra: int, rb: int) -> bool:
        for root, other in ((ra, rb), (rb, ra)):
            for _, outsider in walls.get(root, ()):
                if find(outsider) == other:
                    return True
        return False

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra == rb or (walls and (ra in walls or rb in walls) and walled(ra, rb)):
            return
        if rb < ra:  # the smaller number (the smaller id) is the root
            ra, rb = rb, ra
        parent[rb] = ra
        if rb in walls:
            walls.setdefault(ra, set()).update(walls.pop(rb))

    wall_pairs = list(different)
    for a, b in zip(
        number([p[0] for p in wall_pairs]), number([p[1] for p in wall_pairs]), strict=True
    ):
        walls.setdefault(a, set()).add((a, b))
        walls.setdefault(b, set()).add((b, a))
    joined = list(same)
    for a, b in zip(number([p[0] for p in joined]), number([p[1] for p in joined]), strict=True):
        union(a, b)
    for a, b in zip(number(left), number(right), strict=True):
        union(a, b)
    return {name: names[find(i)] for i, name in enumerate(names)}


#: Evidence of a "same" judgement: more than the model's for or against any pair.
SAME_WEIGHT = 1e9
#: Evidence of a "different" judgement: a wall, whatever is said for the link.
DIFFERENT_WEIGHT = float("-inf")


def contract(
    records: Iterable[str],
    pairs: Iterable[tuple[str, str, float]],
    threshold: float,
    same: Iterable[tuple[str, str]] = (),
    different: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Record → cluster label (the smallest record id of its cluster), by greedy additive
    edge contraction (Keuper et al., 2015, an approximation of correlation clustering): the
    two clusters with the most evidence between them (the sum of the match weights of every
    scored pair across them) join first, and joining stops when no two clusters have
    `threshold` or more. A record that links two people (a name alone, shared by a father
    and son) joins the one the evidence favours instead of chaining them together.
    A "same" judgement counts as overwhelming evidence, a "different" one as a wall. Ties
    are broken by record numbers (ids in sorted order), so the result does not depend on
    the order of `pairs`."""
    names = sorted(set(records))
    index = {name: i for i, name in enumerate(names)}
    between: list[dict[int, float]] = [{} for _ in names]

    def add(a: str, b: str, weight: float) -> None:
        i, j = index[a], index[b]
        if i != j:
            between[i][j] = between[j][i] = between[i].get(j, 0.0) + weight

    for a, b, weight in pairs:
        add(a, b, weight)
    for a, b in same:
        add(a, b, SAME_WEIGHT)
    for a, b in different:
        add(a, b, DIFFERENT_WEIGHT)
    heap = [(-w, i, j) for i, row in enumerate(between) for j, w in row.items() if i < j]
    heap = [entry for entry in heap if -entry[0] >= threshold]
    heapq.heapify(heap)
    merged_into = list(range(len(names)))
    while heap:
        negative, i, j = heapq.heappop(heap)
        if merged_into[i] != i or merged_into[j] != j or between[i].get(j) != -negative:
            continue  # an entry made stale by an earlier join
        if len(between[i]) < len(between[j]):
            i, j = j, i  # fold the smaller neighbourhood into the larger
        merged_into[j] = i
        for k, weight in between[j].items():
            if k == i:
                continue
            total = between[i].get(k, 0.0) + weight
            between[i][k] = between[k][i] = total
            del between[k][j]
            if total >= threshold:
                heapq.heappush(heap, (-total, min(i, k), max(i, k)))
        between[j] = {}
        del between[i][j]

    def root(i: int) -> int:
        while merged_into[i] != i:
            i = merged_into[i]
        return i

    first: dict[int, str] = {}
    for i, name in enumerate(names):  # names are sorted, so the first seen is the smallest
        first.setdefault(root(i), name)
    return {name: first[root(i)] for i, name in enumerate(names)}
