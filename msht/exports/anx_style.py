"""How entity types and link roles look in i2 Analyst's Notebook: icon names and colours,
as data (`msht/exports/data/anx.yaml`, or the project's `rules/anx.yaml`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from msht.errors import ConfigError

FILE = "anx.yaml"
#: A colour as #RRGGBB.
Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class EntityStyle(_Strict):
    """One entity type's ANB icon and colour."""

    icon: str = Field(min_length=1)
    """ANB icon (type icon) name, as the installation's icon set spells it."""
    colour: Colour
    """#RRGGBB."""


class AnxStyle(_Strict):
    """The contents of `anx.yaml`."""

    entity_types: dict[str, EntityStyle]
    """Entity type → its icon and colour."""
    link_colours: dict[str, Colour] = {}
    """Link role → #RRGGBB."""
    default_link_colour: Colour = "#000000"
    """Colour of roles not listed (the in-same-… edges of events, say)."""

    def link_colour(self, role: str) -> int:
        """ANB colour of a role's links."""
        return bgr(self.link_colours.get(role, self.default_link_colour))


def bgr(colour: str) -> int:
    """'#RRGGBB' → ANB's colour integer, a Windows COLORREF: red + green·256 + blue·65536."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return red + (green << 8) + (blue << 16)


def load_anx_style(rules: Path | None = None) -> AnxStyle:
    """The project's `rules/anx.yaml` if it has one, else msht's; errors name file and key."""
    path = rules / FILE if rules is not None and (rules / FILE).exists() else None
    source = path or Path(str(resources.files("msht.exports") / "data" / FILE))
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
        style = AnxStyle.model_validate(data)
    except yaml.YAMLError as exc:
        raise ConfigError(str(source), "", f"not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError.from_validation(str(source), exc) from exc
    return style
