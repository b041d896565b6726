import pyarrow as pa

from msht.resolve.stable_ids import (
    CLUSTERS,
    PREVIOUS,
    Assignment,
    as_mapping,
    assign_ids,
    highest_number,
    mapping_table,
)


def _assign(
    clusters: dict[str, str], previous: dict[str, str], issued: int = 0
) -> tuple[dict[str, str], Assignment]:
    done = assign_ids(
        mapping_table(clusters, CLUSTERS), mapping_table(previous, PREVIOUS), "PER-", issued
    )
    return as_mapping(done.ids), done


def test_ids_are_kept_new_clusters_get_new_ids_and_changes_are_recorded() -> None:
    first, done = _assign({"r1": "x", "r2": "x", "r3": "y"}, {})
    assert first == {"r1": "PER-000001", "r2": "PER-000001", "r3": "PER-000002"}
    assert done.changes == [] and done.highest == 2
    # more data: r4 joins r3's entity, r5 is new
    second, done = _assign({"r1": "a", "r2": "a", "r3": "b", "r4": "b", "r5": "c"}, first)
    assert second["r1"] == "PER-000001" and second["r4"] == "PER-000002"
    assert second["r5"] == "PER-000003" and done.changes == []
    # r1 and r3's entities merge; r2 splits away
    third, done = _assign({"r1": "m", "r3": "m", "r4": "m", "r2": "s", "r5": "t"}, second)
    assert third["r3"] == third["r1"]
    kinds = {(c.kind, c.before, c.after) for c in done.changes}
    assert ("merge", ("PER-000001", "PER-000002"), (third["r1"],)) in kinds
    assert any(kind == "split" and before == ("PER-000001",) for kind, before, _ in kinds)
    assert third["r2"] not in (third["r1"], third["r5"])


def test_an_id_retired_by_a_merge_is_never_given_out_again() -> None:
    first, _ = _assign({"a": "1", "b": "2", "c": "3"}, {})
    second, done = _assign({"a": "m", "b": "2", "c": "m"}, first, issued=3)
    assert set(second.values()) == {"PER-000001", "PER-000002"} and done.highest == 3
    third, done = _assign({"a": "m", "b": "2", "c": "m", "d": "new"}, second, issued=3)
    assert third["d"] == "PER-000004" and done.highest == 4


def test_a_contested_entity_goes_to_the_cluster_with_most_of_its_records() -> None:
    # E's records split 2:1 and F's one record joins E's bigger part: that part shares two
    # records with E and one with F, so it keeps E's id; E's third record gets a new id
    previous = {"e1": "PER-000005", "e2": "PER-000005", "e3": "PER-000005", "f1": "PER-000009"}
    now, done = _assign({"e1": "x", "e2": "x", "f1": "x", "e3": "y"}, previous, issued=9)
    assert now["e1"] == now["f1"] == "PER-000005"
    assert now["e3"] == "PER-000010"
    kinds = {(c.kind, c.before, c.after) for c in done.changes}
    assert ("merge", ("PER-000005", "PER-000009"), ("PER-000005",)) in kinds
    assert ("split", ("PER-000005",), ("PER-000005", "PER-000010")) in kinds


def test_highest_number_reads_only_ids_of_the_prefix() -> None:
    ids = pa.array(["PER-000012", "ADR-000099", "PER-x", None, "PER-A7"], pa.string())
    assert highest_number(ids, "PER-") == 12
    assert highest_number(pa.array([], pa.string()), "PER-") == 0


def test_ids_past_six_digits_keep_every_digit() -> None:
    now, done = _assign({"a": "1"}, {}, issued=999_999)
    assert now["a"] == "PER-1000000" and done.highest == 1_000_000
