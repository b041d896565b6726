from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from msht.access import passwords
from msht.access.passwords import (
    MIN_LENGTH,
    PasswordRejected,
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
)


def test_tests_only_swap_the_hasher(cheap_hasher: PasswordHasher) -> None:
    assert passwords.HASHER is cheap_hasher
    assert hash_password("x" * 12).startswith("$argon2id$")


def test_a_hash_verifies_its_password_only() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed != "correct horse battery"
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "correct horse batterY")
    assert not verify_password("not a hash", "correct horse battery")


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("correct horse battery") != hash_password("correct horse battery")


def test_a_hash_made_with_other_parameters_needs_rehash(monkeypatch: pytest.MonkeyPatch) -> None:
    old = hash_password("correct horse battery")
    assert not needs_rehash(old)
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher())
    assert needs_rehash(old)


def test_the_policy_wants_twelve_characters_and_says_so() -> None:
    check_policy("a" * MIN_LENGTH)
    with pytest.raises(PasswordRejected, match="at least 12 characters, not 11"):
        check_policy("a" * 11)
    with pytest.raises(PasswordRejected, match="at most"):
        check_policy("a" * 2000)
    with pytest.raises(PasswordRejected, match="user name"):
        check_policy("my name is Alice.Smith", "alice.smith")
