from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from msht.cli import app, reference

README = Path(__file__).parents[2] / "README.md"
runner = CliRunner()


def test_readme_cli_reference_matches_the_code() -> None:
    text = README.read_text(encoding="utf-8")
    assert reference.START in text and reference.END in text
    assert reference.splice(text, reference.render()) == text, "README is stale: run `make docs`"


def test_every_command_has_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("init", "synth", "run", "demo"):
        assert name in result.output


def test_init_creates_a_loadable_project(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p" / "msht.yaml").is_file()
    again = runner.invoke(app, ["init", str(tmp_path / "p")])
    assert again.exit_code == 1 and "already exists" in again.output


def test_run_on_a_missing_project_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path)])
    assert result.exit_code == 1 and "msht.yaml" in result.output


def test_run_exits_non_zero_and_names_the_failed_source(tmp_path: Path) -> None:
    from factories import write_project

    mapping = (
        "source: people\nfiles: 'data/*.csv'\nformat: csv\nrecord_id: Ref\n"
        "entities:\n  person:\n    type: Person\n    properties:\n      surname: Name\n"
    )
    root = write_project(tmp_path / "p", {"people": mapping}, {"data/a.csv": "Ref,Other\nR1,x\n"})
    result = runner.invoke(app, ["run", str(root)])
    assert result.exit_code == 1
    assert "source people failed" in result.output and "Name" in result.output
    assert (root / "runs" / "latest" / "summary.json").is_file()


def test_synth_never_writes_over_a_real_project(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path / "p")]).exit_code == 0
    result = runner.invoke(app, ["synth", "--out", str(tmp_path / "p"), "--people", "100"])
    assert result.exit_code == 1 and "real project" in result.output
