"""Signed session cookies with a CSRF token, and the secret that signs them."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from msht.settings import settings

COOKIE = "msht_session"
#: The header a state-changing request must carry, equal to the session's CSRF token.
CSRF_HEADER = "X-CSRF-Token"
#: A session lasts one working shift.
MAX_AGE_SECONDS = 8 * 3600


@dataclass(frozen=True)
class SessionData:
    """Who signed in, and the CSRF token of the session."""

    username: str
    csrf: str

    def csrf_matches(self, given: str | None) -> bool:
        """Whether a request's CSRF header is this session's (compared in constant time)."""
        return given is not None and hmac.compare_digest(given, self.csrf)


class Sessions:
    """Issues and reads signed, time-limited session cookies."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="msht-session")

    def issue(self, username: str) -> tuple[str, SessionData]:
        """A new session for `username`: the cookie value and its data."""
        data = SessionData(username, secrets.token_urlsafe(32))
        return self._serializer.dumps([data.username, data.csrf]), data

    def read(self, cookie: str | None) -> SessionData | None:
        """The session in a cookie, or None when it is missing, forged or expired."""
        if not cookie:
            return None
        try:
            username, csrf = self._serializer.loads(cookie, max_age=MAX_AGE_SECONDS)
        except (BadSignature, ValueError, TypeError):
            return None
        return SessionData(str(username), str(csrf))


def secret_key(root: Path) -> str:
    """`MSHT_SECRET_KEY`, else the project's own secret (`.msht-secret`, made once, readable
    by its owner only)."""
    given = settings().secret_key
    if given:
        return given
    path = root / ".msht-secret"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()
