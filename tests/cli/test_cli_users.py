from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from factories import write_project
from typer.testing import CliRunner

from msht.access import passwords
from msht.cli.users import app

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
