"""Read the generator's data files (name lists, geography, network kinds) once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from msht.errors import ConfigError

# libyaml's loader when PyYAML was built with it (ten times faster on the name lists).
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_dir() -> Path:
    """Folder of the generator's YAML data files."""
    return Path(str(resources.files("msht.synth") / "data"))


@cache
def load(name: str) -> dict[str, Any]:
    """The contents of `data/<name>.yaml` as a mapping; ConfigError names a broken file."""
    path = data_dir() / f"{name}.yaml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), "", f"cannot read generator data: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(str(path), "", "expected a YAML mapping at the top level")
    return raw


def weights(table: dict[str, Any]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Split a `{choice: weight}` mapping into choices and weights, in file order."""
    keys = tuple(str(k) for k in table)
    return keys, tuple(float(v) for v in table.values())
