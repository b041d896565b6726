from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from msht.cli import audit
from msht.pipeline.serving import open_store
from msht.project.example import init_project
from msht.store.database import transaction

from .chains import ENTRIES, fill

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose serving store (SQLite or PostgreSQL) holds the six-entry log."""
    root = tmp_path / "p"
    init_project(root)
    monkeypatch.setenv("MSHT_DATABASE_URL", database_url)
    engine = open_store(root)
    with transaction(engine) as session:
        fill(session)
    engine.dispose()
    return root


def test_verify_counts_a_sound_log(project: Path) -> None:
    result = runner.invoke(audit.app, ["verify", str(project)])
    assert result.exit_code == 0, result.output
    assert f"Audit log sound: {len(ENTRIES)} entries" in result.output


def test_verify_names_the_first_bad_entry(project: Path) -> None:
    engine = open_store(project)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET reason = 'routine' WHERE seq = 4"))
    engine.dispose()
    result = runner.invoke(audit.app, ["verify", str(project)])
    assert result.exit_code == 1
    assert "broken at entry 4" in result.output and "altered" in result.output


def test_verify_on_a_folder_without_a_project_says_so(tmp_path: Path) -> None:
    result = runner.invoke(audit.app, ["verify", str(tmp_path)])
    assert result.exit_code == 1 and "msht.yaml" in result.output


def test_export_writes_the_file_and_records_itself(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "ico.jsonl"
    args = ["export", str(project), "--from", "2000-01-01", "--to", "2099-12-31", "--out", str(out)]
    result = runner.invoke(audit.app, [*args, "--reason", "ICO letter of 3 March"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {len(ENTRIES)} entries" in result.output
    assert f"audit entry {len(ENTRIES) + 1}" in result.output
    header = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert header["count"] == len(ENTRIES) and header["recipient"] == "ICO"
    again = runner.invoke(audit.app, ["verify", str(project)])
    assert f"{len(ENTRIES) + 1} entries" in again.output


def test_export_refuses_a_date_not_in_iso_form(project: Path, tmp_path: Path) -> None:
    args = ["export", str(project), "--from", "03/01/2025", "--out", str(tmp_path / "a")]
    result = runner.invoke(audit.app, args)
    assert result.exit_code == 2
