from __future__ import annotations

from pathlib import Path

import pytest

from msht.access.errors import AccessError
from msht.access.roles import PERMISSIONS, allowed, load_roles, permissions, roles
from msht.errors import ConfigError


def test_shipped_roles_load_with_the_four_roles() -> None:
    assert set(roles()) == {"analyst", "reviewer", "partner", "admin"}
    assert all(role.description for role in roles().values())
    assert [name for name, role in roles().items() if role.scoped] == ["partner"]


def test_analyst_works_reviews_but_cannot_sign_off_or_share() -> None:
    assert permissions("analyst") == {
        "entity:read",
        "profile:read",
        "review:read",
        "review:write",
        "judgement:read",
        "judgement:write",
        "export:write",
    }
    assert not allowed("analyst", "review:signoff")
    assert not allowed("analyst", "review:share")


def test_reviewer_is_an_analyst_who_signs_off_and_shares() -> None:
    assert permissions("reviewer") == permissions("analyst") | {"review:signoff", "review:share"}


def test_partner_only_reads_profiles_and_reviews() -> None:
    assert permissions("partner") == {"profile:read", "review:read"}
    assert not allowed("partner", "entity:read")
    assert not allowed("partner", "export:write")


def test_admin_manages_accounts_and_reads_the_audit_but_does_not_review() -> None:
    assert allowed("admin", "user:admin") and allowed("admin", "audit:read")
    assert not allowed("admin", "review:write") and not allowed("admin", "review:signoff")
    assert all(not allowed(r, "user:admin") for r in ("analyst", "reviewer", "partner"))


def test_every_permission_is_held_by_some_role() -> None:
    held = set().union(*(role.permissions for role in roles().values()))
    assert held == set(PERMISSIONS)


def test_unknown_role_holds_nothing_and_unknown_permission_is_a_mistake() -> None:
    assert not allowed("superuser", "entity:read")
    with pytest.raises(AccessError, match="unknown role 'superuser'"):
        permissions("superuser")
    with pytest.raises(AccessError, match="unknown permission 'entity:raed'"):
        allowed("analyst", "entity:raed")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_permission_names_file_role_and_permission(tmp_path: Path) -> None:
    path = _write(tmp_path, "analyst:\n  description: x\n  permissions: [entity:read, fly]\n")
    with pytest.raises(ConfigError) as caught:
        load_roles(path)
    assert caught.value.file == str(path)
    assert caught.value.key == "analyst.permissions"
    assert "unknown permission 'fly'" in caught.value.problem


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("analyst:\n  permissions: [entity:read]\n", "analyst.description", "Field required"),
        ("analyst:\n  description: x\n  permissions: []\n  colour: red\n", "analyst.colour", ""),
        ("Analyst:\n  description: x\n  permissions: []\n", "Analyst.name", "pattern"),
        ("analyst: [entity:read]\n", "analyst", "expected description"),
        ("- analyst\n", "", "expected a mapping"),
        ("analyst: [\n", "", "not valid YAML"),
    ],
)
def test_malformed_roles_are_refused_with_the_key(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_roles(_write(tmp_path, text))
    assert caught.value.key == key
    assert problem in caught.value.problem


def test_a_scoped_role_may_not_hold_more_than_reads(tmp_path: Path) -> None:
    text = (
        "partner:\n  description: x\n  scoped: true\n  permissions: [review:read, export:write]\n"
    )
    with pytest.raises(ConfigError, match=r"partner\.permissions: a scoped role .*export:write"):
        load_roles(_write(tmp_path, text))
