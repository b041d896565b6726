"""What a run publishes: entities, profiles and their evidence, signs and groups.

A publish replaces these rows in one transaction; they are keyed on the pipeline's stable
entity ids, so review items (in `reviews`) stay attached across runs.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from msht.store.base import DEFAULT_MARKING, Base, UtcDateTime


class Publication(Base):
    """One publish of a run into the serving store."""

    __tablename__ = "publication"

    run_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    rule_set_version: Mapped[str | None] = mapped_column(String(32))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)


class Entity(Base):
    """The summary of one resolved entity a reviewer needs (person, place, object)."""

    __tablename__ = "entity"

    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    label: Mapped[str] = mapped_column(Text)
    birth_date: Mapped[date | None] = mapped_column(Date)
    division: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)
    """Where the person lives: hidden from partners (R19)."""
    contact: Mapped[str | None] = mapped_column(Text)
    """Phones and e-mail: hidden from partners (R19)."""
    records: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """The source records the entity was resolved from (system, record id)."""
    run_id: Mapped[str] = mapped_column(String(64))


class Profile(Base):
    """A potential victim's risk profile: a transparent sum of named factors (R02)."""

    __tablename__ = "profile"

    entity_id: Mapped[str] = mapped_column(
        ForeignKey("entity.entity_id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[int] = mapped_column(Integer)
    tier: Mapped[str] = mapped_column(String(16))
    groups: Mapped[int] = mapped_column(Integer)
    cohort: Mapped[bool] = mapped_column(Boolean, index=True)
    factors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    """Hash of the factors and evidence: tells a re-published profile that changed."""
    rule_set_version: Mapped[str] = mapped_column(String(32))
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    review_by: Mapped[date] = mapped_column(Date)
    handling_code: Mapped[str] = mapped_column(String(1), default="P")
    """The strictest 3x5x2 handling code of its evidence: C is never shown to partners
    without a disclosure."""
    security_marking: Mapped[str] = mapped_column(String(32), default=DEFAULT_MARKING)
    run_id: Mapped[str] = mapped_column(String(64))


class Evidence(Base):
    """One item of evidence behind a factor of a profile (R02, R11)."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(
        ForeignKey("profile.entity_id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[str] = mapped_column(String(64))
    rule_version: Mapped[int] = mapped_column(Integer)
    source_system: Mapped[str | None] = mapped_column(String(64))
    record_id: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[str | None] = mapped_column(Text)
    grading: Mapped[str | None] = mapped_column(String(8))
    handling_code: Mapped[str | None] = mapped_column(String(1))
    event_date: Mapped[date | None] = mapped_column(Date)


class SignHit(Base):
    """A sign of exploitation found in a record about a published person."""

    __tablename__ = "sign_hit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(
        ForeignKey("entity.entity_id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[str] = mapped_column(String(32))
    source_system: Mapped[str | None] = mapped_column(String(64))
    record_id: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str | None] = mapped_column(Text)
    grading: Mapped[str | None] = mapped_column(String(8))
    event_date: Mapped[date | None] = mapped_column(Date)


class GroupMember(Base):
    """Membership of a network group (issue 4's groups around flagged people)."""

    __tablename__ = "group_member"

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[str] = mapped_column(
        ForeignKey("entity.entity_id", ondelete="CASCADE"), primary_key=True
    )
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
