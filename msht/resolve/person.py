"""Person linkage with Splink on the engine: blocking analysis, training, scoring pairs."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from splink import Linker
from splink.internals.exceptions import EMTrainingException, SplinkException

from msht.engine.base import Engine
from msht.errors import MshtError
from msht.resolve.blocking import exploded_sql
from msht.resolve.comparisons import used_columns
from msht.resolve.config import LIST_COLUMNS, PersonLinkage
from msht.resolve.model import TrainedModel, learnt_model, settings_dict, splink_rule
from msht.resolve.prepare import PERSON_INPUT


@contextmanager
def splink_errors(action: str) -> Iterator[None]:
    """Splink's errors as MshtError, saying what msht was doing."""
    try:
        yield
    except (SplinkException, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MshtError(f"entity resolution could not {action}: {first}") from exc


def new_linker(records: Any, settings: dict[str, Any]) -> Linker:
    """A Splink linker that logs only errors: msht reports its own steps and timings, and
    what training could not learn is recorded in the model (`training_steps_skipped`)."""
    return Linker(records, settings, log_level=logging.ERROR)


def drop_splink_tables(linker: Linker) -> None:
    """Drop the tables a linker made on the engine (they would hold memory to the end of
    the stage: a million records scored 3 s slower after training)."""
    linker.table_management.delete_tables_created_by_splink_from_db()  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class BlockingCount:
    """Comparisons one blocking rule adds (beyond the rules before it)."""

    rule: str
    added: int
    cumulative: int
    used: bool = True


def comparisons_with_data(engine: Engine, config: PersonLinkage) -> list[str]:
    """Comparisons whose columns hold at least one value (others cannot be trained)."""
    columns = sorted({c for comparison in config.comparisons for c in used_columns(comparison)})
    counts = ", ".join(f"count({c}) AS {c}" for c in columns)
    filled = engine.query(f"SELECT {counts} FROM {PERSON_INPUT}").to_pylist()[0]
    return [
        comparison.name
        for comparison in config.comparisons
        if any(filled[c] for c in used_columns(comparison))
    ]


def linker_on_records(engine: Engine, settings: dict[str, Any]) -> Linker:
    """A linker on the prepared person records of `engine`."""
    api = engine.linkage_api(PERSON_INPUT)
    records = api.register(PERSON_INPUT, dataset_display_name="person records")
    return new_linker(records, settings)


def block_sizes_sql(rule: list[str]) -> str:
    """SQL counting the pairs a column rule makes, from its block sizes (no pair is built)."""
    present = " AND ".join(f"{c} IS NOT NULL" for c in rule)
    columns = ", ".join(rule)
    return (
        "SELECT CAST(coalesce(sum(n * (n - 1) / 2), 0) AS BIGINT) AS pairs FROM "
        f"(SELECT count(*) AS n FROM {exploded_sql(PERSON_INPUT, rule)} AS e "
        f"WHERE {present} GROUP BY {columns})"
    )


def _splink_counts(
    engine: Engine,
    config: PersonLinkage,
    names: list[str],
    rules: list[list[str] | str],
    proportion: float,
) -> list[BlockingCount]:
    """Splink's count of the comparisons each rule adds beyond the rules before it, from
    `proportion` of the records on each side of the join (1.0: exact)."""
    linker = linker_on_records(engine, settings_dict(config, engine.dialect, None, names, rules))
    with warnings.catch_warnings():
        # Splink warns of rules with few sampled pairs; the counts are reported as estimates.
        warnings.simplefilter("ignore", UserWarning)
        counts = linker.blocking_analysis.count_comparisons_from_blocking_rules(
            record_sample_proportion=proportion
        )
    drop_splink_tables(linker)
    return [
        BlockingCount(
            str(c["blocking_rule"]),
            int(c["marginal_comparison_count"]),
            int(c["cumulative_comparison_count"]),
        )
        for c in counts
    ]


#: A rule on a list column counts a pair once per item the two records share, so its block
#: sizes may overstate its comparisons this many times before it is counted pair by pair.
_LIST_SLACK = 10
#: Up to this many records every count is exact; above, counts are estimated from a sample.
EXACT_UP_TO = 60_000


def blocking_counts(
    engine: Engine, config: PersonLinkage, names: list[str], records: int
) -> tuple[list[BlockingCount], list[list[str] | str]]:
    """Comparisons each blocking rule generates (counted before predicting), and the rules
    kept. A rule adding more than the configured comparisons per record is left out (say,
    everyone in the data shares a birth year, or a rule fit for a thousand records meets a
    million), so one loose rule cannot make a run take hours.

    Column rules are first sized from their blocks, so a hopeless one is never joined. Then
    Splink counts the rules in order: exactly up to `EXACT_UP_TO` records; above, from a 10%
    sample, after a quick look at a 1% sample of each rule whose size the blocks cannot
    tell (SQL rules, list rules that look loose)."""
    budget = config.max_comparisons_per_record * max(records, 1)
    exact = records <= EXACT_UP_TO
    kept: list[list[str] | str] = []
    dropped: dict[str, int] = {}
    for rule in config.blocking_rules:
        if not isinstance(rule, str):
            size = int(engine.scalar(block_sizes_sql(rule)) or 0)  # type: ignore[call-overload]
            if size <= budget:
                kept.append(rule)
                continue
            if not set(rule) & LIST_COLUMNS or size > budget * _LIST_SLACK:
                dropped[str(rule)] = size
                continue
        if not exact:
            (alone,) = _splink_counts(engine, config, names, [rule], 0.01)
            if alone.added > budget:
                dropped[str(rule)] = alone.added
                continue
        kept.append(rule)
    proportion = 1.0 if exact else 0.1
    while True:
        found = _splink_counts(engine, config, names, kept, proportion) if kept else []
        # counts are marginal: leaving a rule out raises those after it, so count again
        loose = next((i for i, count in enumerate(found) if count.added > budget), None)
        if loose is None:
            break
        dropped[found[loose].rule] = found[loose].added
        del kept[loose]
    return found + [BlockingCount(r, n, -1, used=False) for r, n in dropped.items()], kept


def train(
    engine: Engine,
    config: PersonLinkage,
    names: list[str],
    digest: str,
    records: int,
    step: Callable[[str], None] = lambda _: None,
) -> TrainedModel:
    """Train unsupervised: the prior from near-certain rules, u by random sampling (seeded),
    then m by expectation-maximisation over each EM blocking rule."""
    linker = linker_on_records(engine, settings_dict(config, engine.dialect, None, names))
    training = config.training
    step("prior")
    skipped: list[str] = []
    prior_rules = [splink_rule(r) for r in training.prior.rules]
    counted = linker.blocking_analysis.count_comparisons_from_blocking_rules(
        prior_rules, record_sample_proportion=1.0
    )
    if counted and counted[-1]["cumulative_comparison_count"] > 0:
        linker.training.estimate_probability_two_random_records_match(
            prior_rules, recall=training.prior.recall
        )
    else:  # no pair meets the rules (a small project): keep the settings' default
        skipped.append("prior: no pair of records meets the prior rules")
    step("u by random sampling")
    linker.training.estimate_u_using_random_sampling(
        max_pairs=training.u_max_pairs, seed=config.seed
    )
    for rule in training.em_blocking_rules:
        step(f"EM on {rule}")
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                splink_rule(rule), max_pairs=training.em_max_pairs
            )
        except EMTrainingException as exc:
            # Too little data for this session (a small project): its comparisons keep
            # the values of the other sessions, or Splink's defaults.
            skipped.append(f"EM on {rule}: {str(exc).splitlines()[0]}")
    model = learnt_model(linker, digest, records)
    drop_splink_tables(linker)  # records with term frequencies, sampled pairs
    for name, levels in model.levels.items():
        # A level no training pair fell into keeps Splink's default m (or u): say which.
        for label, m, u in levels[1:]:
            if m is None or u is None:
                skipped.append(f"{name}: level {label!r} not observed, default m/u used")
    return TrainedModel(model.digest, model.prior, model.levels, model.records, tuple(skipped))


