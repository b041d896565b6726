"""The review workflow's rows: items, their transitions and notes, shares with partners,
and entity-resolution judgements. These outlive every publish."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from msht.store.base import DEFAULT_MARKING, Base, UtcDateTime


class ReviewItem(Base):
    """A cohort member's review: one per person, kept across publishes (R03)."""

    __tablename__ = "review_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(String(64), unique=True)
    """The stable entity id; no foreign key, so a review outlives a person's profile."""
    state: Mapped[str] = mapped_column(String(32), index=True)
    outcome: Mapped[str | None] = mapped_column(String(32))
    assignee: Mapped[str | None] = mapped_column(String(64))
    due: Mapped[date | None] = mapped_column(Date)
    review_by: Mapped[date | None] = mapped_column(Date)
    """When the flag must be re-justified or removed (R07)."""
    flag_removed: Mapped[bool] = mapped_column(default=False)
    """Set when a review removed the flag: the profile left every derived table (R07)."""
    close_requested_by: Mapped[str | None] = mapped_column(String(64))
    """Who asked to close: a second person must sign off (four eyes)."""
    reviewed_fingerprint: Mapped[str | None] = mapped_column(String(64))
    """The profile's fingerprint at the last review, to show what changed since."""
    reviewed_factors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    handling_code: Mapped[str] = mapped_column(String(1), default="P")
    security_marking: Mapped[str] = mapped_column(String(32), default=DEFAULT_MARKING)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    queue_rank: Mapped[int] = mapped_column(Integer, default=-1, server_default="-1")
    """The queue's order: the profile's score, copied when a run publishes, or -1 while no
    profile is published (a removed flag, a person no longer found). Kept here, with an
    index, so that a page of the queue is read in order from the index instead of every
    item being joined to its profile and sorted."""

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own mapping
    __table_args__ = (Index("ix_review_item_queue_rank", queue_rank.desc(), id),)


class Transition(Base):
    """One change of a review item's state: who, when, why (the item's full history)."""

    __tablename__ = "review_transition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_item.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(32))
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text)


class Note(Base):
    """A reviewer's note on an item."""

    __tablename__ = "review_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_item.id"), index=True)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    text: Mapped[str] = mapped_column(Text)


class Share(Base):
    """An item shared with a partner organisation; `disclosed` marks an audited release of
    handling-code C material to it (R09)."""

    __tablename__ = "review_share"
    __table_args__ = (UniqueConstraint("item_id", "organisation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_item.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(64))
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    disclosed: Mapped[bool] = mapped_column(default=False)


class JudgementRow(Base):
    """A person's verdict on whether two source records are the same human; the next run's
    entity resolution obeys it."""

    __tablename__ = "judgement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_a: Mapped[str] = mapped_column(String(160))
    record_b: Mapped[str] = mapped_column(String(160))
    verdict: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
