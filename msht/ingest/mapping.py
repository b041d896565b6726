"""Source mappings: which columns of one source system fill which POLE properties.

A mapping is a YAML file in the project's `sources/` folder. It is validated against the POLE
schema when loaded; every problem names the file, the key and what is wrong.
"""

from __future__ import annotations

import codecs
from pathlib import Path, PurePath
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from msht.errors import ConfigError
from msht.model.schema import IDENTIFYING_TYPES, Property, Schema, pole_schema

Transform = Literal[
    "string",
    "text",
    "name",
    "forenames",
    "surname",
    "date",
    "integer",
    "boolean",
    "code",
    "postcode",
    "phone",
    "vrm",
]
#: The transform a property gets when its mapping does not name one.
DEFAULT_TRANSFORM: dict[str, Transform] = {
    "string": "string",
    "text": "text",
    "name": "name",
    "date": "date",
    "integer": "integer",
    "boolean": "boolean",
    "code": "code",
    "postcode": "postcode",
    "phone": "phone",
    "vrm": "vrm",
}
#: Transforms whose output fits each property type.
COMPATIBLE: dict[str, frozenset[str]] = {
    "name": frozenset({"name", "forenames", "surname", "string"}),
    "string": frozenset({"string", "name", "code", "postcode", "phone", "vrm"}),
    "text": frozenset({"text", "string"}),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class DateOptions(_Strict):
    """How dates are written in a source."""

    styles: tuple[Literal["dmy", "iso", "excel", "ymd_compact"], ...] = ("dmy", "iso")
    """Date styles tried in order: `dmy` (UK day-first: 03/04/2021, 3/4/21, 3 Apr 2021), `iso`
    (2021-04-03), `excel` (serial day numbers; not a default, since a bare year such as 1990
    would read as one), `ymd_compact` (20210403). Never month-first."""
    pivot: int = Field(default=30, ge=0, le=99)
    """Two-digit years up to this are 20yy, above it 19yy."""
    formats: tuple[str, ...] = ()
    """Extra `strptime` patterns, tried before the styles."""


class PropertyMap(_Strict):
    """Where one property's value comes from and how it is normalised."""

    column: str | None = None
    """The source column (for JSON: the dotted key, e.g. `victim.name.given`)."""
    columns: tuple[str, ...] | None = None
    """Several columns joined by a space (e.g. forename and middle name)."""
    value: str | None = None
    """A constant instead of a column (e.g. the agency of a single-agency source)."""
    transform: Transform | None = None
    """Normaliser to apply; by default the one of the property's type. `forenames` and
    `surname` split a full name held in one column."""
    required: bool = False
    """A row whose entity has no value here is quarantined (`missing_required_field`)."""
    on_error: Literal["quarantine", "null"] = "quarantine"
    """What a value that cannot be normalised does: quarantine its row, or become null."""
    values: dict[str, str] | None = None
    """Code list translation, source value → msht code (matched ignoring case and spaces)."""
    default: str | None = None
    """Code to use when a value is not in `values` (otherwise: `unknown_code`)."""
    split: str | None = None
    """Separator of several values in one cell, for properties that hold several."""
    order: Literal["auto", "forenames_first", "surname_first"] = "auto"
    """Name order for `forenames` / `surname`; `auto` reads "SURNAME, Forename" and "SMITH John"."""
    dates: DateOptions | None = None
    """Date options for this property, overriding the source's."""
    region: str = "GB"
    """Country whose national numbers phone numbers without a `+` prefix are."""

    @model_validator(mode="after")
    def _one_origin(self) -> PropertyMap:
        given = [x for x in (self.column, self.columns, self.value) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of column, columns or value")
        return self

    def source_columns(self) -> tuple[str, ...]:
        """Columns of the source file this property reads."""
        if self.column is not None:
            return (self.column,)
        return self.columns or ()


class EntityMap(_Strict):
    """One POLE entity produced by each row of a source."""

    type: str
    """POLE entity type (see docs/model.md), e.g. `Person`, `Vehicle`, `IntelligenceReport`."""
    when: tuple[str, ...] = ()
    """Produce the entity only when one of these columns has a value."""
    properties: dict[str, PropertyMap]
    """Property name → where its value comes from (`name: Col` is short for `{column: Col}`)."""


class LinkMap(_Strict):
    """A link between two entities of the same row."""

    role: str
    """Link role (see docs/model.md), e.g. `victim`, `resident-at`, `uses-phone`."""
    from_: str = Field(alias="from")
    """Key of the entity at the link's start."""
    to: str
    """Key of the entity at the link's end."""
    start: str | None = None
    """Column with the date the link began."""
    end: str | None = None
    """Column with the date the link ended."""


class CsvOptions(_Strict):
    """CSV dialect of a source."""

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    """Field separator."""
    quotechar: str = Field(default='"', min_length=1, max_length=1)
    """Quote character."""


class Mapping(_Strict):
    """A whole source mapping: files, format and what each row produces."""

    source: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    """Name of the source system (lower case, digits, `_`); unique in the project."""
    description: str = ""
    """What the source is, for people."""
    files: str
    """Glob of the source's files, relative to the project folder."""
    format: Literal["csv", "xlsx", "json", "jsonl"]
    """File format."""
    encoding: str = "auto"
    """Text encoding; `auto` reads UTF-8 (with or without BOM), else cp1252."""
    csv: CsvOptions = CsvOptions()
    """CSV dialect."""
    sheet: str | None = None
    """XLSX worksheet to read (default: the first)."""
    json_records: str | None = None
    """For JSON: the key holding the list of records (default: the document is the list)."""
    record_id: str
    """Column holding the source's own record id (required, unique within the source)."""
    dates: DateOptions = DateOptions()
    """How dates are written in this source."""
    entities: dict[str, EntityMap]
    """Entity key → the entity each row produces."""
    links: tuple[LinkMap, ...] = ()
    """Links between the row's entities."""

    def columns(self) -> set[str]:
        """Every source column the mapping reads (the file must have them all)."""
        cols = {self.record_id}
        for ent in self.entities.values():
            cols.update(ent.when)
            for prop in ent.properties.values():
                cols.update(prop.source_columns())
        for link in self.links:
            cols.update(c for c in (link.start, link.end) if c)
        return cols

    def transform_of(self, entity: str, prop: str) -> Transform:
        """The transform that applies to `entity.prop` (explicit or from the property type)."""
        pmap = self.entities[entity].properties[prop]
        if pmap.transform is not None:
            return pmap.transform
        ptype = pole_schema().entity(self.entities[entity].type).properties[prop].type
        return DEFAULT_TRANSFORM[ptype]


def _coerce(raw: Any) -> Any:
    """Allow `prop: "Column"` as shorthand for `prop: {column: "Column"}`."""
    if isinstance(raw, dict):
        for ent in (raw.get("entities") or {}).values():
            if isinstance(ent, dict) and isinstance(ent.get("properties"), dict):
                props = ent["properties"]
                for key, val in props.items():
                    if isinstance(val, str):
                        props[key] = {"column": val}
    return raw


def _check_property(
    schema: Schema, where: str, key: str, prop: Property, pmap: PropertyMap, transform: str
) -> None:
    allowed = COMPATIBLE.get(prop.type, frozenset({DEFAULT_TRANSFORM[prop.type]}))
    if transform not in allowed and transform != DEFAULT_TRANSFORM[prop.type]:
        raise ConfigError(where, key, f"transform {transform!r} cannot fill a {prop.type} property")
    codes = schema.allowed_values(prop)
    if codes is not None:
        for target in [*(pmap.values or {}).values(), pmap.default, pmap.value]:
            if target is not None and target not in codes:
                raise ConfigError(
                    where, key, f"{target!r} is not one of the allowed codes {list(codes)}"
                )
    if pmap.split is not None and not prop.multiple:
        raise ConfigError(where, key, "split is only for properties that hold several values")


def _check_files(m: Mapping, where: str) -> None:
    if m.encoding != "auto":
        try:
            codecs.lookup(m.encoding)
        except LookupError:
            raise ConfigError(where, "encoding", f"unknown encoding {m.encoding!r}") from None
    if PurePath(m.files).is_absolute() or ".." in PurePath(m.files).parts:
        raise ConfigError(where, "files", "must be a glob inside the project folder")
    for ekey, ent in m.entities.items():
        for pname, pmap in ent.properties.items():
            if pmap.values is not None:
                folded = [k.strip().casefold() for k in pmap.values]
                if len(set(folded)) != len(folded):
                    raise ConfigError(
                        where,
                        f"entities.{ekey}.properties.{pname}.values",
                        "two source values differ only in case or spaces",
                    )


def _check_anonymous(m: Mapping, schema: Schema, where: str) -> None:
    """A row that makes an anonymous record (MS1) may make nothing that identifies anyone.

    Everything made from one row shares its record id, so a Person beside an MS1 would
    identify the person the notification must not name (MSA 2015 s.52(3)).
    """
    anonymous = [k for k, e in m.entities.items() if schema.entity(e.type).anonymous]
    if not anonymous:
        return
    for key, ent in m.entities.items():
        etype = schema.entity(ent.type)
        identifying = ent.type == "Person" or any(
            p.type in IDENTIFYING_TYPES for p in etype.properties.values()
        )
        if identifying and key not in anonymous:
            raise ConfigError(
                where,
                f"entities.{key}",
                f"a source of anonymous {schema.entity(m.entities[anonymous[0]].type).name} "
                f"records cannot also make a {ent.type}: it would identify the person",
            )


def _check(m: Mapping, schema: Schema, where: str) -> None:
    _check_files(m, where)
    for ekey, ent in m.entities.items():
        if ent.type not in schema.entities:
            raise ConfigError(
                where,
                f"entities.{ekey}.type",
                f"unknown entity type {ent.type!r}; known: {', '.join(sorted(schema.entities))}",
            )
        etype = schema.entities[ent.type]
        for pname, pmap in ent.properties.items():
            key = f"entities.{ekey}.properties.{pname}"
            if pname not in etype.properties:
                raise ConfigError(
                    where,
                    key,
                    f"{ent.type} has no property {pname!r}; it has: {', '.join(etype.properties)}",
                )
            _check_property(
                schema, where, key, etype.properties[pname], pmap, m.transform_of(ekey, pname)
            )
    for i, link in enumerate(m.links):
        key = f"links[{i}]"
        if link.role not in schema.links:
            raise ConfigError(where, f"{key}.role", f"unknown link role {link.role!r}")
        for end, allowed in (
            (link.from_, schema.links[link.role].from_),
            (link.to, schema.links[link.role].to),
        ):
            if end not in m.entities:
                raise ConfigError(where, key, f"no entity {end!r} in this mapping")
            if m.entities[end].type not in allowed:
                raise ConfigError(
                    where,
                    key,
                    f"role {link.role!r} cannot join a {m.entities[end].type} "
                    f"here; allowed: {', '.join(allowed)}",
                )


def load_mapping(path: Path, schema: Schema | None = None) -> Mapping:
    """Load and validate one mapping file; raise ConfigError naming file, key and problem."""
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(where, "", f"cannot read mapping: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(where, "", "a mapping file must be a YAML mapping (key: value)")
    try:
        mapping = Mapping.model_validate(_coerce(raw))
    except ValidationError as exc:
        raise ConfigError.from_validation(where, exc) from exc
    _check(mapping, schema or pole_schema(), where)
    _check_anonymous(mapping, schema or pole_schema(), where)
    return mapping
