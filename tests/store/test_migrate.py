from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select

from msht.store.migrate import alembic_config, is_current, upgrade
from msht.store.published import Profile
from msht.store.reviews import ReviewItem
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


def test_the_queue_rank_is_filled_from_published_profiles_when_migrated(published: Engine) -> None:
    config = alembic_config()
    with published.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert not is_current(published)
    upgrade(published)
    with published.connect() as connection:
        ranks = connection.execute(
            select(ReviewItem.queue_rank, Profile.score).outerjoin(
                Profile, Profile.entity_id == ReviewItem.entity_id
            )
        ).all()
    assert ranks and all(rank == (score if score is not None else -1) for rank, score in ranks)
    assert len({rank for rank, _ in ranks}) > 3
