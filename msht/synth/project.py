"""The project folder a generated data set lives in: the example project plus data."""

from __future__ import annotations

import shutil
from pathlib import Path

from msht.project.example import example_dir

#: What is copied from the example project.
COPIED = ("msht.yaml", "rules", "sources")


def copy_example(out: Path) -> None:
    """Copy the example project's msht.yaml, rules/ and sources/*.yaml into `out`."""
    src = example_dir()
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / "msht.yaml", out / "msht.yaml")
    shutil.copytree(
        src / "rules",
        out / "rules",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (out / "sources").mkdir(exist_ok=True)
    for path in sorted((src / "sources").glob("*.yaml")):
        shutil.copyfile(path, out / "sources" / path.name)
    for folder in ("data", "truth"):
        (out / folder).mkdir(exist_ok=True)
