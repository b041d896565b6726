"""Which database a project serves from, and opening it at the newest schema."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import Session

from msht.errors import ConfigError
from msht.settings import settings


def database_url(root: Path, configured: str) -> str:
    """The serving store's URL: `MSHT_DATABASE_URL`, else the project's `database_url`, with
    a relative SQLite path taken from the project folder and PostgreSQL on psycopg 3."""
    text = settings().database_url or configured
    try:
        url = make_url(text)
    except Exception as exc:  # sqlalchemy raises ArgumentError with the reason
        raise ConfigError("msht.yaml", "database_url", f"{text!r} is not a database URL") from exc
    if url.drivername == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.is_absolute():
            url = url.set(database=str((root / path).resolve()))
    elif url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    elif url.drivername not in ("sqlite", "postgresql+psycopg"):
        raise ConfigError(
            "msht.yaml",
            "database_url",
            f"{url.drivername} is not supported: use sqlite or postgresql",
        )
    return url.render_as_string(hide_password=False)


#: PostgreSQL connections each process keeps open (the web server's threads share them for
#: sign-ins and changes; its reads have their own, `ASYNC_POOL_SIZE`). A web worker may so hold
#: 32 in all: two workers stay within PostgreSQL's default 100 connections, three barely.
POOL_SIZE = 16


def connect(url: str) -> Engine:
    """An engine on `url`; SQLite gets foreign keys, WAL and a wait for locks, since the web
    app and a publishing run share the file."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A fixed pool, no overflow: an overflow connection is closed when handed back, so under
    # load every request paid for a new PostgreSQL backend. A request that finds all
    # POOL_SIZE in use waits for one (up to 30 s, then 503).
    # A host that drops packets would hold each request for the system's TCP timeout
    # (minutes): give up connecting after 10 s (then 503).
    return create_engine(
        url,
        pool_size=POOL_SIZE,
        max_overflow=0,
        pool_timeout=30,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10},
    )


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def new_session(engine: Engine) -> Session:
    """A session on `engine` that keeps loaded values after commit. A plain `Session`, not
    one from a new `sessionmaker`: each sessionmaker makes a Session subclass, whose event
    set-up cost more than a short transaction's queries (measured in the API)."""
    return Session(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One session in one transaction: committed when the block ends, rolled back on any
    error, so nothing is half-written."""
    with new_session(engine) as session, session.begin():
        yield session


#: SQLSTATEs of a database that cannot take a request now but may shortly: connection
#: failures (08000 to 08006, not 08P01, a protocol violation), too many connections
#: (53300), shutting down or starting up (57P01 to 57P03).
_TEMPORARY = frozenset(
    {"08000", "08001", "08003", "08004", "08006", "53300", "57P01", "57P02", "57P03"}
)
#: What PostgreSQL's driver says when it cannot connect for a reason that passes (psycopg's
#: connect failures carry no SQLSTATE). Any other failure to connect (no such database or
#: role, a refused password, an unknown host) is a setting to fix.
_TEMPORARY_CONNECT = (
    "connection refused",
    "timeout expired",
    "too many connections",
    "too many clients",
    "remaining connection slots",
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "server closed the connection",
)


def temporary_failure(exc: OperationalError) -> bool:
    """Whether the database could not be reached or refused a connection for now (the work
    may succeed if tried again later), rather than failing on the work itself or on a
    setting. A lost connection counts: a write it carried either committed or not, and the
    review workflow's version checks refuse a repeated change."""
    if exc.connection_invalidated:
        return True
    state = getattr(exc.orig, "sqlstate", None)
    if state is not None:
        return str(state) in _TEMPORARY
    if not type(exc.orig).__module__.startswith("psycopg"):
        return False  # SQLite's errors carry no SQLSTATE and none is about reaching it
    said = str(exc.orig).lower()
    return any(reason in said for reason in _TEMPORARY_CONNECT)


#: PostgreSQL connections each web worker keeps for reads served on its event loop. A read
#: holds one only while its queries run; 16 kept two workers' 50 busy clients from waiting.
ASYNC_POOL_SIZE = 16

#: Connections of a web worker's audit writer, which appends one group at a time.
WRITER_POOL_SIZE = 2


def connect_async(
    engine: Engine, *, autocommit: bool = False, pool_size: int = ASYNC_POOL_SIZE
) -> AsyncEngine | None:
    """An asyncio engine on the same PostgreSQL database as `engine` (psycopg's asyncio
    driver), for the web app's reads (`autocommit`: each statement its own, no BEGIN or
    COMMIT, set once per connection rather than at each use) or its audit writer; None for
    SQLite, whose driver only blocks. Connections are not pinged before use: the ping was a
    round trip on every read (measured: 622 against 788 requests/s). When PostgreSQL drops
    its connections (a restart), the reads using one at that moment fail with 503 and
    Retry-After (and, if the audit writer's was one, the reads of its group); SQLAlchemy then
    renews the whole pool and later reads are served."""
    if engine.dialect.name != "postgresql":
        return None
    return create_async_engine(
        engine.url,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=30,
        **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}),
        # named, so that whoever looks at PostgreSQL's connections knows whose these are
        connect_args={"connect_timeout": 10, "application_name": f"msht web {os.getpid()}"},
    )
