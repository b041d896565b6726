"""`resolve/person.yaml`: the person linkage settings of a project, validated on load.

The file is engine-neutral data: comparisons name a kind and the prepared columns they read,
blocking rules list the columns two records must share. `msht.resolve.model` turns it into
Splink settings for DuckDB or Spark.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from msht.errors import ConfigError

#: Columns of the prepared person records (see msht.resolve.prepare).
PREPARED_COLUMNS = frozenset(
    {
        "source",
        "forename",
        "surname",
        "forename_keys",
        "forename_key",
        "forename_fuzzy_keys",
        "surname_keys",
        "surname_key",
        "surname_fuzzy_keys",
        "forename_initial",
        "surname_initial",
        "dob",
        "dob_text",
        "dob_swapped",
        "dob_year",
        "dob_month_day",
        "birth_year",
        "postcode",
        "postcode_sector",
        "postcode_district",
        "phones",
        "documents",
        "pnc_id",
        "ni_number",
    }
)
#: Prepared columns that hold lists: blocking on them compares records sharing any item.
LIST_COLUMNS = frozenset(
    {
        "forename_keys",
        "surname_keys",
        "forename_fuzzy_keys",
        "surname_fuzzy_keys",
        "phones",
        "documents",
    }
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


_SIDE_COLUMN = re.compile(r"\b[lr]\.\"?([a-z_][a-z0-9_]*)")


def rule_columns(rule: list[str] | str) -> list[str]:
    """Prepared columns a blocking rule reads (an SQL rule names them as l.col and r.col)."""
    return _SIDE_COLUMN.findall(rule) if isinstance(rule, str) else rule


def _known(columns: list[str]) -> list[str]:
    unknown = sorted(set(columns) - PREPARED_COLUMNS)
    if unknown:
        raise ValueError(f"unknown column(s) {unknown}; known: {sorted(PREPARED_COLUMNS)}")
    return columns


def _check_rules(rules: list[list[str] | str]) -> list[list[str] | str]:
    for rule in rules:
        if not rule_columns(rule):
            raise ValueError(f"blocking rule {rule!r} names no column (as l.column)")
        _known(rule_columns(rule))
    return rules


class Comparison(_Strict):
    """One comparison of two records; each kind has fixed, explained levels."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    """Name shown in explanations (the Splink output column)."""
    kind: Literal["name", "date_of_birth", "postcode", "shared_value", "exact"]
    """name: exact (term-frequency adjusted), variant (nickname or transliteration),
    Jaro-Winkler ≥ 0.92 and ≥ 0.85. date_of_birth: exact, day and month swapped, year off by
    one, two of three parts, estimated birth years within `years` years. postcode: full,
    sector, district. shared_value: the lists share an item. exact: equal values."""
    column: str = ""
    """Prepared column compared (not used by date_of_birth)."""
    variants: str | None = None
    """For kind name: the prepared column of the name's variant-group keys."""
    swapped_with: str | None = None
    """For kind name: the other name column; a level scores names written the other way
    round (forename as surname and surname as forename)."""
    term_frequency: bool = False
    """Adjust an exact match by how common the value is (a rare surname says more)."""
    years: int = Field(default=2, ge=0, le=10)
    """For kind date_of_birth: how far apart estimated birth years may be and still agree."""

    @model_validator(mode="after")
    def _columns(self) -> Comparison:
        if self.kind != "date_of_birth":
            if not self.column:
                raise ValueError(f"comparison {self.name!r} of kind {self.kind} needs a column")
            _known([self.column])
        for extra in (self.variants, self.swapped_with):
            if extra is not None:
                _known([extra])
        return self


class Prior(_Strict):
    """How the chance that two random records match is estimated."""

    rules: list[list[str]] = Field(min_length=1)
    """Rules (columns that must all agree) that almost only true matches satisfy."""

    _rules = field_validator("rules")(_check_rules)
    recall: float = Field(gt=0, le=1)
    """Share of true matches those rules are believed to find."""


class Training(_Strict):
    """Unsupervised training: u by random sampling, m by expectation-maximisation."""

    u_max_pairs: int = Field(default=2_000_000, ge=10_000)
    """Random pairs sampled to estimate u (how often values agree by chance)."""
    em_max_pairs: int = Field(default=500_000, ge=10_000)
    """Most pairs each EM session samples (keeps training time flat as data grows; half a
    million train the model's few dozen values as well as a million did, in half the time)."""
    prior: Prior
    """Estimate of the probability that two random records match."""
    em_blocking_rules: list[list[str] | str] = Field(min_length=1)
    """Each EM session compares pairs agreeing on these columns and trains the other
    comparisons; together they must train every comparison."""

    @field_validator("em_blocking_rules")
    @classmethod
    def _em(cls, rules: list[list[str] | str]) -> list[list[str] | str]:
        for rule in _check_rules(rules):
            lists = sorted(set(rule_columns(rule)) & LIST_COLUMNS)
            if lists:
                raise ValueError(f"Splink's EM cannot block on list columns {lists} ({rule!r})")
        return rules


class PersonLinkage(_Strict):
    """Contents of `resolve/person.yaml`."""

    seed: int = 42
    """Seed of the random sampling, so training is reproducible."""
    threshold_match_probability: float = Field(default=0.8, gt=0, lt=1)
    """Pairs at or above this probability link records; linked records form one entity
    unless some of them are scored as different people, when the evidence for and against,
    summed over every pair, decides which of them join."""
    name_variants: str | None = None
    """Optional project file of more name variants (same shape as the shipped list)."""
    blocking_rules: list[list[str] | str] = Field(min_length=1)
    """Pairs compared: those agreeing on every column of at least one rule (a list of
    columns), or meeting an SQL condition on l.column and r.column; in either, records agree
    on a list column when they share one of its items. Put rules on list columns first:
    Splink 5 credits a pair several of them find to the smallest rule number compared as
    text ("10" before "2"), which misstates the counts of later rules."""
    max_comparisons_per_record: float = Field(default=5, gt=0)
    """A blocking rule adding more comparisons than this many per record is too loose for
    the data (say, everyone shares a birth year): it is left out and the run says so."""
    training: Training
    """How the model is trained."""
    comparisons: list[Comparison] = Field(min_length=1)
    """What is compared, in order."""

    _blocking = field_validator("blocking_rules")(_check_rules)

    @model_validator(mode="after")
    def _names(self) -> PersonLinkage:
        names = [c.name for c in self.comparisons]
        if len(set(names)) != len(names):
            raise ValueError(f"comparison names repeat: {names}")
        return self


def load_person_linkage(path: Path) -> PersonLinkage:
    """Read `resolve/person.yaml`; ConfigError naming the key when it is wrong."""
    if not path.is_file():
        raise ConfigError(str(path), "", "missing: copy it from `msht init` (resolve/person.yaml)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return PersonLinkage.model_validate(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError.from_validation(str(path), exc) from exc
