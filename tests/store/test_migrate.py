from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from msht.store.migrate import is_current, upgrade
from msht.store.tables import Base


def test_migrations_build_exactly_the_declared_tables(database: Engine) -> None:
    with database.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert set(Base.metadata.tables) <= set(inspect(database).get_table_names())
    assert is_current(database)


def test_upgrading_twice_changes_nothing(database: Engine) -> None:
    upgrade(database)
    assert is_current(database)
