from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from msht.access import passwords
from msht.access.errors import (
    AccessError,
    AccountDisabled,
    AccountLocked,
    BadCredentials,
    NoSuchUser,
    SignInRefused,
)
from msht.access.passwords import PasswordRejected
from msht.access.users import (
    LOCK_FOR,
    MAX_FAILURES,
    add_user,
    authenticate,
    disable_user,
    list_users,
    session_current,
    sessions_current,
    set_password,
    set_role,
    sign_in,
)
from msht.store.database import transaction
from msht.store.users import User

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def _add(engine: Engine, username: str = "ann", role: str = "analyst", **kw: str) -> None:
    with transaction(engine) as session:
        add_user(session, username, PASSWORD, role, now=NOW, **kw)


def _refusal(engine: Engine, username: str, password: str, now: datetime = NOW) -> SignInRefused:
    with pytest.raises(SignInRefused) as caught:
        sign_in(engine, username, password, now)
    return caught.value


def test_add_then_sign_in(database: Engine) -> None:
    _add(database, "Ann")
    user = sign_in(database, "ann", PASSWORD, NOW)
    assert (user.username, user.role, user.organisation) == ("ann", "analyst", None)
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert user.created_at == NOW


def test_add_returns_what_changed_without_the_password(session: Session) -> None:
    change = add_user(session, "pat", PASSWORD, "partner", "glaa")
    assert (change.username, change.action) == ("pat", "add")
    assert change.after == {"role": "partner", "organisation": "glaa"}
    assert PASSWORD not in repr(change)


def test_unknown_user_and_wrong_password_get_the_same_message(database: Engine) -> None:
    _add(database)
    unknown = _refusal(database, "nobody", PASSWORD)
    wrong = _refusal(database, "ann", "wrong password!")
    assert type(unknown) is type(wrong) is BadCredentials
    assert str(unknown) == str(wrong) == "unknown user or wrong password"


def test_five_failures_lock_for_fifteen_minutes(database: Engine) -> None:
    _add(database)
    for attempt in range(MAX_FAILURES - 1):
        assert isinstance(_refusal(database, "ann", f"wrong {attempt}"), BadCredentials)
    locked = _refusal(database, "ann", "wrong again")
    assert isinstance(locked, AccountLocked) and locked.until == NOW + LOCK_FOR
    assert "09:15 UTC" in str(locked)
    just_before = NOW + LOCK_FOR - timedelta(seconds=1)
    assert isinstance(_refusal(database, "ann", PASSWORD, just_before), AccountLocked)
    user = sign_in(database, "ann", PASSWORD, NOW + LOCK_FOR)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_the_count_restarts_after_a_lock(database: Engine) -> None:
    _add(database)
    for attempt in range(MAX_FAILURES):
        _refusal(database, "ann", f"wrong {attempt}")
    later = NOW + LOCK_FOR
    assert isinstance(_refusal(database, "ann", "wrong after", later), BadCredentials)


def test_a_success_resets_the_count(database: Engine) -> None:
    _add(database)
    for _ in range(2):
        for attempt in range(MAX_FAILURES - 1):
            _refusal(database, "ann", f"wrong {attempt}")
        sign_in(database, "ann", PASSWORD, NOW)
    with transaction(database) as session:
        assert session.get(User, "ann").failed_logins == 0  # type: ignore[union-attr]


def test_authenticate_counts_the_failure_on_the_callers_session(session: Session) -> None:
    add_user(session, "ann", PASSWORD, "analyst")
    with pytest.raises(BadCredentials):
        authenticate(session, "ann", "wrong password!", NOW)
    session.commit()
    assert session.get(User, "ann").failed_logins == 1  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="time zone"):
        authenticate(session, "ann", PASSWORD, NOW.replace(tzinfo=None))


def test_a_disabled_user_is_refused_only_with_the_right_password(database: Engine) -> None:
    _add(database)
    with transaction(database) as session:
        change = disable_user(session, "ann")
    assert (change.before, change.after) == ({"disabled": False}, {"disabled": True})
    assert isinstance(_refusal(database, "ann", PASSWORD), AccountDisabled)
    assert isinstance(_refusal(database, "ann", "wrong password!"), BadCredentials)


