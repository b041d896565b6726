"""The project folder a generated data set lives in: the example project plus data."""

from __future__ import annotations

from pathlib import Path

from msht.project.example import init_project


def copy_example(out: Path) -> None:
    """Lay out the example project (msht.yaml, rules/, sources/) in `out`, ready for data."""
    init_project(out, force=True)
    (out / "truth").mkdir(exist_ok=True)
