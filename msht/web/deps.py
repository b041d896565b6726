"""What every route depends on, declared once: the database and the signed-in actor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from msht.access.errors import AccessError
from msht.access.roles import role as role_named
from msht.access.users import SessionKey, session_current
from msht.audit.group import AsyncGroupWriter, group_writer
from msht.audit.log import Entry, collect_consultations
from msht.cases.actor import Actor
from msht.cases.errors import Forbidden
from msht.store.database import transaction
from msht.web.errors import Unauthorised
from msht.web.sessions import COOKIE, CSRF_HEADER, Sessions

T = TypeVar("T")

#: Why a request with a signed session cookie is refused after all.
_ENDED = "this session has ended (signed out, or the account changed): sign in"

#: Methods that change nothing and need no CSRF token.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The dependencies are `async def`: a `def` one runs in the thread pool, a hop to a thread
# and back with its GIL hand-overs. Under load those hops, and a transaction of its own to
# look the account up, cost more than the route's work; so the actor comes from the signed
# cookie alone, and the account is checked as the first read of the route's own transaction
# (or, for a read on the event loop, with its group's audit entries: see `read`).


async def database(request: Request) -> Engine:
    """The serving store the app was started on."""
    engine: Engine = request.app.state.database
    return engine


#: The serving store. Each route opens its own transaction on it (`signed_in(db, found)`) in
#: the thread that runs the route, so it commits before the answer is sent and never waits
#: for another thread of the pool to end it (a dependency's teardown would: under load
#: every thread could be waiting on the audit log's lock held by a request whose commit
#: needs a free thread).
DatabaseDep = Annotated[Engine, Depends(database)]


async def actor(request: Request) -> Actor:
    """The actor of the request's signed session: 401 without a valid session, 403 when a
    state-changing request lacks the session's CSRF token. The account itself is checked by
    `signed_in` before any data is read, or by `read` before any is shown."""
    sessions: Sessions = request.app.state.sessions
    data = sessions.read(request.cookies.get(COOKIE))
    if data is None:
        raise Unauthorised("sign in first (POST /api/login)")
    if request.method not in SAFE_METHODS and not data.csrf_matches(
        request.headers.get(CSRF_HEADER)
    ):
        raise Forbidden(f"missing or wrong {CSRF_HEADER} header (CSRF protection)")
    try:
        role = role_named(data.role)
    except AccessError as exc:  # a role taken out of roles.yaml holds nothing
        raise Unauthorised(f"this session's role {data.role!r} is not known") from exc
    return Actor(
        data.username, data.role, role.permissions, data.organisation, role.scoped, data.epoch
    )


def confirm(session: Session, found: Actor) -> None:
    """401 unless the actor's session still stands (the account is enabled, has the role and
    organisation the session carries, and has not signed out or changed password since)."""
    if found.epoch is None or not session_current(
        session, found.username, found.epoch, found.role, found.organisation
    ):
        raise Unauthorised(_ENDED)


@contextmanager
def signed_in(db: Engine, found: Actor) -> Iterator[Session]:
    """A route's transaction on `db`, whose first read confirms the actor's session; every
    route reads and writes through it (or calls `confirm` before doing anything else)."""
    with transaction(db) as session:
        confirm(session, found)
        yield session


@contextmanager
def reading(db: Engine, found: Actor) -> Iterator[Session]:
    """`signed_in` for a route that only reads: the consultations it records are appended
    after its transaction, in a group with other reads' (`msht.audit.group`), and before its
    answer leaves; if they cannot be, the route fails and shows nothing."""
    with signed_in(db, found) as session:
        pending = collect_consultations(session)
        yield session
    group_writer(db).write(pending)


def _collected(session: Session, view: Callable[[Session], T]) -> tuple[list[Entry], T]:
    pending = collect_consultations(session)
    return pending, view(session)


def _read_blocking(db: Engine, found: Actor, view: Callable[[Session], T]) -> T:
    with reading(db, found) as session:
        return view(session)


async def read(request: Request, found: Actor, view: Callable[[Session], T]) -> T:
    """What `view(session)` gives, once the actor's session is confirmed and the
    consultations the view records are committed to the audit log (if they cannot be, the
    read fails and shows nothing). `view` must only read.

    On PostgreSQL it runs on the event loop (`request.state.reads`, made by the app's
    lifespan): its queries are awaited, so no thread is woken and none waits for the
    interpreter lock, and it runs outside a transaction, each statement seeing what was
    committed when it began, as each statement of a read-committed transaction does: no
    BEGIN and COMMIT round trips. The session is confirmed by the audit writer, for the whole
    group of reads whose entries it appends, in the same transaction (one query for the group
    where each read made one), before anything is shown; a read whose view fails is
    confirmed too, so that a session that has ended learns nothing, not even that a record
    is missing. On SQLite, or without the lifespan, it is `reading` in the thread pool.
    (With `gc.freeze()` in the workers, `benchmarks/api.py` back to back served 788
    requests/s this way against 499 in the thread pool.)"""
    reads: AsyncEngine | None = getattr(request.state, "reads", None)
    if reads is None:
        return await run_in_threadpool(_read_blocking, request.app.state.database, found, view)
    writer: AsyncGroupWriter = request.state.audit_writer
    try:
        # its connections are in autocommit mode (`connect_async`)
        async with AsyncSession(reads, expire_on_commit=False) as session:
            pending, result = await session.run_sync(_collected, view)
    except Exception:
        await _shown(writer, [], found)
        raise
    await _shown(writer, pending, found)
    return result


async def _shown(writer: AsyncGroupWriter, entries: list[Entry], found: Actor) -> None:
    """Append `entries` with the writer's group, 401 (appending nothing) if `found`'s
    session has ended."""
    key: SessionKey = (found.username, found.epoch, found.role, found.organisation)
    if not await writer.write(entries, key):
        raise Unauthorised(_ENDED)


def check_signed_in(db: Engine, found: Actor) -> None:
    """`confirm` in a transaction of its own, for a route whose work opens its own (an
    export, a judgement) or reads no data (who am I)."""
    with signed_in(db, found):
        pass


def allowed(permission: str) -> object:
    """A dependency giving the actor when their role holds `permission`, else 403."""

    async def check(found: Annotated[Actor, Depends(actor)]) -> Actor:
        found.require(permission)
        return found

    return Depends(check)
