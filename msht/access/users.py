"""Accounts: adding, disabling, changing role or password, and signing in with lock-out.

Each change returns an AccountChange (what changed, before and after) for the caller to
write to the audit log. Nothing here commits: the caller's transaction does.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from msht.access import passwords
from msht.access.errors import (
    AccessError,
    AccountDisabled,
    AccountLocked,
    BadCredentials,
    NoSuchUser,
    SignInRefused,
)
from msht.access.partners import partner
from msht.access.roles import role as find_role
from msht.store.base import utcnow
from msht.store.database import transaction
from msht.store.users import User

#: Failed sign-ins in a row that lock an account (the count restarts after the lock).
MAX_FAILURES = 5
#: How long a locked account stays locked; a correct password during it is refused too.
LOCK_FOR = timedelta(minutes=15)

#: User names: lower case letters, digits, `.`, `_` and `-`, at most 64 characters.
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")

Value = str | bool | None


@dataclass(frozen=True)
class AccountChange:
    """What an account command changed, for the audit log (no password or hash in it)."""

    username: str
    action: str
    """`add`, `disable`, `role` or `password`."""
    before: dict[str, Value] = field(default_factory=dict)
    after: dict[str, Value] = field(default_factory=dict)


def add_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    organisation: str | None = None,
    now: datetime | None = None,
) -> AccountChange:
    """Add an account; a partner needs an organisation from partners.yaml, other roles
    must not have one; the password must meet the policy."""
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccessError(
            f"{username!r} is not a valid user name: use 1-64 lower case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"
        )
    organisation = _organisation(role, organisation)
    passwords.check_policy(password, name)
    if session.get(User, name) is not None:
        raise AccessError(f"user {name!r} already exists")
    session.add(
        User(
            username=name,
            password_hash=passwords.hash_password(password),
            role=role,
            organisation=organisation,
            disabled=False,
            failed_logins=0,
            created_at=now or utcnow(),
        )
    )
    session.flush()
    return AccountChange(name, "add", {}, {"role": role, "organisation": organisation})


def disable_user(session: Session, username: str) -> AccountChange:
    """Disable an account: it can no longer sign in (kept, since the audit log names it)."""
    user = _user(session, username)
    before = user.disabled
    user.disabled = True
    user.session_epoch += 1  # ends every session of the account
    return AccountChange(user.username, "disable", {"disabled": before}, {"disabled": True})


def set_role(
    session: Session, username: str, role: str, organisation: str | None = None
) -> AccountChange:
    """Give an account another role (and organisation, which a partner needs)."""
    user = _user(session, username)
    organisation = _organisation(role, organisation)
    before: dict[str, Value] = {"role": user.role, "organisation": user.organisation}
    user.role, user.organisation = role, organisation
    user.session_epoch += 1
    return AccountChange(
        user.username, "role", before, {"role": role, "organisation": organisation}
    )


def set_password(session: Session, username: str, password: str) -> AccountChange:
    """Give an account a new password (policy checked) and lift any lock-out."""
    user = _user(session, username)
    passwords.check_policy(password, user.username)
    user.password_hash = passwords.hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    user.session_epoch += 1
    return AccountChange(user.username, "password", {}, {"password": "changed"})


def end_sessions(session: Session, username: str) -> None:
    """End every session of the account (signing out): a raised epoch refuses them all."""
    session.execute(
        update(User).where(User.username == username).values(session_epoch=User.session_epoch + 1)
    )


#: A signed-in web session as `sessions_current` checks it: user name, session epoch, role
#: and organisation.
SessionKey = tuple[str, int | None, str, str | None]


def sessions_current(session: Session, keys: set[Hashable]) -> set[Hashable]:
    """Which of `keys` (`SessionKey`s) are sessions that still stand: the account is
    enabled, holds that role and organisation still (however they were changed), and has not
    signed out or changed password since; one read for them all (the web app's audit writer
    asks it once for each group of reads)."""
    sessions = [cast(SessionKey, key) for key in keys]
    query = select(User.username, User.session_epoch, User.role, User.organisation).where(
        User.username.in_({name for name, _, _, _ in sessions}), User.disabled.is_(False)
    )
    standing = {tuple(row) for row in session.connection().execute(query)}
    return {key for key in sessions if key in standing}


def session_current(
    session: Session, username: str, epoch: int, role: str, organisation: str | None
) -> bool:
    """Whether a session signed in at `epoch` as `role` of `organisation` still stands, as
    `sessions_current` says (one read by primary key)."""
    key = (username, epoch, role, organisation)
    return key in sessions_current(session, {key})


def list_users(session: Session) -> list[User]:
    """Every account, by user name."""
    return list(session.scalars(select(User).order_by(User.username)))


def authenticate(session: Session, username: str, password: str, now: datetime) -> User:
    """The user whose password this is, or a SignInRefused saying why. Failures are counted
    on the session, so commit it even when this raises (`sign_in` does)."""
    if now.tzinfo is None:
        raise ValueError("now must have a time zone")
    name = username.strip().lower()
    # Lock the account's row before reading its failure count, so that parallel attempts
    # count one by one: SQLite ignores FOR UPDATE, but this write takes its database lock.
    session.execute(
        update(User).where(User.username == name).values(failed_logins=User.failed_logins)
    )
    user = session.get(User, name, with_for_update=True)
    if user is None:
        passwords.verify_nobody(password)
        raise BadCredentials
    if user.locked_until is not None:
        if now < user.locked_until:
            passwords.verify_nobody(password)  # as slow as any other refusal
            raise AccountLocked(user.locked_until)
        user.failed_logins, user.locked_until = 0, None
    if not passwords.verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCK_FOR
            raise AccountLocked(user.locked_until)
        raise BadCredentials
    user.failed_logins = 0
    if user.disabled:
        raise AccountDisabled
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def sign_in(engine: Engine, username: str, password: str, now: datetime) -> User:
    """`authenticate` in its own transaction, committed even when the sign-in is refused
    so that failures count towards the lock-out."""
    refused: SignInRefused | None = None
    with transaction(engine) as session:
        try:
            user = authenticate(session, username, password, now)
        except SignInRefused as exc:
            refused = exc
    if refused is not None:
        raise refused
    return user


def _user(session: Session, username: str) -> User:
    user = session.get(User, username.strip().lower())
    if user is None:
        raise NoSuchUser(username)
    return user


def _organisation(role: str, organisation: str | None) -> str | None:
    """The organisation to store: a partner's, checked; none for other roles."""
    if find_role(role).scoped:
        if not organisation:
            raise AccessError(f"a {role} needs an organisation (see partners.yaml)")
        return partner(organisation).id
    if organisation:
        raise AccessError(f"only a partner has an organisation, not a {role}")
    return None
