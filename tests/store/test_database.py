"""Which database failures are temporary (the API answers 503) and which are not, on real
errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from msht.store.database import temporary_failure


def _raised(engine: sa.Engine, sql: str = "SELECT 1") -> OperationalError:
    with pytest.raises(OperationalError) as caught, engine.connect() as connection:
        connection.execute(sa.text(sql))
    return caught.value


def test_sqlite_errors_are_never_a_store_out_of_reach(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        assert not temporary_failure(_raised(engine, "SELECT * FROM missing"))
        # the word "connect" in a column's name is not a failure to connect
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE t (a INTEGER)"))
        assert not temporary_failure(_raised(engine, "SELECT connected_at FROM t"))
    finally:
        engine.dispose()


def test_an_unreachable_postgresql_is_temporary() -> None:
    nowhere = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:9/none")
    assert temporary_failure(_raised(nowhere))


@pytest.fixture
def postgres(database_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_wrong_setting_or_a_failed_statement_is_not(postgres: sa.Engine) -> None:
    no_database = sa.create_engine(postgres.url.set(database="msht_no_such_database"))
    try:
        assert not temporary_failure(_raised(no_database))
    finally:
        no_database.dispose()
    cancelled = _raised(postgres, "SET statement_timeout = 1; SELECT pg_sleep(1)")
    assert getattr(cancelled.orig, "sqlstate", None) == "57014"
    assert not temporary_failure(cancelled)
