from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, bindparam, insert, select, text

from msht.audit import verify
from msht.audit.chain import entry_hash, hashed_fields
from msht.store.audit import AuditEntry
from msht.store.database import transaction

from .chains import ENTRIES
from .conftest import Tamper

LAST = len(ENTRIES)
TABLE = AuditEntry.__table__
FIELDS = [c.name for c in TABLE.columns]
HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    # The fixtures' log is the same for every example: each tampering is rolled back.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Text PostgreSQL can store (no NUL) to append to a field.
suffixes = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=5)


def _row(engine: Engine, seq: int) -> dict[str, Any]:
    with engine.connect() as connection:
        return dict(connection.execute(select(TABLE).where(TABLE.c.seq == seq)).mappings().one())


def _changed(field: str, old: Any, suffix: str) -> Any:
    """A different value of the same type as `old`."""
    if field == "seq":
        return 1000
    if field == "at":
        return old + timedelta(microseconds=1 + len(suffix))
    if field in ("previous_hash", "hash"):
        return "f" * 64 if old != "f" * 64 else "e" * 64
    if field == "record_ids":
        return [*old, suffix]
    if field == "detail":
        return {**old, "tampered": suffix}
    return (old or "") + suffix


def _update(field: str, seq: int, value: Any) -> tuple[Any, dict[str, Any]]:
    """An UPDATE of one field of one entry, its value bound as the column's type."""
    sql = text(f"UPDATE audit_entry SET {field} = :value WHERE seq = :seq").bindparams(
        bindparam("value", type_=TABLE.c[field].type)
    )
    return sql, {"value": value, "seq": seq}


def test_a_sound_log_verifies(chain: Engine) -> None:
    with transaction(chain) as session:
        result = verify(session)
    assert (result.ok, result.entries, result.first_bad, result.problem) == (True, LAST, None, None)


def test_an_empty_log_verifies(database: Engine) -> None:
    with transaction(database) as session:
        assert verify(session).ok and verify(session).entries == 0


@HYPOTHESIS
@given(seq=st.integers(1, LAST), field=st.sampled_from(FIELDS), suffix=suffixes)
def test_altering_any_field_of_any_entry_is_found(
    chain: Engine, tamper: Tamper, seq: int, field: str, suffix: str
) -> None:
    old = _row(chain, seq)[field]
    result = tamper(_update(field, seq, _changed(field, old, suffix)))
    assert not result.ok and result.first_bad == seq and result.entries == seq - 1
    # A changed seq leaves its old place empty.
    assert result.problem == ("removed" if field == "seq" else "altered")


@HYPOTHESIS
@given(seq=st.integers(1, LAST - 1))
def test_deleting_an_entry_is_found(tamper: Tamper, seq: int) -> None:
    result = tamper(f"DELETE FROM audit_entry WHERE seq = {seq}")
    assert (result.ok, result.first_bad, result.problem) == (False, seq, "removed")
    assert f"entry {seq} is missing" in result.explanation


def test_deleting_a_run_of_entries_names_them_all(tamper: Tamper) -> None:
    result = tamper("DELETE FROM audit_entry WHERE seq BETWEEN 2 AND 4")
    assert (result.first_bad, result.problem) == (2, "removed")
    assert "entry 2 to 4 is missing" in result.explanation


@HYPOTHESIS
@given(pair=st.lists(st.integers(1, LAST), min_size=2, max_size=2, unique=True).map(sorted))
def test_swapping_two_entries_is_found(tamper: Tamper, pair: list[int]) -> None:
    a, b = pair
    result = tamper(
        f"UPDATE audit_entry SET seq = -1 WHERE seq = {a}",
        f"UPDATE audit_entry SET seq = {a} WHERE seq = {b}",
        f"UPDATE audit_entry SET seq = {b} WHERE seq = -1",
    )
    assert (result.ok, result.first_bad, result.problem) == (False, a, "reordered")


def _forged(chain: Engine, seq: int, previous: str, sound: bool) -> tuple[Any, dict[str, Any]]:
    """A new entry at `seq` after `previous`, copying entry 1, hashed right if `sound`."""
    fields = {**hashed_fields(_row(chain, 1), seq), "reason": "forged"}
    good = entry_hash(previous, fields)
    return insert(AuditEntry), {
        **fields,
        "previous_hash": previous,
        "hash": good if sound else "0" * 63 + "1",
    }


def test_a_forged_entry_at_the_end_with_a_wrong_hash_is_found(
    chain: Engine, tamper: Tamper
) -> None:
    forged = _forged(chain, LAST + 1, _row(chain, LAST)["hash"], sound=False)
    result = tamper(forged)
    assert (result.first_bad, result.problem, result.entries) == (LAST + 1, "altered", LAST)


@HYPOTHESIS
@given(field=st.sampled_from(["reason", "username", "record_ids", "at"]), suffix=suffixes)
def test_tampering_with_the_last_entry_is_found(
    chain: Engine, tamper: Tamper, field: str, suffix: str
) -> None:
    old = _row(chain, LAST)[field]
    result = tamper(_update(field, LAST, _changed(field, old, suffix)))
    assert (result.ok, result.first_bad) == (False, LAST)


def test_an_entry_rewritten_with_a_matching_hash_is_found_by_the_next(
    chain: Engine, tamper: Tamper
) -> None:
    row = _row(chain, 3)
    fields = {**hashed_fields(row), "reason": "nothing to see"}
    result = tamper(
        (
            "UPDATE audit_entry SET reason = :reason, hash = :hash WHERE seq = 3",
            {"reason": "nothing to see", "hash": entry_hash(row["previous_hash"], fields)},
        )
    )
    assert (result.first_bad, result.problem) == (3, "altered")
    assert "entry 3 was rewritten" in result.explanation


def _renumber(step: int, start: int) -> list[str]:
    """Move every entry from seq `start` on by `step` (through negative seqs, so that no two
    rows share a seq on the way)."""
    return [
        f"UPDATE audit_entry SET seq = -seq WHERE seq >= {start}",
        f"UPDATE audit_entry SET seq = -seq + {step} WHERE seq < 0",
    ]


def test_a_removal_hidden_by_renumbering_is_found(tamper: Tamper) -> None:
    result = tamper("DELETE FROM audit_entry WHERE seq = 3", *_renumber(-1, 4))
    assert (result.first_bad, result.problem) == (3, "removed")


def test_an_insertion_made_room_for_by_renumbering_is_found(chain: Engine, tamper: Tamper) -> None:
    forged = _forged(chain, 3, _row(chain, 2)["hash"], sound=True)
    result = tamper(*_renumber(1, 3), forged)
    assert (result.first_bad, result.problem) == (3, "inserted")


def test_checking_can_stop_at_a_given_entry(chain: Engine) -> None:
    with transaction(chain) as session:
        result = verify(session, through=3)
    assert result.ok and result.entries == 3 and result.last_hash == _row(chain, 3)["hash"]


def test_cutting_off_the_newest_entries_shows_only_against_a_known_head(
    tamper: Tamper, chain: Engine
) -> None:
    # A hash chain cannot see its own end cut off; the head hash given to the ICO in each
    # export can: the log no longer reaches it.
    head = _row(chain, LAST)["hash"]
    result = tamper(f"DELETE FROM audit_entry WHERE seq = {LAST}")
    assert result.ok and result.entries == LAST - 1 and result.last_hash != head
