"""Compile a mapping once into plans: for each entity, how to fill each property."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from msht.ingest.mapping import DateOptions, Mapping, PropertyMap, Transform
from msht.ingest.tables import arrow_type
from msht.ingest.transforms import Convert, FastPath, compile_fast_path, compile_transform
from msht.model.schema import Property, Schema


@dataclass(frozen=True)
class Problem:
    """Why a row was quarantined: the field and a stable reason code."""

    field: str
    reason: str
    detail: str


@dataclass(frozen=True)
class PropertyPlan:
    """How to fill one property."""

    name: str
    label: str  # the source column(s), for error messages
    columns: tuple[str, ...]
    constant: str | None
    convert: Convert
    #: Arrow fast path for the commonest shapes of text; the rest goes through `convert`.
    fast: FastPath | None
    required: bool
    on_error: str
    split: str | None
    limit: int
    #: "text" (kept as written) and "string" (spaces collapsed) run as Arrow kernels over the
    #: whole column; None means a Python normaliser runs once per distinct value.
    vectorised: str | None
    key: str  # equal for plans that read the same columns the same way (their values are shared)
    arrow_type: pa.DataType


@dataclass(frozen=True)
class EntityPlan:
    """How to fill one entity of each row."""

    key: str
    type: str
    table: str
    when: tuple[str, ...]
    properties: tuple[PropertyPlan, ...]


def plan_property(
    name: str,
    pmap: PropertyMap,
    prop: Property,
    transform: Transform,
    allowed: tuple[str, ...] | None,
    dates: DateOptions,
) -> PropertyPlan:
    """Compile how one property is filled."""
    return PropertyPlan(
        name=name,
        label=", ".join(pmap.source_columns()) or f"(constant {pmap.value!r})",
        columns=pmap.source_columns(),
        constant=pmap.value,
        convert=compile_transform(transform, pmap, prop, allowed, dates),
        fast=compile_fast_path(transform, pmap, dates),
        required=pmap.required,
        on_error=pmap.on_error,
        split=pmap.split,
        limit=prop.limit(),
        vectorised=transform if transform in ("text", "string") and pmap.split is None else None,
        # Entities of one type reading the same columns the same way share their values.
        key=f"{prop.type}:{allowed}:{prop.limit()}:{transform}:"
        f"{pmap.model_dump_json(exclude={'required'})}",
        arrow_type=arrow_type(prop),
    )


def plan_entities(mapping: Mapping, schema: Schema) -> tuple[EntityPlan, ...]:
    """Compile every entity of a mapping, before any row is read."""
    plans = []
    for key, ent in mapping.entities.items():
        etype = schema.entity(ent.type)
        props = tuple(
            plan_property(
                pname,
                pmap,
                etype.properties[pname],
                mapping.transform_of(key, pname),
                schema.allowed_values(etype.properties[pname]),
                mapping.dates,
            )
            for pname, pmap in ent.properties.items()
        )
        plans.append(EntityPlan(key, ent.type, etype.table, ent.when, props))
    return tuple(plans)
