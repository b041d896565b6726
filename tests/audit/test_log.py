from __future__ import annotations

import itertools
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from msht.audit import ACTIONS, AuditError, record, verify
from msht.audit.chain import GENESIS, entries, is_sound
from msht.store.audit import AuditEntry
from msht.store.database import connect, transaction

from .chains import ENTRIES, fill


def test_entries_chain_from_sixty_four_zeros(chain: Engine) -> None:
    with transaction(chain) as session:
        rows = list(entries(session))
        result = verify(session)
    assert [r["seq"] for r in rows] == list(range(1, len(ENTRIES) + 1))
    assert rows[0]["previous_hash"] == GENESIS
    assert all(b["previous_hash"] == a["hash"] for a, b in itertools.pairwise(rows))
    assert all(is_sound(r) for r in rows)
    assert all(r["at"].tzinfo is not None for r in rows)
    assert result.ok and result.entries == len(ENTRIES) and result.last_hash == rows[-1]["hash"]


def test_an_entry_commits_or_rolls_back_with_the_change(database: Engine) -> None:
    with pytest.raises(RuntimeError), transaction(database) as session:
        fill(session, ENTRIES[:2])
        raise RuntimeError("the change failed")
    with transaction(database) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        fill(session, ENTRIES[:1])
    with transaction(database) as session:
        assert [r["seq"] for r in entries(session)] == [1]


def test_detail_is_stored_exactly_as_it_was_hashed(database: Engine) -> None:
    with transaction(database) as session:
        fill(session, [{"action": "export", "recipient": "ICO", "detail": {"span": (1, 2)}}])
    with transaction(database) as session:
        (row,) = entries(session)
        assert row["detail"] == {"span": [1, 2]} and verify(session).ok


def test_times_never_go_backwards(database: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with transaction(database) as session:
        fill(session, ENTRIES[:1])
        first = session.scalar(select(AuditEntry.at))
    monkeypatch.setattr("msht.audit.log.utcnow", lambda: datetime(2000, 1, 1, tzinfo=UTC))
    with transaction(database) as session:
        fill(session, ENTRIES[1:2])
        assert session.scalar(select(func.max(AuditEntry.at))) == first


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": ""}, "needs a reason"),
        ({"reason": "  "}, "needs a reason"),
        ({"action": "disclosure"}, "needs a recipient"),
        ({"action": "export", "recipient": " "}, "needs a recipient"),
        ({"action": "viewing"}, "unknown audit action 'viewing'"),
        ({"record_ids": "PER-000001"}, "list of record id strings"),
        ({"record_ids": [1]}, "list of record id strings"),
        ({"username": ""}, "username must be 1 to 64"),
        ({"role": "r" * 17}, "role must be 1 to 16"),
        ({"detail": {"when": datetime.now(UTC)}}, "detail must be plain JSON"),
        ({"detail": {"score": float("nan")}}, "detail must be plain JSON"),
    ],
)
def test_an_entry_the_law_or_the_table_would_not_accept_is_refused(
    database: Engine, change: dict[str, Any], message: str
) -> None:
    fields: dict[str, Any] = {
        "username": "a.khan",
        "role": "analyst",
        "action": "consultation",
        "record_ids": ["PER-000001"],
        "reason": "review",
        **change,
    }
    with transaction(database) as session:
        with pytest.raises(AuditError, match=message):
            record(session, **fields)
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_the_actions_are_the_s62_operations_and_sign_in() -> None:
    assert set(ACTIONS) == {
        "collection",
        "alteration",
        "consultation",
        "disclosure",
        "export",
        "combination",
        "erasure",
        "access",
    }
    assert all(ACTIONS.values())


def test_concurrent_appends_keep_one_chain(database: Engine) -> None:
    writers, each = 6, 8
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def append(writer: int) -> None:
        try:
            start.wait()
            for n in range(each):
                # One transaction per entry, each a read of the head then a write, as a web
                # request would do it; every writer has its own connection.
                with transaction(database) as session:
                    session.execute(select(func.count()).select_from(AuditEntry))
                    fill(session, [{"action": "consultation", "record_ids": [f"W{writer}-{n}"]}])
        except BaseException as exc:  # reported to the test's thread below
            failures.append(exc)

    threads = [threading.Thread(target=append, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with transaction(database) as session:
        result = verify(session)
        ids = sorted(i for r in entries(session) for i in r["record_ids"])
    assert result.ok and result.entries == writers * each
    assert ids == sorted(f"W{w}-{n}" for w in range(writers) for n in range(each))


def _append_from_another_process(url: str, writer: int, each: int, start: Any) -> None:
    engine = connect(url)
    start.wait(timeout=60)
    for n in range(each):
        with transaction(engine) as session:
            fill(session, [{"action": "access", "record_ids": [f"P{writer}-{n}"]}])
    engine.dispose()


def test_processes_appending_at_once_keep_one_chain(database_url: str, database: Engine) -> None:
    writers, each = 3, 10
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager, ProcessPoolExecutor(writers, mp_context=spawn) as pool:
        start = manager.Barrier(writers)
        done = [
            pool.submit(_append_from_another_process, database_url, w, each, start)
            for w in range(writers)
        ]
        for future in done:
            future.result()
    with transaction(database) as session:
        result = verify(session)
    assert result.ok and result.entries == writers * each


def test_the_log_is_not_appended_outside_a_transaction(database: Engine) -> None:
    # Autocommit (as the API's reads on PostgreSQL run) would end the log's lock with its own
    # statement, letting two writers append after the same entry.
    with database.connect() as plain:
        connection = plain.execution_options(isolation_level="AUTOCOMMIT")
        with Session(connection) as session, pytest.raises(AuditError, match="transaction"):
            record(
                session,
                username="ana",
                role="analyst",
                action="consultation",
                record_ids=["PER-1"],
                reason="safeguarding review",
            )
    with transaction(database) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