def trained_linker(
    engine: Engine,
    config: PersonLinkage,
    model: TrainedModel,
    rules: list[list[str] | str] | None = None,
) -> Linker:
    """A linker on the prepared records with the trained values, for scoring."""
    settings = settings_dict(config, engine.dialect, model, list(model.levels), rules)
    return linker_on_records(engine, settings)


def as_arrow(frame: Any) -> pa.Table:
    """A Splink result as Arrow (Splink's method is untyped)."""
    table: pa.Table = frame.as_pyarrow_table()
    return table


def add_term_frequencies(linker: Linker, config: PersonLinkage, model: TrainedModel) -> None:
    """Term-frequency tables from all prepared records, for comparisons adjusted by them
    (scoring a few records must not take their frequencies from those few)."""
    for comparison in config.comparisons:
        if comparison.term_frequency and comparison.name in model.levels:
            linker.table_management.compute_tf_table(comparison.column)


def scored_sql(frames: list[Any]) -> str:
    """A FROM-able SQL relation of Splink prediction tables (on the engine's own connection
    or session): the pair (record ids), its match weight and probability, the rule that
    blocked it, and the pair as record numbers (`n_l`, `n_r`: see `PERSON_INPUT`)."""
    parts = []
    for frame in frames:
        names = {str(c).strip('"`') for c in frame.columns_escaped}
        key = "match_key" if "match_key" in names else "CAST(NULL AS VARCHAR) AS match_key"
        parts.append(
            "SELECT record_id_l AS unique_id_l, record_id_r AS unique_id_r, match_weight, "
            f"match_probability, {key}, unique_id_l AS n_l, unique_id_r AS n_r "
            f"FROM {frame.physical_name}"
        )
    return "(" + " UNION ALL ".join(parts) + ")"


