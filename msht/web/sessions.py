"""Signed session cookies with a CSRF token, and the secret that signs them."""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from msht.errors import MshtError
from msht.settings import settings

COOKIE = "msht_session"
#: The header a state-changing request must carry, equal to the session's CSRF token.
CSRF_HEADER = "X-CSRF-Token"
#: A session lasts one working shift.
MAX_AGE_SECONDS = 8 * 3600
#: Cookies whose signature each process remembers having checked.
SESSIONS_CACHED = 4096


@dataclass(frozen=True)
class SessionData:
    """Who signed in, as what, and the CSRF token of the session."""

    username: str
    csrf: str
    epoch: int
    """The account's session epoch when it signed in (see `User.session_epoch`)."""
    role: str
    organisation: str | None
    """The role and organisation at sign-in. A change to either raises the account's epoch,
    so a request that reads data still checks the epoch in its own transaction (see
    `msht.web.deps.signed_in`); carrying them here spares every request a lookup of its own."""

    def csrf_matches(self, given: str | None) -> bool:
        """Whether a request's CSRF header is this session's (compared in constant time)."""
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())


class Sessions:
    """Issues and reads signed, time-limited session cookies."""

    def __init__(self, secret: str) -> None:
        if len(secret) < MIN_SECRET:
            raise MshtError(f"a session signing key needs {MIN_SECRET} characters at least")
        self._serializer = URLSafeTimedSerializer(secret, salt="msht-session")
        # A cookie is the same string on each request of a session: checking its signature
        # once, not on every request, saved a sixteenth of the API's CPU under load.
        self._verified = lru_cache(maxsize=SESSIONS_CACHED)(self._verify)

    def issue(
        self, username: str, epoch: int, role: str, organisation: str | None
    ) -> tuple[str, SessionData]:
        """A new session for `username` at the account's `epoch`, `role` and `organisation`:
        the cookie and its data."""
        data = SessionData(username, secrets.token_urlsafe(32), epoch, role, organisation)
        fields = [data.username, data.csrf, data.epoch, data.role, data.organisation]
        return self._serializer.dumps(fields), data

    def read(self, cookie: str | None) -> SessionData | None:
        """The session in a cookie, or None when it is missing, forged or expired."""
        if not cookie:
            return None
        try:
            data, signed = self._verified(cookie)
        except (BadSignature, ValueError, TypeError):
            return None  # forged, or from before roles were carried: sign in again
        return data if 0 <= time.time() - signed <= MAX_AGE_SECONDS else None

    def _verify(self, cookie: str) -> tuple[SessionData, float]:
        """The session a cookie holds and when it was signed (its age is checked by `read`,
        on every request). Raises for a forged or malformed cookie: an exception is not
        cached, so made-up cookies cannot push real sessions out of the cache."""
        fields, signed = self._serializer.loads(cookie, return_timestamp=True)
        username, csrf, epoch, role, organisation = fields
        if not isinstance(epoch, int) or not isinstance(organisation, str | None):
            raise TypeError("a session cookie with fields of the wrong types")
        data = SessionData(str(username), str(csrf), epoch, str(role), organisation)
        return data, signed.timestamp()


#: Shortest signing key accepted: a short or empty key would let anyone forge a session.
MIN_SECRET = 32


def secret_key(root: Path) -> str:
    """`MSHT_SECRET_KEY`, else the project's own secret (`.msht-secret`, made once, readable
    by its owner only, written whole or not at all); MshtError when it is too short."""
    given = settings().secret_key
    if not given:
        path = root / ".msht-secret"
        if not path.exists():
            _create(path, secrets.token_urlsafe(48))
        given = path.read_text(encoding="utf-8").strip()
    if len(given) < MIN_SECRET:
        raise MshtError(
            f"the session signing key is shorter than {MIN_SECRET} characters: set "
            "MSHT_SECRET_KEY, or delete the project's .msht-secret to make a new one"
        )
    return given


def _create(path: Path, secret: str) -> None:
    """Write the secret to a private temporary file, then link it into place: another
    process sees either no file or the whole secret, and the first writer wins."""
    temporary = path.with_name(f".msht-secret.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secret)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
