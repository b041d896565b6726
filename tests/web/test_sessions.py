from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from msht.errors import MshtError
from msht.web import sessions as sessions_module
from msht.web.sessions import MAX_AGE_SECONDS, MIN_SECRET, Sessions, secret_key


def test_the_project_secret_is_made_once_private_and_long(tmp_path: Path) -> None:
    first = secret_key(tmp_path)
    assert first == secret_key(tmp_path) and len(first) >= MIN_SECRET
    assert (tmp_path / ".msht-secret").stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == [".msht-secret"]


def test_short_or_empty_signing_keys_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".msht-secret").write_text("")
    with pytest.raises(MshtError, match="shorter than"):
        secret_key(tmp_path)
    monkeypatch.setenv("MSHT_SECRET_KEY", "short")
    with pytest.raises(MshtError, match="shorter than"):
        secret_key(tmp_path)
    with pytest.raises(MshtError):
        Sessions("")


def test_a_cookie_from_another_key_or_epoch_is_not_a_session() -> None:
    ours, theirs = Sessions("k" * MIN_SECRET), Sessions("j" * MIN_SECRET)
    cookie, data = ours.issue("ana", 3, "analyst", None)
    assert ours.read(cookie) == data and data.epoch == 3
    assert theirs.read(cookie) is None and ours.read(cookie + "x") is None


def test_a_session_ends_after_a_shift_even_once_its_cookie_was_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sessions = Sessions("k" * MIN_SECRET)
    cookie, data = sessions.issue("ana", 0, "partner", "glaa")
    assert sessions.read(cookie) == data and data.organisation == "glaa"
    now = time.time()
    for moment, seen in ((now + MAX_AGE_SECONDS - 60, data), (now + MAX_AGE_SECONDS + 60, None)):
        monkeypatch.setattr(sessions_module, "time", SimpleNamespace(time=lambda m=moment: m))
        assert sessions.read(cookie) == seen
    monkeypatch.setattr(sessions_module, "time", SimpleNamespace(time=lambda: now - 3600))
    assert sessions.read(cookie) is None  # signed "in the future": not to be trusted either


def test_made_up_cookies_are_refused_and_not_remembered() -> None:
    sessions = Sessions("k" * MIN_SECRET)
    cookie, data = sessions.issue("ana", 0, "analyst", None)
    for junk in (cookie + "x", "abc", cookie.replace(".", "!", 1), "e30.aGVsbG8.c2ln"):
        assert sessions.read(junk) is None
    assert sessions.read(cookie) == data
    cached = sessions._verified.cache_info()  # type: ignore[attr-defined]
    assert cached.currsize == 1
