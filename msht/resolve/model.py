"""The person linkage model: Splink settings per engine, training, and the saved model JSON.

Splink's own model JSON embeds SQL of the engine that wrote it, so a model trained on DuckDB
would not load on Spark. msht saves what is learnt as engine-neutral data instead: the prior
and, per comparison, each level's label with its m and u probabilities. Loading rebuilds the
Splink settings for the engine from `resolve/person.yaml` and puts the learnt values back, so
one trained model scores the same on DuckDB and on Spark.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

from msht.errors import ConfigError
from msht.resolve.comparisons import splink_comparison
from msht.resolve.config import LIST_COLUMNS, PersonLinkage, rule_columns

MODEL_VERSION = 1
#: Version of the comparison levels (`comparisons.py`): a model with other levels retrains.
LEVELS_VERSION = 2
#: Where a project keeps its trained model, under its `resolve/` folder.
MODEL_FILE_NAME = "resolve/person_model.json"


def splink_rule(rule: list[str] | str) -> Any:
    """A blocking rule: records agreeing on every column (sharing an item of a list column),
    or an SQL condition, which Splink reads as DuckDB SQL and translates; in it, a list column
    stands for any one of its items."""
    lists = sorted(set(rule_columns(rule)) & LIST_COLUMNS)
    if isinstance(rule, str):
        return CustomRule(rule, sql_dialect="duckdb", arrays_to_explode=lists or None)
    return block_on(*rule, arrays_to_explode=lists or None)


def settings_digest(config: PersonLinkage) -> str:
    """Fingerprint of the settings a model was trained with, and of the comparison levels
    msht builds from them (a change in either means retraining)."""
    settings = {"levels_version": LEVELS_VERSION, **config.model_dump(mode="json")}
    text = json.dumps(settings, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class TrainedModel:
    """What training learnt, as engine-neutral data."""

    digest: str
    prior: float
    #: comparison name → its levels as (label, m, u); null levels have no m or u.
    levels: dict[str, list[tuple[str, float | None, float | None]]]
    records: int
    #: Training steps that could not run (too little data), with Splink's reason.
    skipped: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The saved form (`resolve/person_model.json`)."""
        return {
            "msht_model_version": MODEL_VERSION,
            "settings_digest": self.digest,
            "probability_two_random_records_match": self.prior,
            "trained_on_records": self.records,
            "training_steps_skipped": list(self.skipped),
            "comparisons": {
                name: [{"label": lab, "m": m, "u": u} for lab, m, u in levels]
                for name, levels in self.levels.items()
            },
        }


def settings_dict(
    config: PersonLinkage,
    dialect: str,
    model: TrainedModel | None,
    comparisons: list[str],
    rules: list[list[str] | str] | None = None,
) -> dict[str, Any]:
    """Splink settings for `dialect` with the `comparisons` named, trained values if given,
    and the blocking `rules` (default: all the configured ones)."""
    chosen = [c for c in config.comparisons if c.name in comparisons]
    rules = config.blocking_rules if rules is None else rules
    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[splink_comparison(c) for c in chosen],
        blocking_rules_to_generate_predictions=[splink_rule(r) for r in rules],
        probability_two_random_records_match=model.prior if model else 0.0001,
        additional_columns_to_retain=["record_id"],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    result: dict[str, Any] = creator.create_settings_dict(dialect)
    if model is not None:
        _apply(result, model)
    return result


def _apply(settings: dict[str, Any], model: TrainedModel) -> None:
    file = MODEL_FILE_NAME
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        learnt = model.levels.get(name)
        levels = comparison["comparison_levels"]
        if learnt is None or len(learnt) != len(levels):
            raise ConfigError(
                file,
                f"comparisons.{name}",
                "does not match resolve/person.yaml; retrain with `msht resolve DIR --retrain`",
            )
        for level, (label, m, u) in zip(levels, learnt, strict=True):
            if level.get("label_for_charts") != label:
                raise ConfigError(
                    "person_model.json",
                    f"comparisons.{name}",
                    f"level {label!r} is not in the settings",
                )
            if not level.get("is_null_level"):
                level["m_probability"] = m
                level["u_probability"] = u


def learnt_model(linker: Linker, digest: str, records: int) -> TrainedModel:
    """Read the trained values out of a Splink linker."""
    saved = linker.misc.save_model_to_json()
    levels: dict[str, list[tuple[str, float | None, float | None]]] = {}
    for comparison in saved["comparisons"]:
        levels[comparison["output_column_name"]] = [
            (lvl["label_for_charts"], lvl.get("m_probability"), lvl.get("u_probability"))
            for lvl in comparison["comparison_levels"]
        ]
    prior = float(saved["probability_two_random_records_match"])
    return TrainedModel(digest=digest, prior=prior, levels=levels, records=records)


def save_model(path: Path, model: TrainedModel) -> None:
    """Write the model JSON (atomically: a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(model.as_json(), indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def _number(
    value: object, file: str, key: str, null_ok: bool, below_one: bool = False
) -> float | None:
    if value is None and null_ok:
        return None
    top = 1 if not below_one else 1 - 1e-12
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= top:
        return float(value)
    limits = "0 and 1, both excluded" if below_one else "0 (excluded) and 1"
    raise ConfigError(file, key, f"must be a probability between {limits}, got {value!r}")


def load_model(path: Path) -> TrainedModel:
    """Read a saved model; ConfigError naming the key when it is malformed."""
    file = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(file, "", f"not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(file, "", "must be a JSON object")
    for key in ("msht_model_version", "settings_digest", "probability_two_random_records_match"):
        if key not in raw:
            raise ConfigError(file, key, "missing")
    if raw["msht_model_version"] != MODEL_VERSION:
        raise ConfigError(file, "msht_model_version", f"must be {MODEL_VERSION}")
    key = "probability_two_random_records_match"
    prior = _number(raw[key], file, key, null_ok=False, below_one=True)
    comparisons = raw.get("comparisons")
    if not isinstance(comparisons, dict) or not comparisons:
        raise ConfigError(file, "comparisons", "must be an object of comparison → levels")
    levels: dict[str, list[tuple[str, float | None, float | None]]] = {}
    for name, items in comparisons.items():
        if not isinstance(items, list):
            raise ConfigError(file, f"comparisons.{name}", "must be a list of levels")
        parsed = []
        for i, item in enumerate(items):
            where = f"comparisons.{name}[{i}]"
            if not isinstance(item, dict) or not isinstance(item.get("label"), str):
                raise ConfigError(file, f"{where}.label", "missing or not text")
            m = _number(item.get("m"), file, f"{where}.m", null_ok=True)
            u = _number(item.get("u"), file, f"{where}.u", null_ok=True)
            parsed.append((item["label"], m, u))
        levels[name] = parsed
    records = raw.get("trained_on_records", 0)
    return TrainedModel(
        digest=str(raw["settings_digest"]),
        prior=prior or 0.0,
        levels=levels,
        records=int(records) if isinstance(records, int) else 0,
    )
