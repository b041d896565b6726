"""Why two person records match, or not: the Splink waterfall as data.

The total match weight is the prior (how rare a match is between two random records) plus,
per comparison, the weight of the level the pair falls in (log2 of m/u) and, for an exact
name match, an adjustment for how common that name is. The probability follows from the total.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from msht.engine.base import Engine
from msht.errors import MshtError
from msht.resolve.comparisons import used_columns
from msht.resolve.config import PersonLinkage
from msht.resolve.model import TrainedModel, settings_dict
from msht.resolve.person import add_term_frequencies, as_arrow, linker_on_records, splink_errors
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
    rows = engine.query(f"SELECT * FROM {PERSON_INPUT} WHERE record_id = '{quoted}'").to_pylist()
    if not rows:
        raise MshtError(f"unknown person record {record!r}")
    found: dict[str, Any] = rows[0]
    return found


def _text(values: list[Any]) -> str:
    shown = [str(v) for v in values if v is not None and v != []]
    return " / ".join(shown) if shown else "—"


def _scoring_linker(engine: Engine, config: PersonLinkage, model: TrainedModel) -> Any:
    settings = settings_dict(config, engine.dialect, model, list(model.levels))
    settings["retain_intermediate_calculation_columns"] = True
    settings["retain_matching_columns"] = True
    with splink_errors("load the model for explanation"):
        linker = linker_on_records(engine, settings)
        add_term_frequencies(linker, config, model)
    return linker


def _explained(
    linker: Any, engine: Engine, config: PersonLinkage, model: TrainedModel, a: str, b: str
) -> PairExplanation:
    left, right = _record(engine, a), _record(engine, b)
    with splink_errors("score the pair"):
        pair = linker.inference.score_pair(left, right)
    scored = as_arrow(pair).to_pylist()[0]
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
    return PairExplanation(
        record_a=a,
        record_b=b,
        prior_weight=math.log2(model.prior / (1 - model.prior)),
        steps=steps,
        match_weight=float(scored["match_weight"]),
        match_probability=float(scored["match_probability"]),
    )


def explain_pair(
    engine: Engine, config: PersonLinkage, model: TrainedModel, a: str, b: str
) -> PairExplanation:
    """The waterfall of records `a` and `b` under the trained model."""
    linker = _scoring_linker(engine, config, model)
    return _explained(linker, engine, config, model, a, b)


@dataclass(frozen=True)
class EntityExplanation:
    """Why a resolved entity holds its records: the scored pairs that link them."""

    entity_id: str
    records: list[str]
    links: list[PairExplanation]
    links_not_shown: int
    against: list[tuple[str, str, float]] = field(default_factory=list)
    """Pairs of its records the model scored against a match (record, record, match weight),
    most against first: the entity holds them together on the other pairs' evidence, by a
    judgement, or because an incremental run keeps earlier entities whole; a reviewer should
    see where its records disagree."""
    against_not_shown: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON."""
        return asdict(self)


def explain_entity(
    engine: Engine, config: PersonLinkage, model: TrainedModel, entity_id: str, limit: int = 25
) -> EntityExplanation:
    """The records of person entity `entity_id`, the waterfall of each scored pair of them
    with evidence for the link (strongest first, at most `limit`), and the pairs of them
    scored against a match (at most `limit`)."""
    quoted = entity_id.replace("'", "''")
    members = engine.query(
        "SELECT record_id FROM resolved_record "
        f"WHERE entity_type = 'Person' AND entity_id = '{quoted}' ORDER BY record_id"
    )
    records = [str(r) for r in members.column(0).to_pylist()]
    if not records:
        raise MshtError(f"no person entity {entity_id!r} in the current store")
    rows = []
    if "match_pair" in engine.tables():
        rows = engine.query(
            "SELECT m.unique_id_l, m.unique_id_r, m.match_weight FROM match_pair m "
            "JOIN resolved_record a ON a.record_id = m.unique_id_l "
            "JOIN resolved_record b ON b.record_id = m.unique_id_r "
            f"WHERE a.entity_id = '{quoted}' AND b.entity_id = '{quoted}' "
            "ORDER BY m.match_weight DESC, m.unique_id_l, m.unique_id_r"
        ).to_pylist()
    linking = [(r["unique_id_l"], r["unique_id_r"]) for r in rows if r["match_weight"] > 0]
    against = [
        (r["unique_id_l"], r["unique_id_r"], float(r["match_weight"]))
        for r in reversed(rows)
        if r["match_weight"] <= 0
    ]
    linker = _scoring_linker(engine, config, model) if linking else None
    links = [_explained(linker, engine, config, model, a, b) for a, b in linking[:limit]]
    return EntityExplanation(
        entity_id,
        records,
        links,
        max(0, len(linking) - limit),
        against[:limit],
        max(0, len(against) - limit),
    )
