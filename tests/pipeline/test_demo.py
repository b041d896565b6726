from __future__ import annotations

from pathlib import Path

from msht.pipeline.demo import run_demo


def test_demo_runs_every_stage_on_what_it_synthesised(tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo", people=500, seed=3)
    summary = result.run.summary
    assert summary.ok and set(summary.sources) == set(result.synth.rows)
    for name, rows in result.synth.rows.items():
        assert summary.sources[name]["rows_in"] == rows
    assert (tmp_path / "demo" / "runs" / "latest" / "summary.json").is_file()