def test_a_hash_with_old_parameters_is_replaced_at_sign_in(
    database: Engine, monkeypatch: pytest.MonkeyPatch, cheap_hasher: PasswordHasher
) -> None:
    _add(database)
    newer = PasswordHasher(time_cost=cheap_hasher.time_cost + 1, memory_cost=16, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", newer)
    user = sign_in(database, "ann", PASSWORD, NOW)
    assert not newer.check_needs_rehash(user.password_hash)
    assert sign_in(database, "ann", PASSWORD, NOW).password_hash == user.password_hash


def test_a_partner_needs_a_known_organisation(session: Session) -> None:
    with pytest.raises(AccessError, match="a partner needs an organisation"):
        add_user(session, "pat", PASSWORD, "partner")
    with pytest.raises(AccessError, match="unknown partner organisation 'Acme'"):
        add_user(session, "pat", PASSWORD, "partner", "Acme")
    with pytest.raises(AccessError, match="only a partner has an organisation"):
        add_user(session, "ann", PASSWORD, "analyst", "glaa")
    assert list_users(session) == []


@pytest.mark.parametrize(
    ("username", "password", "role", "problem"),
    [
        ("ann", PASSWORD, "boss", "unknown role 'boss'"),
        ("ann", "short", "analyst", "at least 12 characters"),
        ("ann smith", PASSWORD, "analyst", "not a valid user name"),
        ("x" * 65, PASSWORD, "analyst", "not a valid user name"),
    ],
)
def test_bad_accounts_are_refused(
    session: Session, username: str, password: str, role: str, problem: str
) -> None:
    with pytest.raises(AccessError, match=problem):
        add_user(session, username, password, role)


def test_a_user_name_is_added_once(session: Session) -> None:
    add_user(session, "ann", PASSWORD, "analyst")
    with pytest.raises(AccessError, match="'ann' already exists"):
        add_user(session, "ANN", PASSWORD, "reviewer")


def test_set_role_moves_the_organisation_with_the_role(session: Session) -> None:
    add_user(session, "pat", PASSWORD, "partner", "glaa")
    change = set_role(session, "pat", "analyst")
    assert change.before == {"role": "partner", "organisation": "glaa"}
    assert change.after == {"role": "analyst", "organisation": None}
    with pytest.raises(AccessError, match="a partner needs an organisation"):
        set_role(session, "pat", "partner")
    set_role(session, "pat", "partner", "medway-council")
    assert [(u.username, u.role, u.organisation) for u in list_users(session)] == [
        ("pat", "partner", "medway-council")
    ]


def test_changing_a_missing_user_names_it(session: Session) -> None:
    for change in (
        lambda: disable_user(session, "ghost"),
        lambda: set_role(session, "ghost", "admin"),
        lambda: set_password(session, "ghost", PASSWORD),
    ):
        with pytest.raises(NoSuchUser, match="no user 'ghost'"):
            change()


def test_a_new_password_lifts_the_lock(database: Engine) -> None:
    _add(database)
    for attempt in range(MAX_FAILURES):
        _refusal(database, "ann", f"wrong {attempt}")
    with transaction(database) as session:
        with pytest.raises(PasswordRejected):
            set_password(session, "ann", "too short")
        set_password(session, "ann", "a new long passphrase")
    assert sign_in(database, "ann", "a new long passphrase", NOW).locked_until is None


def test_parallel_wrong_passwords_each_count(database: Engine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from msht.access.errors import SignInRefused
    from msht.access.users import sign_in

    with transaction(database) as session:
        add_user(session, "racer", "a long enough password", "analyst")

    def attempt(_: int) -> None:
        with contextlib.suppress(SignInRefused):
            sign_in(database, "racer", "the wrong password!", datetime.now(UTC))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(attempt, range(4)))
    with transaction(database) as session:
        assert session.get(User, "racer").failed_logins == 4  # type: ignore[union-attr]


def test_sessions_current_says_of_many_sessions_what_session_current_says_of_each(
    session: Session,
) -> None:
    add_user(session, "ann", PASSWORD, "analyst", now=NOW)
    add_user(session, "pat", PASSWORD, "partner", "glaa", now=NOW)
    add_user(session, "dan", PASSWORD, "reviewer", now=NOW)
    disable_user(session, "dan")
    session.flush()
    epoch = {u.username: u.session_epoch for u in list_users(session)}
    standing = {("ann", epoch["ann"], "analyst", None), ("pat", epoch["pat"], "partner", "glaa")}
    ended = {
        ("ann", epoch["ann"] - 1, "analyst", None),  # signed out since
        ("ann", epoch["ann"], "reviewer", None),  # another role since
        ("pat", epoch["pat"], "partner", "local-authority"),  # another organisation
        ("pat", epoch["pat"], "partner", None),
        ("dan", epoch["dan"], "reviewer", None),  # disabled
        ("nobody", 0, "analyst", None),
        ("ann", None, "analyst", None),  # a session without an epoch never stands
    }
    assert sessions_current(session, standing | ended) == standing
    for key in standing | ended:
        name, at, role, organisation = key
        single = at is not None and session_current(session, name, at, role, organisation)
        assert single == (key in standing), key
    assert sessions_current(session, set()) == set()
