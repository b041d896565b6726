"""Alembic environment: migrations run on the connection `msht.store.migrate` hands over."""

from __future__ import annotations

from alembic import context

from msht.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
