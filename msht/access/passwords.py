"""Password hashing with argon2id, and the minimum password policy."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from msht.access.errors import AccessError

#: Shortest password accepted: length is what makes a password hard to guess (NCSC).
MIN_LENGTH = 12
#: Longest password accepted, so that hashing one costs a bounded time.
MAX_LENGTH = 1024

#: The hasher in use: argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile).
#: Read at each call, so tests may swap in `PasswordHasher.from_parameters(CHEAPEST)`.
HASHER = PasswordHasher()


class PasswordRejected(AccessError):  # noqa: N818 -- a refusal, not a fault of msht
    """A new password does not meet the policy."""


def check_policy(password: str, username: str = "") -> None:
    """Refuse a password shorter than MIN_LENGTH, longer than MAX_LENGTH, or containing the
    user name, with the reason."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(
            f"the password must have at least {MIN_LENGTH} characters, not {len(password)}"
        )
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"the password must have at most {MAX_LENGTH} characters")
    if username and username.casefold() in password.casefold():
        raise PasswordRejected("the password must not contain the user name")


def hash_password(password: str) -> str:
    """The argon2id hash of `password` (salted; the parameters are kept in the hash)."""
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; a damaged hash never matches."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than the hasher's current ones."""
    return HASHER.check_needs_rehash(password_hash)


def verify_nobody(password: str) -> None:
    """Spend the time a verification takes, for a user who does not exist, so that the
    time of a refusal does not tell which user names exist."""
    verify_password(_dummy_hash(HASHER), password)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not the password of anyone")
