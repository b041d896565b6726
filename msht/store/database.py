"""Which database a project serves from, and opening it at the newest schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
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


#: PostgreSQL connections each process keeps open (the web server's threads share them).
#: With 20, a fifth of the requests of 50 busy clients on two workers waited for one; the
#: audit log's writer (`msht.audit.group`) takes one of them while it is busy.
POOL_SIZE = 32


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
