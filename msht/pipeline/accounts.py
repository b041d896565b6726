"""`msht user`: account changes in the project's serving store, each with an `alteration`
entry in the audit log in the same transaction (what changed, before and after; never a
password or its hash)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from msht.access.users import AccountChange, add_user, disable_user, set_password, set_role
from msht.audit.log import record
from msht.errors import MshtError
from msht.pipeline.serving import serving_session


def add_account(
    root: Path,
    username: str,
    password: str,
    role: str,
    organisation: str | None = None,
    by: str | None = None,
) -> AccountChange:
    """Add an account to the project at `root`, audited as made by `by` (default: the
    login name)."""
    return _audited(
        root,
        by,
        "account added",
        lambda session: add_user(session, username, password, role, organisation),
    )


def disable_account(root: Path, username: str, by: str | None = None) -> AccountChange:
    """Disable an account, audited as made by `by` (default: the login name)."""
    return _audited(root, by, "account disabled", lambda s: disable_user(s, username))


def change_role(
    root: Path,
    username: str,
    role: str,
    organisation: str | None = None,
    by: str | None = None,
) -> AccountChange:
    """Give an account another role (and organisation), audited as made by `by`."""
    return _audited(root, by, "role changed", lambda s: set_role(s, username, role, organisation))


def reset_password(
    root: Path, username: str, password: str, by: str | None = None
) -> AccountChange:
    """Give an account a new password and lift any lock-out, audited as made by `by`."""
    return _audited(root, by, "password reset", lambda s: set_password(s, username, password))


def login_name() -> str:
    """The operating system's login name, who a command is recorded as by default."""
    try:
        return getpass.getuser()
    except (OSError, KeyError) as exc:  # no LOGNAME/USER and no passwd entry (containers)
        raise MshtError("cannot tell who you are: give --by NAME") from exc


def _audited(
    root: Path, by: str | None, reason: str, change: Callable[[Session], AccountChange]
) -> AccountChange:
    """Make `change` and record it, committed together or not at all."""
    actor = by or login_name()
    with serving_session(root) as session:
        made = change(session)
        record(
            session,
            username=actor,
            role="admin",
            action="alteration",
            record_ids=[f"user:{made.username}"],
            reason=reason,
            detail={"action": made.action, "before": made.before, "after": made.after},
        )
    return made
