"""The project folder a generated data set lives in: the example project plus data."""

from __future__ import annotations

from pathlib import Path

from msht.errors import ConfigError
from msht.project.config import CONFIG_FILE
from msht.project.example import init_project

#: Present only in folders `msht synth` wrote; only those may be written over.
SYNTHETIC_MARK = Path("truth") / "records.csv"


def copy_example(out: Path) -> None:
    """Lay out the example project (msht.yaml, rules/, sources/) in `out`, ready for data."""
    if (out / CONFIG_FILE).exists() and not (out / SYNTHETIC_MARK).exists():
        raise ConfigError(
            str(out / CONFIG_FILE),
            "",
            "a real project is here; msht synth writes only into "
            "a new folder or over an earlier synthetic one",
        )
    init_project(out, force=True)
    (out / "truth").mkdir(exist_ok=True)
