"""`msht disparity`: a suppressed group shows why it is hidden, never a count."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from msht.cli import app
from msht.cli import risk as risk_cli
from msht.pipeline import risk_eval
from msht.risk.disparity import Disparity

runner = CliRunner()


def test_disparity_says_why_each_group_is_suppressed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    groups = [
        Disparity("sex", "female", 40, 10, 0.25, 0.14, 0.4, 1.5, 0.8, 2.7),
        Disparity.hidden("sex", "male", "secondary"),
        Disparity.hidden("sex", "not recorded", "primary"),
    ]
    monkeypatch.setattr(risk_eval, "disparity_of", lambda root: groups)
    monkeypatch.setattr(risk_cli, "console", Console(width=200))  # no cell wrapped
    result = runner.invoke(app, ["disparity", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "suppressed (secondary)" in result.output
    assert "suppressed (primary)" in result.output
    assert "<5" not in result.output