def score_new(
    engine: Engine,
    config: PersonLinkage,
    model: TrainedModel,
    rules: list[list[str] | str],
    new: str,
    old: str,
) -> str:
    """Every pair involving the records of table `new`, with each other and with table `old`
    (records resolved before), scored, as an SQL relation on the engine. Term frequencies
    come from all records, as in `score_all`."""
    settings = settings_dict(config, engine.dialect, model, list(model.levels), rules)
    api = engine.linkage_api(PERSON_INPUT, new, old)
    everyone = api.register(PERSON_INPUT, dataset_display_name="person records")
    linker = new_linker(everyone, settings)
    add_term_frequencies(linker, config, model)
    new_records = api.register(new, dataset_display_name="new records")
    old_records = api.register(old, dataset_display_name="resolved records")
    inference = linker.inference
    return scored_sql(
        [
            inference.predict_within(new_records, warning_mode="never"),
            inference.predict_between(new_records, old_records, warning_mode="never"),
        ]
    )


#: Pairs of records of two earlier entities in one bridged group (see incremental.py).
ACROSS_RULE = "l.bridge = r.bridge AND l.earlier_entity <> r.earlier_entity"


def score_across(engine: Engine, config: PersonLinkage, model: TrainedModel, table: str) -> str:
    """Every pair of records of table `table` (prepared records with columns `bridge` and
    `earlier_entity`) in one bridge group and of two earlier entities, scored, as an SQL
    relation on the engine. Term frequencies come from all records, as in `score_all`."""
    settings = settings_dict(config, engine.dialect, model, list(model.levels), [ACROSS_RULE])
    api = engine.linkage_api(PERSON_INPUT, table)
    everyone = api.register(PERSON_INPUT, dataset_display_name="person records")
    linker = new_linker(everyone, settings)
    add_term_frequencies(linker, config, model)
    records = api.register(table, dataset_display_name="records of bridged entities")
    return scored_sql([linker.inference.predict_within(records, warning_mode="never")])


def score_all(
    engine: Engine, config: PersonLinkage, model: TrainedModel, rules: list[list[str] | str]
) -> str:
    """Every pair blocked by `rules`, scored by the model, as an SQL relation on the engine
    (all of them, not only those above the threshold: clustering weighs the evidence against
    a link too)."""
    linker = trained_linker(engine, config, model, rules)
    return scored_sql([linker.inference.predict(warning_mode="never")])
