"""Errors of account management and sign-in."""

from __future__ import annotations

from datetime import datetime

from msht.errors import MshtError


class AccessError(MshtError):
    """An account cannot be created or changed as asked, or a role or permission is unknown."""


class NoSuchUser(AccessError):  # noqa: N818 -- reads as the fault it is, like ValueProblem
    """An account command names a user who does not exist."""

    def __init__(self, username: str) -> None:
        self.username = username
        super().__init__(f"no user {username!r}")


class SignInRefused(AccessError):  # noqa: N818 -- a refusal, not a fault of msht
    """A sign-in was refused; the subclass says why."""


class BadCredentials(SignInRefused):
    """Unknown user or wrong password: one message for both, so that a refusal does not tell
    an attacker which user names exist."""

    def __init__(self) -> None:
        super().__init__("unknown user or wrong password")


class AccountDisabled(SignInRefused):
    """The password was right but the account is disabled."""

    def __init__(self) -> None:
        super().__init__("this account is disabled: ask an administrator")


class AccountLocked(SignInRefused):
    """Too many failed sign-ins in a row: the account is locked until `until`."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            f"too many failed sign-ins: try again after {until:%H:%M} UTC or ask an administrator"
        )
