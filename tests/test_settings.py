from __future__ import annotations

from dataclasses import fields

import pytest

from msht.settings import ENVIRONMENT, Settings, settings


def test_every_setting_is_documented() -> None:
    assert len(ENVIRONMENT) == len(fields(Settings))


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSHT_SPARK_MASTER", "local[1]")
    monkeypatch.delenv("MSHT_DATABASE_URL", raising=False)
    assert settings().spark_master == "local[1]" and settings().database_url is None
