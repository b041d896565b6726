"""`docs/model.md`, generated from the POLE schema files (a test keeps it in step).

`make docs` rewrites it.
"""

from __future__ import annotations

from msht.model.schema import PROVENANCE_COLUMNS, Schema, pole_schema

_CATEGORIES = (
    ("person", "Person"),
    ("object", "Objects"),
    ("location", "Locations"),
    ("event", "Events"),
)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(schema: Schema | None = None) -> str:
    """The reference page: entity types by POLE category, link roles, code lists."""
    schema = schema or pole_schema()
    out = [
        "# The POLE model",
        "",
        "Generated from `msht/model/schema/*.yaml` by `make docs`; do not edit by hand.",
        "",
        "Every table also has the provenance columns "
        + ", ".join(f"`{c}`" for c in PROVENANCE_COLUMNS)
        + ": the source system, its record id, the file and row the values came from, and the "
        "ingest run. **Protected** properties are stored for statistics and NRM forms only; "
        "the rule loader refuses them as risk inputs (requirement R01).",
        "",
    ]
    for category, title in _CATEGORIES:
        out += [f"## {title}", ""]
        for ent in (e for e in schema.entities.values() if e.category == category):
            out += [f"### {ent.name} (`{ent.table}`)", "", _cell(ent.description), ""]
            if ent.anonymous:
                out += [
                    "*Anonymous by law: cannot hold identifying properties or a Person link.*",
                    "",
                ]
            out += ["| property | type | meaning |", "|---|---|---|"]
            for name, prop in ent.properties.items():
                kind = prop.type + (" (several)" if prop.multiple else "")
                codes = schema.allowed_values(prop)
                if codes:
                    kind += ": " + ", ".join(f"`{c}`" for c in codes)
                flag = " **protected**" if prop.protected else ""
                out.append(f"| `{name}`{flag} | {kind} | {_cell(prop.description)} |")
            out.append("")
    out += ["## Link roles", "", "| role | from | to | meaning |", "|---|---|---|---|"]
    for role, link in schema.links.items():
        ends = f"{', '.join(link.from_)} | {', '.join(link.to)}"
        out.append(f"| `{role}` | {ends} | {_cell(link.description)} |")
    out += ["", "## Code lists", ""]
    for name, code_list in schema.codes.items():
        out += [f"### {name}", "", "| code | meaning |", "|---|---|"]
        out += [f"| `{c}` | {_cell(d)} |" for c, d in code_list.items()]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
