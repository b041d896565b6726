"""Turn one raw source row into POLE entities and links, or into a quarantine entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from msht.errors import ValueProblem
from msht.ingest.mapping import Mapping
from msht.ingest.readers import RawRow
from msht.ingest.transforms import Convert, Value, compile_transform
from msht.model.schema import Schema

Getter = Callable[[dict[str, str]], str]


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
    get: Getter
    convert: Convert
    required: bool
    on_error: str
    split: str | None
    limit: int


@dataclass(frozen=True)
class EntityPlan:
    """How to fill one entity of the row."""

    key: str
    type: str
    table: str
    when: tuple[str, ...]
    properties: tuple[PropertyPlan, ...]


@dataclass
class RowResult:
    """Entities (key → table, properties) and links made from one row, or its problems."""

    entities: dict[str, tuple[str, str, dict[str, Value | list[Value] | None]]] = field(
        default_factory=dict
    )
    problems: list[Problem] = field(default_factory=list)


def _getter(columns: tuple[str, ...], constant: str | None) -> Getter:
    if constant is not None:
        return lambda _values: constant
    if len(columns) == 1:
        col = columns[0]
        return lambda values: values.get(col, "")
    return lambda values: " ".join(v for c in columns if (v := values.get(c, "").strip()))


def plan_entities(mapping: Mapping, schema: Schema) -> tuple[EntityPlan, ...]:
    """Compile every entity of a mapping once, before reading rows."""
    plans = []
    for key, ent in mapping.entities.items():
        etype = schema.entity(ent.type)
        props = []
        for pname, pmap in ent.properties.items():
            prop = etype.properties[pname]
            props.append(
                PropertyPlan(
                    name=pname,
                    label=", ".join(pmap.source_columns()) or f"(constant {pmap.value!r})",
                    get=_getter(pmap.source_columns(), pmap.value),
                    convert=compile_transform(
                        mapping.transform_of(key, pname), pmap, prop,
                        schema.allowed_values(prop), mapping.dates,
                    ),
                    required=pmap.required,
                    on_error=pmap.on_error,
                    split=pmap.split,
                    limit=prop.limit(),
                )
            )
        plans.append(EntityPlan(key, ent.type, etype.table, ent.when, tuple(props)))
    return tuple(plans)


def _is_null(text: str, nulls: frozenset[str]) -> bool:
    return text in nulls


def _convert(plan: PropertyPlan, text: str, problems: list[Problem]) -> Value | None:
    if len(text) > plan.limit:
        problems.append(Problem(plan.label, "over_long_field", f"{len(text)} characters, limit {plan.limit}"))
        return None
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in text):
        problems.append(Problem(plan.label, "undecodable_bytes", "bytes not valid in the file's encoding"))
        return None
    try:
        return plan.convert(text)
    except ValueProblem as exc:
        if plan.on_error == "null":
            return None
        problems.append(Problem(plan.label, exc.reason, exc.message))
        return None


def apply_row(row: RawRow, plans: tuple[EntityPlan, ...], nulls: frozenset[str]) -> RowResult:
    """Fill every entity the row produces; collect every problem rather than stopping at one."""
    result = RowResult()
    values = row.values
    for ent in plans:
        if ent.when and all(values.get(c, "").strip() in nulls for c in ent.when):
            continue
        props: dict[str, Value | list[Value] | None] = {}
        for plan in ent.properties:
            text = plan.get(values).strip()
            if text in nulls:
                if plan.required:
                    result.problems.append(
                        Problem(plan.label, "missing_required_field", "no value")
                    )
                props[plan.name] = None
                continue
            if plan.split is not None:
                parts = [p.strip() for p in text.split(plan.split)]
                converted = [_convert(plan, p, result.problems) for p in parts if p not in nulls]
                props[plan.name] = [v for v in converted if v is not None]
            else:
                props[plan.name] = _convert(plan, text, result.problems)
        result.entities[ent.key] = (ent.type, ent.table, props)
    return result
