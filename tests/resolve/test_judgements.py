from pathlib import Path

import pytest

from msht.errors import MshtError
from msht.resolve.judgements import add_judgement, constraints, read_judgements

KNOWN = {"a", "b", "c", "d"}


def test_judgements_are_stored_with_user_time_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "judgements.jsonl"
    made = add_judgement(path, "same", "a", "b", "ann", "same passport photo", KNOWN)
    stored = read_judgements(path)
    assert stored == [made] and made.by == "ann" and made.at.endswith("+00:00")
    assert constraints(stored) == ([("a", "b")], [])


def test_a_same_that_would_cross_a_different_is_refused_naming_the_conflict(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    add_judgement(path, "different", "a", "c", "ann", "different mothers", KNOWN)
    add_judgement(path, "same", "a", "b", "bob", "same phone", KNOWN)
    with pytest.raises(MshtError, match="would join a and c, judged different"):
        add_judgement(path, "same", "b", "c", "cat", "looks alike", KNOWN)
    with pytest.raises(MshtError, match="record 'unsure' first"):
        add_judgement(path, "same", "a", "c", "cat", "changed my mind", KNOWN)
    add_judgement(path, "unsure", "a", "c", "cat", "withdrawn", KNOWN)
    add_judgement(path, "same", "b", "c", "cat", "now allowed", KNOWN)
    assert len(read_judgements(path)) == 4


def test_unknown_records_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MshtError, match="unknown person record 'zz'"):
        add_judgement(tmp_path / "j.jsonl", "same", "a", "zz", "ann", "x", KNOWN)


def test_a_same_bridging_a_different_through_a_model_entity_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    entities = {"b": "PER-1", "c": "PER-1", "a": "PER-2", "d": "PER-3"}
    add_judgement(path, "different", "a", "b", "ann", "not her", KNOWN, entities)
    with pytest.raises(MshtError, match="would join a and b"):
        add_judgement(path, "same", "a", "c", "bob", "same phone", KNOWN, entities)
    add_judgement(path, "same", "a", "d", "bob", "same phone", KNOWN, entities)
