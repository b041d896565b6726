"""Partner organisations, loaded from `partners.yaml` and validated on load."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from msht.access.errors import AccessError
from msht.errors import ConfigError


class Partner(BaseModel):
    """An organisation that works beside the police and may receive shared items."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    """Stable id, stored on partner accounts and shares."""
    name: str = Field(min_length=1)
    """Name shown on screens and exports."""
    kind: Literal["law_enforcement", "local_authority", "ngo", "government"]
    """What sort of organisation it is."""


_PARTNERS = TypeAdapter(list[Partner])


def _file() -> Path:
    return Path(str(resources.files("msht.access") / "partners.yaml"))


def load_partners(path: Path | None = None) -> dict[str, Partner]:
    """Partner id → partner, from `path` (msht's own `partners.yaml` by default); a
    ConfigError names the file, the entry and the problem (duplicate ids included)."""
    source = path or _file()
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
        listed = _PARTNERS.validate_python(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(str(source), "", f"not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError.from_validation(str(source), exc) from exc
    partners: dict[str, Partner] = {}
    for index, partner in enumerate(listed):
        if partner.id in partners:
            raise ConfigError(str(source), f"{index}.id", f"{partner.id!r} is listed twice")
        partners[partner.id] = partner
    return partners


@cache
def partners() -> Mapping[str, Partner]:
    """The partner organisations shipped with msht (loaded once)."""
    return load_partners()


def partner(organisation: str) -> Partner:
    """The partner with id `organisation`; AccessError listing the known ids otherwise."""
    found = partners().get(organisation)
    if found is None:
        known = ", ".join(partners())
        raise AccessError(f"unknown partner organisation {organisation!r}; known: {known}")
    return found
