"""Compile a property mapping into one function from cell text to a typed value.

The normalisers themselves live in `msht.model.types`; this module only chooses and
configures them. A compiled function raises ValueProblem when the text cannot be used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import pyarrow as pa

from msht.errors import ValueProblem
from msht.ingest.mapping import DateOptions, PropertyMap, Transform
from msht.model.schema import Property
from msht.model.types import arrow, dates, names, phones, postcodes, scalars, vrms

Value = str | int | bool | dt.date
Convert = Callable[[str], Value | None]
#: Values for distinct texts in the commonest shapes, null for the rest (see model.types.arrow).
FastPath = Callable[[pa.Array], pa.Array | None]


def _text(value: str) -> str:
    """Free text is kept exactly as written, so indicator spans stay valid."""
    return value


def _string(value: str) -> str:
    return " ".join(value.split())


#: Name splits shared by the `forenames` and `surname` transforms of one column, which
#: would otherwise each split every distinct name (a bounded LRU misses on large files).
_SPLITS: dict[tuple[str, str], tuple[str | None, str | None]] = {}
_SPLITS_MAX = 1 << 21


def _part(index: int, order: str, value: str) -> str | None:
    key = (order, value)
    parts = _SPLITS.get(key)
    if parts is None:
        if len(_SPLITS) >= _SPLITS_MAX:
            _SPLITS.clear()
        parts = _SPLITS[key] = names.split_name(value, order)
    return parts[index]


def _code(folded: dict[str, str], default: str | None, value: str) -> str:
    return scalars.map_code(value, folded, default)


def compile_transform(
    transform: Transform,
    pmap: PropertyMap,
    prop: Property,
    allowed: tuple[str, ...] | None,
    source_dates: DateOptions,
) -> Convert:
    """The function that turns one cell's text into this property's value."""
    if transform == "text":
        return _text
    if transform == "string":
        return _string
    if transform == "name":
        return names.clean_name
    if transform in ("forenames", "surname"):
        return partial(_part, 0 if transform == "forenames" else 1, pmap.order)
    if transform == "date":
        opts = pmap.dates or source_dates
        return partial(
            dates.parse_date, styles=tuple(opts.styles), pivot=opts.pivot, formats=opts.formats
        )
    if transform == "integer":
        return scalars.parse_integer
    if transform == "boolean":
        return scalars.parse_boolean
    if transform == "postcode":
        return postcodes.normalise_postcode
    if transform == "phone":
        return partial(phones.normalise_phone, region=pmap.region)
    if transform == "vrm":
        return vrms.normalise_vrm
    if transform == "code":
        table = {code: code for code in allowed or ()}
        table.update(pmap.values or {})
        folded = scalars.fold_code_map(table) if (allowed or pmap.values) else None
        if folded is None:
            return _string
        return partial(_code, folded, pmap.default)
    raise ValueProblem("wrong_type", f"no transform {transform!r} for a {prop.type} property")


def compile_fast_path(
    transform: Transform, pmap: PropertyMap, source_dates: DateOptions
) -> FastPath | None:
    """The Arrow fast path of a transform, where it has one (the Python one stays the rule)."""
    if pmap.split is not None:
        return None
    if transform == "phone" and pmap.region == "GB":
        return arrow.uk_phones
    if transform == "postcode":
        return arrow.uk_postcodes
    if transform == "date":
        opts = pmap.dates or source_dates
        return partial(arrow.dates, styles=tuple(opts.styles), formats=tuple(opts.formats))
    if transform in ("name", "forenames", "surname"):
        return partial(arrow.names, kind=transform, order=pmap.order)
    return None
