"""People who may sign in, with their role and, for partners, their organisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from msht.store.base import Base, UtcDateTime


class User(Base):
    """One account. The password is kept only as an argon2 hash."""

    __tablename__ = "app_user"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str | None] = mapped_column(String(64))
    """The partner organisation a partner is scoped to (GLAA, a council, an NGO…)."""
    disabled: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    """Raised on sign-out, a new password, a new role or disabling: every session signed
    with an older value stops working."""
