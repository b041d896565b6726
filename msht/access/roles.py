"""Roles and their permissions, loaded from `roles.yaml` and validated on load."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from msht.access.errors import AccessError
from msht.errors import ConfigError

#: Every permission the API checks → what it lets a user do.
PERMISSIONS: Mapping[str, str] = {
    "entity:read": "Read resolved entities (people, places, objects).",
    "profile:read": "Read risk profiles with their factors and evidence.",
    "review:read": "Read review items, their history and notes.",
    "review:write": "Move review items between states, add notes, assign and set due dates.",
    "review:signoff": "Sign off the closure of an item as the second person (four eyes).",
    "review:share": "Share an item with a partner organisation; disclose handling-code C.",
    "judgement:read": "Read entity-resolution judgements.",
    "judgement:write": "Record whether two source records are the same person.",
    "audit:read": "Read and export the audit log.",
    "export:write": "Export data (graph, spreadsheets, referral pre-fill), watermarked.",
    "user:admin": "Add, disable and change the role of accounts.",
}

#: The only permissions a scoped (partner) role may hold: partners read what is shared with
#: them and change nothing; no exports, so no bulk spreadsheets leave the force (R09).
SCOPED_PERMISSIONS = frozenset({"entity:read", "profile:read", "review:read"})

ROLE_NAME = r"^[a-z][a-z0-9_]{0,15}$"


class Role(BaseModel):
    """A role: what it is for and what it may do."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    name: str = Field(pattern=ROLE_NAME)
    """Role name, stored on each user (at most 16 characters)."""
    description: str = Field(min_length=1)
    """Who holds the role, shown to administrators."""
    permissions: frozenset[str]
    """Permissions the role holds (names from PERMISSIONS)."""
    scoped: bool = False
    """Belongs to one partner organisation and sees only what is shared with it."""

    @field_validator("permissions")
    @classmethod
    def _known(cls, value: frozenset[str]) -> frozenset[str]:
        unknown = sorted(value - PERMISSIONS.keys())
        if unknown:
            raise ValueError(f"unknown permission {unknown[0]!r}; known: {sorted(PERMISSIONS)}")
        return value


def _file() -> Path:
    return Path(str(resources.files("msht.access") / "roles.yaml"))


def load_roles(path: Path | None = None) -> dict[str, Role]:
    """Role name → role, from `path` (msht's own `roles.yaml` by default); a ConfigError
    names the file, the key and the problem."""
    source = path or _file()
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(str(source), "", f"not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(str(source), "", "expected a mapping of role name to role")
    roles: dict[str, Role] = {}
    for name, body in raw.items():
        if not isinstance(body, dict):
            raise ConfigError(str(source), str(name), "expected description and permissions")
        try:
            role = Role.model_validate({**body, "name": name})
        except ValidationError as exc:
            raise ConfigError.from_validation(str(source), exc, prefix=str(name)) from exc
        extra = sorted(role.permissions - SCOPED_PERMISSIONS) if role.scoped else []
        if extra:
            problem = f"a scoped role may hold only {sorted(SCOPED_PERMISSIONS)}, not {extra[0]!r}"
            raise ConfigError(str(source), f"{name}.permissions", problem)
        roles[role.name] = role
    return roles


@cache
def roles() -> Mapping[str, Role]:
    """The roles shipped with msht (loaded once)."""
    return load_roles()


def role(name: str) -> Role:
    """The role called `name`; AccessError when there is none."""
    found = roles().get(name)
    if found is None:
        raise AccessError(f"unknown role {name!r}; roles: {', '.join(roles())}")
    return found


def permissions(name: str) -> frozenset[str]:
    """The permissions of role `name`; AccessError when the role is unknown."""
    return role(name).permissions


def allowed(name: str, permission: str) -> bool:
    """Whether role `name` holds `permission`. An unknown role holds nothing (a user whose
    role left the file is refused); an unknown permission is a mistake in the caller and
    raises AccessError."""
    if permission not in PERMISSIONS:
        raise AccessError(f"unknown permission {permission!r}; known: {sorted(PERMISSIONS)}")
    found = roles().get(name)
    return found is not None and permission in found.permissions
