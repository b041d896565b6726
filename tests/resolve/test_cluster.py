from collections.abc import Iterable, Sequence

from msht.resolve.cluster import cluster_sorted, contract


def cluster(
    records: Iterable[str],
    pairs: Sequence[tuple[str, str, float]],
    same: Iterable[tuple[str, str]] = (),
    different: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """`cluster_sorted` on pairs sorted strongest first, ties by ids."""
    ordered = sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))
    return cluster_sorted(
        records, [p[0] for p in ordered], [p[1] for p in ordered], same, different
    )


def test_pairs_join_strongest_first_and_walls_hold() -> None:
    records = ["a", "b", "c", "d"]
    pairs = [("a", "b", 10.0), ("b", "c", 5.0), ("c", "d", 8.0)]
    assert len(set(cluster(records, pairs).values())) == 1
    labels = cluster(records, pairs, different=[("a", "d")])
    # a-b (10) and c-d (8) join first; b-c (5) would put a with d, so it is refused
    assert labels["a"] == labels["b"] != labels["c"] == labels["d"]


def test_same_joins_without_any_pair_and_result_ignores_order() -> None:
    labels = cluster(["x", "y", "z"], [], same=[("x", "z")])
    assert labels["x"] == labels["z"] != labels["y"]
    pairs = [("a", "b", 1.0), ("b", "c", 1.0)]
    assert cluster("abc", pairs) == cluster("cba", list(reversed(pairs)))


def test_contract_keeps_apart_people_one_vague_record_links() -> None:
    # Three men of one name, each with two records that agree strongly; a record naming only
    # "Babatunde Adebayo" links to every one of them, but their records disagree on birth date.
    people = {"a": ("a1", "a2"), "b": ("b1", "b2"), "c": ("c1", "c2")}
    pairs = [(x, y, 20.0) for x, y in people.values()]
    pairs += [("name", r, 4.0 + 0.1 * i) for i, r in enumerate(["a1", "a2", "b1", "b2", "c1"])]
    pairs += [(x, y, -12.0) for x in ("a1", "a2") for y in ("b1", "b2", "c1", "c2")]
    pairs += [(x, y, -12.0) for x in ("b1", "b2") for y in ("c1", "c2")]
    records = ["name", *[r for rs in people.values() for r in rs]]
    chained = cluster(records, [p for p in pairs if p[2] >= 2.0])
    assert len(set(chained.values())) == 1  # links alone chain all three
    labels = contract(records, pairs, threshold=2.0)
    assert labels["a1"] == labels["a2"] != labels["b1"] == labels["b2"] != labels["c1"]
    assert labels["c1"] == labels["c2"] != labels["a1"]
    # the vague record joins the man with most evidence for it (b: 4.2 + 4.3)
    assert labels["name"] == labels["b1"] == "b1"


def test_contract_sums_evidence_and_obeys_judgements() -> None:
    # no pair reaches the threshold alone, but together the two records are linked
    pairs = [("x", "y", 1.5), ("x", "y", 1.5)]
    assert contract("xy", pairs, threshold=2.0) == {"x": "x", "y": "x"}
    assert contract("xy", pairs, threshold=4.0) == {"x": "x", "y": "y"}
    strong = [("p", "q", 30.0), ("q", "r", 30.0)]
    labels = contract("pqr", strong, 2.0, different=[("p", "r")])
    assert labels["p"] == labels["q"] != labels["r"]  # the "different" wins, p-q first by id
    labels = contract("pqr", [("p", "q", -40.0)], 2.0, same=[("p", "q"), ("q", "r")])
    assert len(set(labels.values())) == 1
