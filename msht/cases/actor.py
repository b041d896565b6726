"""Who is acting: a signed-in user, or the system (publishing, expiry)."""

from __future__ import annotations

from dataclasses import dataclass, field

from msht.cases.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    """A user with their role, permissions and, for partners, organisation."""

    username: str
    role: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    organisation: str | None = None
    scoped: bool = False
    """A partner: sees only what was shared with `organisation`, redacted."""
    epoch: int | None = None
    """The account's session epoch in the actor's signed-in web session (None for the system
    and for callers inside the process)."""

    def require(self, permission: str) -> None:
        """Forbidden unless the actor holds `permission`."""
        if permission not in self.permissions:
            raise Forbidden(f"{self.username} ({self.role}) may not {permission}")


#: Publishing and expiry act as the system.
SYSTEM = Actor("system", "system", frozenset({"review:write"}))
