"""`docs/configuration.md`: every key of `msht.yaml` and of a source mapping, from the models.

The text of each key is the docstring of its field, so code and docs cannot disagree;
`make docs` rewrites it.
"""

from __future__ import annotations

import typing

from pydantic import BaseModel

from msht.ingest.mapping import (
    CsvOptions,
    DateOptions,
    EntityMap,
    LinkMap,
    Mapping,
    PropertyMap,
)
from msht.project.config import Paths, ProjectConfig
from msht.settings import ENVIRONMENT

SECTIONS: tuple[tuple[str, type[BaseModel]], ...] = (
    ("`msht.yaml`", ProjectConfig),
    ("`msht.yaml`: `paths`", Paths),
    ("Source mapping (`sources/<system>.yaml`)", Mapping),
    ("Mapping: `csv`", CsvOptions),
    ("Mapping: `dates` (per source or per property)", DateOptions),
    ("Mapping: an entry of `entities`", EntityMap),
    ("Mapping: an entry of an entity's `properties`", PropertyMap),
    ("Mapping: an entry of `links`", LinkMap),
)


def _type(annotation: object) -> str:
    if isinstance(annotation, type):
        text = annotation.__name__
    elif typing.get_origin(annotation) is typing.Literal:
        text = " | ".join(repr(a) for a in typing.get_args(annotation))
    else:
        text = str(annotation).replace("typing.", "")
    text = text.replace("msht.ingest.mapping.", "").replace("msht.project.config.", "")
    return text.replace("|", "\\|")


def undocumented() -> list[str]:
    """Fields without a description (a test keeps this empty)."""
    return [
        f"{model.__name__}.{name}"
        for _, model in SECTIONS
        for name, field in model.model_fields.items()
        if not (field.description or "").strip()
    ]


def render() -> str:
    """The whole page."""
    out = [
        "# Configuration reference",
        "",
        "Generated from the code by `make docs`; do not edit by hand. A project folder holds",
        "`msht.yaml` and one mapping per source system in `sources/`; both are validated when",
        "loaded, and every error names the file, the key and the problem.",
        "",
    ]
    for title, model in SECTIONS:
        out += [f"## {title}", "", (model.__doc__ or "").strip(), ""]
        out += ["| key | type | default | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            key = field.alias or name
            value = field.get_default()
            default = (
                "required"
                if field.is_required()
                else ""
                if isinstance(value, BaseModel)
                else f"`{value!r}`"
            )
            desc = " ".join((field.description or "").split()).replace("|", "\\|")
            out.append(f"| `{key}` | {_type(field.annotation)} | {default} | {desc} |")
        out.append("")
    out += ["## Environment variables", "", "| variable | meaning |", "|---|---|"]
    out += [f"| `{name}` | {text} |" for name, text in ENVIRONMENT.items()]
    return "\n".join(out).rstrip() + "\n"
