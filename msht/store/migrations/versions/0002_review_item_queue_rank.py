"""Review items keep their profile's score as their rank in the queue, with an index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision: the column, filled from the published profiles, and its index.
    Plain ALTER TABLE, no batch: SQLite's batch mode copies the table, and dropping the old
    copy breaks the foreign keys of the items' transitions, notes and shares."""
    op.add_column(
        "review_item", sa.Column("queue_rank", sa.Integer(), nullable=False, server_default="-1")
    )
    op.execute(
        "UPDATE review_item SET queue_rank = (SELECT profile.score FROM profile"
        " WHERE profile.entity_id = review_item.entity_id)"
        " WHERE EXISTS (SELECT 1 FROM profile WHERE profile.entity_id = review_item.entity_id)"
    )
    op.create_index("ix_review_item_queue_rank", "review_item", [sa.text("queue_rank DESC"), "id"])


def downgrade() -> None:
    """Undo this revision (SQLite 3.35 or later drops a column in place)."""
    op.drop_index("ix_review_item_queue_rank", "review_item")
    op.drop_column("review_item", "queue_rank")
