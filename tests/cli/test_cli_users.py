from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from factories import write_project
from sqlalchemy import select
from typer.testing import CliRunner

from msht.access import passwords
from msht.access.errors import SignInRefused
from msht.access.users import MAX_FAILURES, sign_in
from msht.cli.users import app
from msht.pipeline.serving import open_store
from msht.store.audit import AuditEntry
from msht.store.database import transaction
from msht.store.users import User

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("MSHT_DATABASE_URL", raising=False)
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher.from_parameters(CHEAPEST))
    return write_project(tmp_path / "p", {}, {})


def test_add_role_disable_and_list(project: Path) -> None:
    args = ["add", str(project), "pat", "--role", "partner", "--organisation", "glaa"]
    added = runner.invoke(app, [*args, "--password-stdin"], input="correct horse battery\n")
    assert added.exit_code == 0, added.output
    assert "Added pat as partner of glaa" in added.output
    role = runner.invoke(app, ["role", str(project), "pat", "reviewer"])
    assert role.exit_code == 0 and "partner → reviewer" in role.output
    disabled = runner.invoke(app, ["disable", str(project), "pat"])
    assert disabled.exit_code == 0 and "Disabled pat" in disabled.output
    listed = runner.invoke(app, ["list", str(project)])
    assert listed.exit_code == 0 and "reviewer" in listed.output and "disabled" in listed.output
    assert "correct horse" not in listed.output


def test_add_prompts_hidden_twice(project: Path) -> None:
    result = runner.invoke(
        app, ["add", str(project), "ann", "--role", "analyst"], input="a long passphrase\n" * 2
    )
    assert result.exit_code == 0, result.output
    assert "a long passphrase" not in result.output


def test_errors_are_one_line_and_exit_1(project: Path) -> None:
    short = runner.invoke(
        app, ["add", str(project), "ann", "--role", "analyst", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    missing = runner.invoke(app, ["disable", str(project), "ghost"])
    assert missing.exit_code == 1 and "no user 'ghost'" in missing.output


def test_there_is_no_password_option() -> None:
    result = runner.invoke(app, ["add", "--help"])
    assert "--password-stdin" in result.output
    assert "--password " not in result.output


def _audit(project: Path) -> list[dict[str, Any]]:
    """Every audit entry of the project's store, every column."""
    engine = open_store(project)
    try:
        with transaction(engine) as session:
            columns = AuditEntry.__table__.columns.keys()
            return [
                {c: getattr(e, c) for c in columns}
                for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
            ]
    finally:
        engine.dispose()


def _password_hash(project: Path, username: str) -> str:
    engine = open_store(project)
    try:
        with transaction(engine) as session:
            user = session.get(User, username)
            assert user is not None
            return user.password_hash
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("args", "stdin", "action"),
    [
        (
            ["add", "{p}", "pat", "--role", "analyst", "--password-stdin"],
            "a new passphrase\n",
            "add",
        ),
        (["disable", "{p}", "pat"], "", "disable"),
        (["role", "{p}", "pat", "reviewer"], "", "role"),
        (["password", "{p}", "pat", "--password-stdin"], "a new passphrase\n", "password"),
    ],
)
def test_each_command_leaves_one_audit_entry_naming_the_account(
    project: Path, args: list[str], stdin: str, action: str
) -> None:
    if action != "add":
        _add(project, "pat", "correct horse battery")
    before = len(_audit(project))
    command = [a.format(p=project) for a in args]
    result = runner.invoke(app, [*command, "--by", "root-admin"], input=stdin)
    assert result.exit_code == 0, result.output
    entries = _audit(project)[before:]
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["action"], entry["record_ids"], entry["username"]) == (
        "alteration",
        ["user:pat"],
        "root-admin",
    )
    assert entry["detail"]["action"] == action
    logged = json.dumps(_audit(project), default=str)
    for secret in ("a new passphrase", "correct horse", _password_hash(project, "pat"), "$argon2"):
        assert secret not in logged


def test_password_resets_and_lifts_a_lock_out(project: Path) -> None:
    _add(project, "ann", "correct horse battery")
    engine = open_store(project)
    try:
        now = datetime.now(UTC)
        for _ in range(MAX_FAILURES):
            with pytest.raises(SignInRefused):
                sign_in(engine, "ann", "not the password", now)
        result = runner.invoke(
            app,
            ["password", str(project), "ann", "--by", "root-admin"],
            input="a fresh passphrase\n" * 2,
        )
        assert result.exit_code == 0, result.output
        assert "New password set for ann; any lock-out lifted" in result.output
        assert "a fresh passphrase" not in result.output
        assert sign_in(engine, "ann", "a fresh passphrase", now).username == "ann"
    finally:
        engine.dispose()


def test_password_of_an_unknown_account_is_one_line_and_exit_1(project: Path) -> None:
    result = runner.invoke(
        app, ["password", str(project), "ghost", "--password-stdin"], input="a fresh passphrase\n"
    )
    assert result.exit_code == 1 and "no user 'ghost'" in result.output
    assert _audit(project) == []


def _add(project: Path, username: str, password: str) -> None:
    result = runner.invoke(
        app,
        ["add", str(project), username, "--role", "analyst", "--by", "x", "--password-stdin"],
        input=password + "\n",
    )
    assert result.exit_code == 0, result.output
