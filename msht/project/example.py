"""The complete example project shipped with msht, and `msht init`."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from msht.errors import ConfigError
from msht.project.config import CONFIG_FILE


def example_dir() -> Path:
    """Folder of the example project inside the installed package."""
    return Path(str(resources.files("msht.project") / "example"))


def init_project(dest: Path, force: bool = False) -> list[Path]:
    """Copy the example project (config, mappings, rules) into `dest`; return what was written."""
    if (dest / CONFIG_FILE).exists() and not force:
        raise ConfigError(str(dest / CONFIG_FILE), "", "a project already exists here")
    dest.mkdir(parents=True, exist_ok=True)
    src = example_dir()
    written = []
    for path in sorted(src.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            written.append(target)
    for folder in ("data", "store", "runs"):
        (dest / folder).mkdir(exist_ok=True)
    return written
