from msht.resolve.cluster import cluster


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
