"""Which earlier entities new links bridge (their records are then scored across)."""

from msht.resolve.incremental import bridged_entities


def test_entities_reached_together_by_new_links_are_bridged() -> None:
    earlier = {"a1": "A", "a2": "A", "b1": "B", "c1": "C", "d1": "D"}
    links = [
        ("new1", "a1"),
        ("new1", "new2"),  # new records linked to each other carry the bridge on
        ("new2", "b1"),
        ("new3", "c1"),  # reaches one earlier entity only
        ("a2", "a1"),  # an earlier pair inside one entity bridges nothing
    ]
    groups = bridged_entities(links, earlier)
    assert groups == {"A": 0, "B": 0}
    assert bridged_entities([("new3", "c1"), ("new4", "d1")], earlier) == {}
