"""Why two person records match, or not: the Splink waterfall as data.

The total match weight is the prior (how rare a match is between two random records) plus,
per comparison, the weight of the level the pair falls in (log2 of m/u) and, for an exact
name match, an adjustment for how common that name is. The probability follows from the total.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from msht.engine.base import Engine
from msht.errors import MshtError
from msht.resolve.comparisons import used_columns
from msht.resolve.config import PersonLinkage
from msht.resolve.model import TrainedModel, settings_dict
from msht.resolve.person import new_linker, splink_errors
from msht.resolve.prepare import PERSON_INPUT


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall."""

    comparison: str
    level: str
    value_a: str
    value_b: str
    match_weight: float
    term_frequency_adjustment: float


@dataclass(frozen=True)
class PairExplanation:
    """The full waterfall of a pair of records."""

    record_a: str
    record_b: str
    prior_weight: float
    steps: list[Step]
    match_weight: float
    match_probability: float

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON."""
        return asdict(self)


def _record(engine: Engine, record: str) -> dict[str, Any]:
    quoted = record.replace("'", "''")
    rows = engine.query(f"SELECT * FROM {PERSON_INPUT} WHERE unique_id = '{quoted}'").to_pylist()
    if not rows:
        raise MshtError(f"unknown person record {record!r}")
    found: dict[str, Any] = rows[0]
    return found


def _text(values: list[Any]) -> str:
    shown = [str(v) for v in values if v is not None and v != []]
    return " / ".join(shown) if shown else "—"


def explain_pair(
    engine: Engine, config: PersonLinkage, model: TrainedModel, a: str, b: str
) -> PairExplanation:
    """The waterfall of records `a` and `b` under the trained model."""
    settings = settings_dict(config, engine.dialect, model, list(model.levels))
    settings["retain_intermediate_calculation_columns"] = True
    settings["retain_matching_columns"] = True
    api = engine.linkage_api(PERSON_INPUT)
    records = api.register(PERSON_INPUT, dataset_display_name="person records")
    linker = new_linker(records, settings)
    tf_columns = [
        c.column for c in config.comparisons if c.term_frequency and c.name in model.levels
    ]
    for column in tf_columns:
        linker.table_management.compute_tf_table(column)
    left, right = _record(engine, a), _record(engine, b)
    with splink_errors("score the pair"):
        pair = linker.inference.score_pair(left, right)
    scored = pair.as_pyarrow_table().to_pylist()[0]  # type: ignore[no-untyped-call]
    steps = []
    for comparison in config.comparisons:
        if comparison.name not in model.levels:
            continue
        # Every comparison's first level is its null level (gamma -1); Splink numbers the
        # others from the last (0, "different") up to the first after the null level.
        null_level, *levels = model.levels[comparison.name]
        gamma = int(scored[f"gamma_{comparison.name}"])
        label = null_level[0] if gamma < 0 else levels[len(levels) - 1 - gamma][0]
        columns = used_columns(comparison)
        steps.append(
            Step(
                comparison=comparison.name,
                level=label,
                value_a=_text([left.get(c) for c in columns]),
                value_b=_text([right.get(c) for c in columns]),
                match_weight=float(scored[f"mw_{comparison.name}"]),
                term_frequency_adjustment=float(scored.get(f"mw_tf_adj_{comparison.name}") or 0.0),
            )
        )
    prior = math.log2(model.prior / (1 - model.prior))
    return PairExplanation(
        record_a=a,
        record_b=b,
        prior_weight=prior,
        steps=steps,
        match_weight=float(scored["match_weight"]),
        match_probability=float(scored["match_probability"]),
    )
