"""Demo accounts for `msht demo`: one per role, each with a fresh random password."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from msht.access.partners import partners
from msht.access.roles import roles
from msht.access.users import add_user, set_password
from msht.store.users import User

#: Prefix of demo user names (`demo-analyst`, …), apart from any real account's name.
PREFIX = "demo-"


def demo_users(session: Session) -> list[tuple[str, str, str]]:
    """Create `demo-<role>` for every role (a partner in the first partner organisation),
    or give an existing one a new password; return (user name, role, password) so that the
    demo can print them. Passwords are random (`secrets`), never written in code."""
    created: list[tuple[str, str, str]] = []
    for name, role in roles().items():
        username = f"{PREFIX}{name}"
        password = secrets.token_urlsafe(12)
        if session.get(User, username) is None:
            organisation = next(iter(partners())) if role.scoped else None
            add_user(session, username, password, name, organisation)
        else:
            set_password(session, username, password)
        created.append((username, name, password))
    return created
