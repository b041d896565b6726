from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from msht.access.demo import demo_users
from msht.access.roles import allowed
from msht.access.users import sign_in
from msht.store.database import transaction

NOW = datetime(2025, 3, 1, tzinfo=UTC)


def test_one_demo_user_per_role_with_a_random_password_that_signs_in(database: Engine) -> None:
    with transaction(database) as session:
        first = demo_users(session)
    assert sorted(role for _, role, _ in first) == ["admin", "analyst", "partner", "reviewer"]
    for username, role, password in first:
        user = sign_in(database, username, password, NOW)
        assert user.role == role and len(password) >= 12
        assert (user.organisation is not None) == (role == "partner")
    assert allowed("partner", "review:read")
    with transaction(database) as session:
        again = demo_users(session)
    assert {u for u, _, _ in again} == {u for u, _, _ in first}
    assert not {p for _, _, p in again} & {p for _, _, p in first}
    for username, _, password in again:
        sign_in(database, username, password, NOW)
