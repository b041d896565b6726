from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Hashable

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import Session

from msht.audit import verify
from msht.audit.group import Admit, AsyncGroupWriter, GroupWriter, group_writer
from msht.audit.log import Entry, entry
from msht.store.audit import AuditEntry
from msht.store.database import connect_async, transaction


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


def _on_loop(
    database: Engine,
    work: Callable[[AsyncGroupWriter], Awaitable[None]],
    admit: Admit | None = None,
) -> None:
    """`work` on a new event loop, with a writer on an asyncio engine on `database`."""

    async def main() -> None:
        reads = connect_async(database)
        assert reads is not None
        try:
            await work(AsyncGroupWriter(reads, admit))
        finally:
            await reads.dispose()

    asyncio.run(main())


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_reads_on_an_event_loop_land_whole_in_order_on_one_sound_chain(
    database: Engine,
) -> None:
    readers, each = 12, 15

    async def work(writer: AsyncGroupWriter) -> None:
        async def read(reader: int) -> None:
            for n in range(each):
                await writer.write(_viewed(reader, n))

        await asyncio.gather(*(read(r) for r in range(readers)))

    _on_loop(database, work)
    with transaction(database) as session:
        rows = session.execute(
            select(AuditEntry.username, AuditEntry.record_ids, AuditEntry.at).order_by(
                AuditEntry.seq
            )
        ).all()
        result = verify(session)
    assert result.ok and result.entries == readers * each
    for reader in range(readers):  # each reader's views are all there, in its own order
        mine = [ids[0] for user, ids, _ in rows if user == f"user{reader}"]
        assert mine == [f"PER-{reader:03d}-{n}" for n in range(each)]
    # appended in groups: the entries of one transaction share its time
    assert len({at for _, _, at in rows}) < readers * each


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_an_event_loop_every_read_fails_when_the_log_cannot_be_written(
    database: Engine,
) -> None:
    with transaction(database) as session:
        session.execute(text("DROP TABLE audit_entry"))
    failed: list[BaseException | None] = []

    async def work(writer: AsyncGroupWriter) -> None:
        found = await asyncio.gather(
            *(writer.write(_viewed(r, 1)) for r in range(5)), return_exceptions=True
        )
        failed.extend(f if isinstance(f, BaseException) else None for f in found)

    _on_loop(database, work)
    assert len(failed) == 5 and all(f is not None and "audit_entry" in str(f) for f in failed)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_an_event_loop_a_refused_readers_entries_are_not_appended(database: Engine) -> None:
    asked: list[set[Hashable]] = []

    def admit(_session: Session, keys: set[Hashable]) -> set[Hashable]:
        asked.append(set(keys))
        return {key for key in keys if key != "user1"}

    told: list[bool] = []

    async def work(writer: AsyncGroupWriter) -> None:
        reads = [writer.write(_viewed(r, 1), f"user{r}") for r in range(4)]
        told.extend(await asyncio.gather(*reads, writer.write([], "user1")))

    _on_loop(database, work, admit)
    assert told == [True, False, True, True, False]  # with no entries, still checked
    assert asked and set().union(*asked) == {"user0", "user1", "user2", "user3"}
    assert len(asked) < 5  # the keys of a group are checked together
    with transaction(database) as session:
        users = session.scalars(select(AuditEntry.username).order_by(AuditEntry.seq)).all()
        assert verify(session).ok
    assert sorted(users) == ["user0", "user2", "user3"]


def test_a_writer_that_admits_readers_refuses_a_write_that_names_none() -> None:
    engine = create_async_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # never used

    async def write() -> None:
        await AsyncGroupWriter(engine, lambda _s, keys: keys).write(_viewed(1, 1))

    with pytest.raises(ValueError, match="who reads"):
        asyncio.run(write())
