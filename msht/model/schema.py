"""Load and validate the POLE schema from the YAML files beside this module.

The schema is data (followthemoney style): one file per entity family, a link-role file and
code lists. Loading checks the rules the law and later stages rely on: protected
characteristics are marked, anonymous events (MS1) cannot hold identifying properties, and
no link role can join a Person to an anonymous event.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from msht.errors import ConfigError

PropertyType = Literal[
    "string", "text", "name", "date", "integer", "boolean", "code", "postcode", "phone", "vrm"
]
Category = Literal["person", "object", "location", "event"]

#: Property types that identify a person; an anonymous entity may not have any.
IDENTIFYING_TYPES: frozenset[str] = frozenset({"name", "phone", "postcode", "vrm"})
#: Property names of protected characteristics (and close proxies): they must be marked
#: `protected`, so that no later stage can use them as a risk input (R01).
PROTECTED_NAMES: frozenset[str] = frozenset(
    {
        "sex",
        "gender",
        "nationality",
        "ethnicity",
        "religion",
        "sexual_orientation",
        "disability",
        "languages",
        "issuing_country",
        "country_of_birth",
    }
)
#: Property names that identify a person whatever their type.
IDENTIFYING_NAMES: frozenset[str] = frozenset(
    {"dob", "date_of_birth", "email", "photo", "image", "address_text", "phone", "contact"}
)
#: Columns every POLE table carries, in this order, before its properties.
PROVENANCE_COLUMNS: tuple[str, ...] = (
    "id",
    "source",
    "source_record_id",
    "source_file",
    "source_row",
    "run_id",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Property(_Strict):
    """One property of an entity type."""

    type: PropertyType
    description: str
    multiple: bool = False
    protected: bool = False
    values: tuple[str, ...] | None = None
    values_from: str | None = None
    max_length: int | None = Field(default=None, gt=0)

    @field_validator("values", mode="before")
    @classmethod
    def _values_as_strings(cls, v: Any) -> Any:
        if isinstance(v, list) and any(isinstance(x, bool) for x in v):
            # YAML 1.1 reads yes/no/on/off as booleans: the code list would silently change.
            raise ValueError("quote codes such as yes, no, on, off: YAML reads them as booleans")
        return tuple(str(x) for x in v) if isinstance(v, list) else v

    def limit(self) -> int:
        """Longest value accepted before the row is quarantined as over-long."""
        if self.max_length is not None:
            return self.max_length
        return 20_000 if self.type == "text" else 500


class EntityType(_Strict):
    """An entity type of the POLE model (Person, Vehicle, Address, CrimeReport…)."""

    name: str
    category: Category
    table: str
    description: str
    anonymous: bool = False
    properties: dict[str, Property]


class LinkRole(_Strict):
    """A typed role joining two entities (victim, resident-at, uses-phone…)."""

    from_: tuple[str, ...] = Field(alias="from")
    to: tuple[str, ...]
    description: str


class Schema(_Strict):
    """The whole POLE schema: entity types, link roles and code lists."""

    entities: dict[str, EntityType]
    links: dict[str, LinkRole]
    codes: dict[str, dict[str, str]]

    def entity(self, name: str) -> EntityType:
        """Return the entity type called `name` or raise KeyError naming the known ones."""
        try:
            return self.entities[name]
        except KeyError:
            raise KeyError(
                f"unknown entity type {name!r}; known: {sorted(self.entities)}"
            ) from None

    def allowed_values(self, prop: Property) -> tuple[str, ...] | None:
        """Codes a `code` property accepts, from its own list or a shared code list."""
        if prop.values is not None:
            return prop.values
        if prop.values_from is not None:
            return tuple(self.codes[prop.values_from])
        return None

    def protected_properties(self) -> dict[str, list[str]]:
        """Per entity type, the properties marked protected (never a risk input, R01)."""
        return {
            e.name: [p for p, d in e.properties.items() if d.protected]
            for e in self.entities.values()
            if any(d.protected for d in e.properties.values())
        }


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML: {exc}") from exc


def _entity(path: Path, key: str, raw: Any) -> EntityType:
    try:
        return EntityType.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError.from_validation(str(path), exc, key) from exc


def _check(schema: Schema, files: dict[str, str], links_file: str) -> None:
    """Rules across files; each error names the file that holds the offending entry."""
    tables: set[str] = set()
    for ent in schema.entities.values():
        where = files[ent.name]
        if ent.table in tables:
            raise ConfigError(where, f"{ent.name}.table", f"table {ent.table!r} used twice")
        tables.add(ent.table)
        for pname, prop in ent.properties.items():
            key = f"{ent.name}.properties.{pname}"
            if pname in PROVENANCE_COLUMNS:
                raise ConfigError(where, key, "name is reserved for provenance")
            if pname in PROTECTED_NAMES and not prop.protected:
                raise ConfigError(where, key, "a protected characteristic must say protected: true")
            if prop.type == "code" and prop.values is None and prop.values_from is None:
                raise ConfigError(where, key, "a code property needs values or values_from")
            if prop.values_from is not None and prop.values_from not in schema.codes:
                raise ConfigError(where, key, f"unknown code list {prop.values_from!r}")
            if ent.anonymous and (prop.type in IDENTIFYING_TYPES or pname in IDENTIFYING_NAMES):
                raise ConfigError(
                    where, key, "an anonymous entity cannot hold identifying details (MSA s.52(3))"
                )
    where = links_file
    for role, link in schema.links.items():
        for end in (*link.from_, *link.to):
            if end not in schema.entities:
                raise ConfigError(where, f"links.{role}", f"unknown entity type {end!r}")
        ends = [schema.entities[e] for e in link.from_], [schema.entities[e] for e in link.to]
        for side, other in (ends, ends[::-1]):
            if any(e.anonymous for e in side) and any(e.name == "Person" for e in other):
                raise ConfigError(
                    where, f"links.{role}", "cannot link a Person to an anonymous event"
                )


def load_schema(folder: Path) -> Schema:
    """Load every schema file in `folder`; raise ConfigError naming file and key on error."""
    entities: dict[str, EntityType] = {}
    files: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name in {"links.yaml", "codes.yaml"}:
            continue
        raw = _read_yaml(path)
        items = raw if isinstance(raw, list) else [raw]
        for i, item in enumerate(items):
            ent = _entity(path, f"[{i}]" if isinstance(raw, list) else "", item)
            if ent.name in entities:
                raise ConfigError(str(path), ent.name, "entity type defined twice")
            entities[ent.name] = ent
            files[ent.name] = str(path)
    links_path, codes_path = folder / "links.yaml", folder / "codes.yaml"
    try:
        schema = Schema(
            entities=entities,
            links={k: LinkRole.model_validate(v) for k, v in _read_yaml(links_path).items()},
            codes={
                k: {str(c): str(d) for c, d in v.items()} for k, v in _read_yaml(codes_path).items()
            },
        )
    except ValidationError as exc:
        raise ConfigError.from_validation(str(links_path), exc) from exc
    _check(schema, files, str(links_path))
    return schema


@cache
def pole_schema() -> Schema:
    """The POLE schema shipped with msht (loaded once)."""
    folder = resources.files("msht.model") / "schema"
    return load_schema(Path(str(folder)))
