"""Account changes: each one audited in its own transaction, never with a password."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from factories import write_project
from sqlalchemy import Engine, select

from msht.access import passwords
from msht.access.errors import AccessError, AccountLocked, NoSuchUser
from msht.access.users import MAX_FAILURES, sign_in
from msht.errors import MshtError
from msht.pipeline import accounts
from msht.pipeline.accounts import add_account, change_role, disable_account, reset_password
from msht.store.audit import AuditEntry
from msht.store.database import transaction
from msht.store.users import User

FIRST = "correct horse battery"
SECOND = "another long passphrase"


@pytest.fixture
def project(
    tmp_path: Path, database: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A project serving from the `database` store, with a cheap password hasher."""
    monkeypatch.setenv("MSHT_DATABASE_URL", database_url)
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher.from_parameters(CHEAPEST))
    return write_project(tmp_path / "p", {}, {})


def _entries(database: Engine) -> list[AuditEntry]:
    with transaction(database) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _audit_text(database: Engine) -> str:
    """Every column of every audit entry, as one text to search."""
    columns = AuditEntry.__table__.columns.keys()
    return json.dumps(
        [{c: getattr(e, c) for c in columns} for e in _entries(database)], default=str
    )


def _hashes(database: Engine) -> Iterator[str]:
    with transaction(database) as session:
        yield from session.scalars(select(User.password_hash))


def test_each_change_is_one_alteration_entry_naming_the_account(
    project: Path, database: Engine
) -> None:
    add_account(project, "Pat", FIRST, "partner", "glaa", by="admin1")
    change_role(project, "pat", "reviewer", by="admin1")
    disable_account(project, "pat", by="admin2")
    reset_password(project, "pat", SECOND, by="admin2")
    entries = _entries(database)
    assert [e.detail["action"] for e in entries] == ["add", "role", "disable", "password"]
    for entry in entries:
        assert (entry.action, entry.role, entry.record_ids) == ("alteration", "admin", ["user:pat"])
    assert [e.username for e in entries] == ["admin1", "admin1", "admin2", "admin2"]
    assert entries[0].detail["after"] == {"role": "partner", "organisation": "glaa"}
    assert entries[1].detail["before"] == {"role": "partner", "organisation": "glaa"}
    assert entries[1].detail["after"] == {"role": "reviewer", "organisation": None}
    assert (entries[2].detail["before"], entries[2].detail["after"]) == (
        {"disabled": False},
        {"disabled": True},
    )
    assert [e.reason for e in entries] == [
        "account added",
        "role changed",
        "account disabled",
        "password reset",
    ]


def test_no_password_or_hash_reaches_the_audit_log(project: Path, database: Engine) -> None:
    add_account(project, "ann", FIRST, "analyst", by="admin1")
    first_hash = next(_hashes(database))
    reset_password(project, "ann", SECOND, by="admin1")
    logged = _audit_text(database)
    for secret in (FIRST, SECOND, first_hash, next(_hashes(database)), "$argon2"):
        assert secret not in logged


def test_a_refused_change_leaves_neither_the_change_nor_an_entry(
    project: Path, database: Engine
) -> None:
    with pytest.raises(AccessError, match="at least 12 characters"):
        add_account(project, "ann", "short", "analyst", by="admin1")
    with pytest.raises(NoSuchUser):
        disable_account(project, "ghost", by="admin1")
    add_account(project, "ann", FIRST, "analyst", by="admin1")
    with pytest.raises(AccessError, match="needs an organisation"):
        change_role(project, "ann", "partner", by="admin1")
    assert [e.detail["action"] for e in _entries(database)] == ["add"]


def test_a_reset_password_lifts_the_lock_out(project: Path, database: Engine) -> None:
    add_account(project, "ann", FIRST, "analyst", by="admin1")
    now = datetime.now(UTC)
    for _ in range(MAX_FAILURES):
        with pytest.raises(MshtError):
            sign_in(database, "ann", "wrong password!", now)
    with pytest.raises(AccountLocked):
        sign_in(database, "ann", FIRST, now)
    reset_password(project, "ann", SECOND, by="admin1")
    assert sign_in(database, "ann", SECOND, now).username == "ann"


def test_the_change_is_made_by_the_login_name_by_default(
    project: Path, database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts.getpass, "getuser", lambda: "sam")
    add_account(project, "ann", FIRST, "analyst")
    assert [e.username for e in _entries(database)] == ["sam"]


def test_no_login_name_asks_for_by(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def nobody() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(accounts.getpass, "getuser", nobody)
    with pytest.raises(MshtError, match="give --by"):
        add_account(project, "ann", FIRST, "analyst")
