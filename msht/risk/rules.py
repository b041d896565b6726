"""`rules/risk.yaml`: the rule set, validated on load.

A rule names a registered check and its parameters, the points it gives, the evidence it
needs and its group (the factors of seed 004: exploitation indicators, control,
accommodation, transport, prior safeguarding history, organised-crime connection,
drugs/violence, multi-agency management plan). Requirement R01 is enforced here: a rule
whose parameters name a protected property of the model (nationality, ethnicity, sex…) or a
configured proxy is refused, naming the rule and the property.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from msht.errors import ConfigError
from msht.model.schema import pole_schema

FILE = "risk.yaml"
GROUPS = (
    "exploitation_indicators",
    "control",
    "accommodation",
    "transport",
    "prior_safeguarding",
    "organised_crime",
    "drugs_violence",
    "management_plan",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Rule(_Strict):
    """One risk rule."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    """Short id, shown with every factor."""
    description: str = Field(min_length=10)
    """The sentence a reviewer reads when the factor applies."""
    group: str
    """Factor group (one of `GROUPS`)."""
    check: str
    """A registered check (see msht.risk.checks)."""
    parameters: dict[str, Any] = {}
    """The check's parameters."""
    points: int = Field(ge=1, le=10)
    """Points the factor adds."""
    min_evidence: int = Field(default=1, ge=1)
    """Evidence items needed before the factor applies."""
    version: int = Field(ge=1)
    """Version of this rule; profiles record it."""
    association: bool = False
    """Whether the factor comes only from whom or what the person is linked to (a vehicle
    others ride in, a phone shared with someone), not from a record of their own."""


class Cohort(_Strict):
    """Who is put in front of a reviewer: a combination of risk factors (seed 004)."""

    min_groups: int = Field(default=2, ge=1)
    """Factors from at least this many groups, or"""
    min_score: int = Field(default=6, ge=1)
    """a score of at least this;"""
    own_factor: bool = True
    """and, when set, at least one factor that is not an `association` one: nobody is put on
    a list for whom they are linked to alone."""


class RuleSet(_Strict):
    """The contents of `rules/risk.yaml`."""

    version: str = Field(min_length=1)
    """Version of the rule set; every profile records it."""
    review_months: int = Field(default=12, ge=1, le=12)
    """Months until a profile must be reviewed (R07: at most 12)."""
    tiers: dict[str, int] = {"high": 8, "medium": 4, "low": 1}
    """Tier name → the least score in it (highest first)."""
    cohort: Cohort = Cohort()
    """The cohort rule."""
    proxies: tuple[str, ...] = ()
    """Further names a rule may not use: proxies of protected characteristics (R01)."""
    rules: tuple[Rule, ...] = Field(min_length=1)
    """The rules."""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def protected_names() -> set[str]:
    """Every property marked protected in the POLE model."""
    return {p for names in pole_schema().protected_properties().values() for p in names}


def refuse_protected(rule_set: RuleSet, where: str, reads: dict[str, frozenset[str]]) -> None:
    """R01: a rule naming a protected property or a proxy, in its parameters or through what
    its check reads (`reads`: check → properties), is refused."""
    banned = {b.lower() for b in protected_names() | set(rule_set.proxies)}
    for rule in rule_set.rules:
        texts = (rule.check, *_strings(rule.parameters), *sorted(reads.get(rule.check, ())))
        for text in texts:
            words = {text.lower(), *re.split(r"[^a-z0-9_]+", text.lower())}
            for word in sorted(words & banned):
                raise ConfigError(
                    where,
                    f"rules.{rule.id}",
                    f"uses {word!r}, a protected characteristic or its proxy (R01): "
                    "it may never be a risk input",
                )


def load_rules(rules: Path) -> RuleSet:
    """The project's `rules/risk.yaml`, validated; errors name the file, key and problem."""
    from msht.risk.checks import CHECKS  # the registry validates each rule's parameters

    path = rules / FILE
    if not path.exists():
        raise ConfigError(str(path), "", "no risk rules: copy the example project's rules/")
    try:
        rule_set = RuleSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError.from_validation(str(path), exc) from exc
    refuse_protected(rule_set, str(path), {name: c.reads for name, c in CHECKS.items()})
    for rule in rule_set.rules:
        key = f"rules.{rule.id}"
        if rule.group not in GROUPS:
            raise ConfigError(str(path), key, f"unknown group {rule.group!r}; known: {GROUPS}")
        if rule.check not in CHECKS:
            raise ConfigError(
                str(path), key, f"unknown check {rule.check!r}; known: {sorted(CHECKS)}"
            )
        try:
            CHECKS[rule.check].parameters.model_validate(rule.parameters)
        except ValidationError as exc:
            raise ConfigError.from_validation(str(path), exc, f"{key}.parameters") from exc
    return rule_set
