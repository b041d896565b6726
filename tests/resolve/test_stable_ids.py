from msht.resolve.stable_ids import assign_ids


def test_ids_are_kept_new_clusters_get_new_ids_and_changes_are_recorded() -> None:
    first, changes = assign_ids({"r1": "x", "r2": "x", "r3": "y"}, {}, "PER-")
    assert first == {"r1": "PER-000001", "r2": "PER-000001", "r3": "PER-000002"}
    assert changes == []
    # more data: r4 joins r3's entity, r5 is new
    second, changes = assign_ids(
        {"r1": "a", "r2": "a", "r3": "b", "r4": "b", "r5": "c"}, first, "PER-"
    )
    assert second["r1"] == "PER-000001" and second["r4"] == "PER-000002"
    assert second["r5"] == "PER-000003" and changes == []
    # r1 and r3's entities merge; r2 splits away
    third, changes = assign_ids(
        {"r1": "m", "r3": "m", "r4": "m", "r2": "s", "r5": "t"}, second, "PER-"
    )
    assert third["r3"] == third["r1"]
    kinds = {(c.kind, c.before, c.after) for c in changes}
    assert ("merge", ("PER-000001", "PER-000002"), (third["r1"],)) in kinds
    assert any(kind == "split" and before == ("PER-000001",) for kind, before, _ in kinds)
    assert third["r2"] not in (third["r1"], third["r5"])


def test_an_id_retired_by_a_merge_is_never_given_out_again() -> None:
    first, _ = assign_ids({"a": "1", "b": "2", "c": "3"}, {}, "PER-")
    second, _ = assign_ids({"a": "m", "b": "2", "c": "m"}, first, "PER-", issued=3)
    assert set(second.values()) == {"PER-000001", "PER-000002"}
    third, _ = assign_ids({"a": "m", "b": "2", "c": "m", "d": "new"}, second, "PER-", issued=3)
    assert third["d"] == "PER-000004"
