"""Read a YAML file and validate it with a pydantic model, naming file and key on error."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from msht.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path) -> Any:
    """Parsed content of `path`; ConfigError if it is not valid YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), "", f"cannot read YAML: {exc}") from exc


def parse(model: type[M], raw: Any, path: Path) -> M:
    """Validate `raw` as `model`; ConfigError naming the first bad key otherwise."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError.from_validation(str(path), exc) from exc
