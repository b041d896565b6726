"""Group commit for the audit log: consultations from many threads appended together.

Every audited view appends to one hash chain, so appends queue for the log's lock. Under load
a view that held the lock through its own transaction (lock, read the newest entry, insert,
commit: four round trips, each waiting for the interpreter lock among the server's threads)
made the lock the limit: nearly every request waited for it. A `GroupWriter` appends the
consultations of many finished reads in one short transaction of its own, and each read
waits until its entries are committed before it shows anything: no view is ever shown
without its entry, as before, but the lock is taken once per group. `AsyncGroupWriter` does
the same for reads served on an event loop (PostgreSQL's asyncio driver).
"""

from __future__ import annotations

import asyncio
import queue
import threading
import weakref
from collections import deque
from collections.abc import Callable, Collection, Hashable
from concurrent.futures import Future
from typing import Final, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from msht.audit.log import Entry, append

#: Most entries appended in one transaction.
MOST: Final = 500
#: Seconds a read waits for its entries to be committed before it fails.
WAIT: Final = 30.0
#: Seconds without work after which the writer's thread ends (the next write starts one).
IDLE: Final = 5.0


class GroupWriter:
    """Appends groups of entries to the audit log of `engine` from one thread."""

    def __init__(self, engine: Engine) -> None:
        # A weak reference: the writers are kept by engine, and a strong one would keep
        # every engine alive.
        self._engine = cast(Engine, weakref.proxy(engine))
        self._queue: queue.SimpleQueue[tuple[list[Entry], Future[None]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def write(self, entries: list[Entry]) -> None:
        """Append `entries` (in order, with others' around them) and return once they are
        committed; raises what the append raised, or TimeoutError after `WAIT` seconds."""
        if not entries:
            return
        done: Future[None] = Future()
        self._queue.put((entries, done))
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="msht-audit-writer", daemon=True
                )
                self._thread.start()
        done.result(timeout=WAIT)

    def _run(self) -> None:
        # The writer keeps one connection while it has work, rather than queueing for one from
        # the pool with the requests for each group.
        connection: Connection | None = None
        try:
            while (group := self._next_group()) is not None:
                try:
                    if connection is None:
                        connection = self._engine.connect()
                    with Session(connection) as session, session.begin():
                        append(session, [e for entries, _ in group for e in entries])
                except Exception as exc:  # every read of the group fails: none shows its data
                    for _, done in group:
                        done.set_exception(exc)
                    if connection is not None:  # perhaps broken: the next group takes a new one
                        connection.close()
                        connection = None
                    continue
                for _, done in group:
                    done.set_result(None)
        finally:
            if connection is not None:
                connection.close()

    def _next_group(self) -> list[tuple[list[Entry], Future[None]]] | None:
        """The waiting writes (up to `MOST` entries), or None once idle: the thread ends."""
        try:
            group = [self._queue.get(timeout=IDLE)]
        except queue.Empty:
            with self._lock:
                if self._queue.empty():  # else a write just queued: keep serving
                    self._thread = None
                    return None
            return self._next_group()
        count = len(group[0][0])
        while count < MOST:
            try:
                group.append(self._queue.get_nowait())
            except queue.Empty:
                break
            count += len(group[-1][0])
        return group


_WRITERS: WeakKeyDictionary[Engine, GroupWriter] = WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def group_writer(engine: Engine) -> GroupWriter:
    """The one writer of `engine`'s log in this process."""
    with _WRITERS_LOCK:
        writer = _WRITERS.get(engine)
        if writer is None:
            writer = _WRITERS[engine] = GroupWriter(engine)
        return writer


#: Which of a group's keys (who is reading) may have their reads' entries appended and their
#: reads shown, looked up in the group's transaction: a key it leaves out is refused.
Admit = Callable[[Session, set[Hashable]], set[Hashable]]

_Write = tuple[list[Entry], Hashable, asyncio.Future[bool]]


class AsyncGroupWriter:
    """`GroupWriter` for reads served on an event loop from an asyncio engine: each read
    awaits its entries' commit, and one task appends whatever has queued meanwhile, in one
    transaction a group, so no thread is woken for a view and none waits for the log's lock.
    Made per event loop (its futures and connections belong to it).

    Given `admit`, each read names who reads (its key), and the group's transaction first
    asks `admit` which of its keys still may: one query for the group where each read would
    have made its own (the web app's check that a session still stands, a fifth of a read's
    work). A refused read's entries are not appended and it is told so: it must show
    nothing."""

    def __init__(self, engine: AsyncEngine, admit: Admit | None = None) -> None:
        self._engine = engine
        self._admit = admit
        self._queue: deque[_Write] = deque()
        self._task: asyncio.Task[None] | None = None

    async def write(self, entries: list[Entry], key: Hashable = None) -> bool:
        """Append `entries` (in order, with others' around them) and return True once they
        are committed, or False, appending nothing, when the writer's `admit` refuses `key`
        (checked even without entries); raises what the append raised, or TimeoutError after
        `WAIT` seconds."""
        if self._admit is None:
            if not entries:
                return True
        elif key is None:
            raise ValueError("a writer that admits readers needs to know who reads (key)")
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((entries, key, done))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        # shielded: a read that gives up must not cancel the group its entries are in
        return await asyncio.wait_for(asyncio.shield(done), WAIT)

    async def _run(self) -> None:
        while self._queue:
            group: list[_Write] = []
            count = 0
            while self._queue and count < MOST:
                group.append(self._queue.popleft())
                count += len(group[-1][0])
            try:
                async with self._engine.begin() as connection:
                    refused = await connection.run_sync(self._append, group)
            except Exception as exc:  # every read of the group fails: none shows its data
                _settle(group, exc)
                continue
            except BaseException:  # cancelled (the worker stops): its reads fail now
                _settle(group, TimeoutError("the audit log's writer stopped"))
                raise
            _settle(group, None, refused)

    def _append(self, connection: Connection, group: list[_Write]) -> set[Hashable]:
        with Session(connection) as session:
            refused: set[Hashable] = set()
            if self._admit is not None:
                keys = {key for _, key, _ in group}
                refused = keys - self._admit(session, keys)
            append(session, [e for given, key, _ in group if key not in refused for e in given])
            return refused


def _settle(group: list[_Write], exc: Exception | None, refused: Collection[Hashable] = ()) -> None:
    for _, key, done in group:
        if done.done():  # its read timed out
            continue
        if exc is None:
            done.set_result(key not in refused)
        else:
            done.set_exception(exc)
            done.exception()  # seen: a read that timed out will not look at it
