from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.exc import OperationalError

from msht.audit import verify
from msht.audit.group import GroupWriter, group_writer
from msht.audit.log import Entry, entry
from msht.store.audit import AuditEntry
from msht.store.database import transaction


def _viewed(reader: int, n: int) -> list[Entry]:
    return [
        entry(
            username=f"user{reader}",
            role="analyst",
            action="consultation",
            record_ids=[f"PER-{reader:03d}-{n}", f"PER-{reader:03d}-{n}-b"],
            reason="safeguarding review",
        )
    ]


def test_reads_from_many_threads_land_whole_in_order_on_one_sound_chain(
    database: Engine,
) -> None:
    writer, readers, each = group_writer(database), 12, 15
    assert group_writer(database) is writer
    failures: list[BaseException] = []

    def read(reader: int) -> None:
        try:
            for n in range(each):
                writer.write(_viewed(reader, n))
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=read, args=(r,)) for r in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    with transaction(database) as session:
        rows = session.execute(
            select(AuditEntry.username, AuditEntry.record_ids).order_by(AuditEntry.seq)
        ).all()
        result = verify(session)
    assert result.ok and result.entries == readers * each
    for reader in range(readers):  # each reader's views are all there, in its own order
        mine = [ids[0] for user, ids in rows if user == f"user{reader}"]
        assert mine == [f"PER-{reader:03d}-{n}" for n in range(each)]


def test_when_the_log_cannot_be_written_every_waiting_read_fails(database: Engine) -> None:
    with transaction(database) as session:
        session.execute(text("DROP TABLE audit_entry"))
    with pytest.raises(Exception, match="audit_entry"):
        GroupWriter(database).write(_viewed(1, 1))


def test_a_writer_that_cannot_connect_fails_each_read_and_keeps_serving() -> None:
    nowhere = create_engine("postgresql+psycopg://postgres@127.0.0.1:9/none")
    writer = GroupWriter(nowhere)
    for attempt in range(2):
        with pytest.raises(OperationalError):
            writer.write(_viewed(attempt, 1))
