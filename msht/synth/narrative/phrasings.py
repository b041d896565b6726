"""The generator's wordings of each indicator (phrasings.yaml), validated and compiled.

Kept apart from the indicator lexicon on purpose: the lexicon is measured against these
wordings, and the phrasings flagged ``heldout`` are ones it must find without having seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from msht.errors import ConfigError
from msht.synth.narrative.templates import check_clause, fields
from msht.synth.narrative.yamlfile import parse, read_yaml

ExploitationType = Literal["labour", "sexual", "criminal", "domestic_servitude"]
Sector = Literal[
    "hand_car_wash",
    "nail_bar",
    "hotel",
    "massage_parlour",
    "takeaway",
    "mini_market",
    "agricultural",
    "shellfish",
    "construction",
    "factory",
    "residential",
    "cannabis_grow",
    "other",
]
EXPLOITATION_TYPES: tuple[str, ...] = get_args(ExploitationType)
SECTORS: tuple[str, ...] = get_args(Sector)
#: Never an indicator: a person's country of origin is not a sign (requirement R01).
FORBIDDEN_IDS: tuple[str, ...] = ("GEN-14",)

IndicatorId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}-\d{2}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WordingModel(_Strict):
    """One phrasing or negation as written in the YAML."""

    text: str
    heldout: bool
    sectors: tuple[Sector, ...] = ()

    _text = field_validator("text")(check_clause)


class IndicatorModel(_Strict):
    """The wordings of one indicator as written in the YAML."""

    types: Annotated[tuple[ExploitationType, ...], Field(min_length=1)]
    child_only: bool = False
    phrasings: Annotated[tuple[WordingModel, ...], Field(min_length=4, max_length=8)]
    negations: Annotated[tuple[WordingModel, ...], Field(min_length=2, max_length=4)]

    @field_validator("types", mode="before")
    @classmethod
    def _all_types(cls, v: Any) -> Any:
        return EXPLOITATION_TYPES if v == "all" else v


class PhrasingsFile(_Strict):
    """The whole phrasings file."""

    indicators: Annotated[dict[IndicatorId, IndicatorModel], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class Wording:
    """A compiled phrasing: template text, whether it has placeholders, heldout flag."""

    text: str
    has_fields: bool
    heldout: bool


@dataclass(frozen=True)
class Indicator:
    """All wordings of one indicator, with the choices per sector precomputed."""

    id: str
    types: tuple[str, ...]
    child_only: bool
    phrasings: tuple[Wording, ...]
    negations: tuple[Wording, ...]
    present_by_sector: dict[str | None, tuple[Wording, ...]]
    negated_by_sector: dict[str | None, tuple[Wording, ...]]


def _compile(items: tuple[WordingModel, ...]) -> tuple[Wording, ...]:
    return tuple(Wording(w.text, bool(fields(w.text)), w.heldout) for w in items)


def _by_sector(
    items: tuple[WordingModel, ...], compiled: tuple[Wording, ...]
) -> dict[str | None, tuple[Wording, ...]]:
    """Per sector, the wordings that suit it (unrestricted ones, else all of them)."""
    table: dict[str | None, tuple[Wording, ...]] = {}
    for sector in (None, *SECTORS):
        fit = tuple(
            c for c, w in zip(compiled, items, strict=True) if not w.sectors or sector in w.sectors
        )
        table[sector] = fit or compiled
    return table


def load_phrasings(path: Path) -> dict[str, Indicator]:
    """Load and compile a phrasings file; ConfigError naming file and key when invalid."""
    model = parse(PhrasingsFile, read_yaml(path), path)
    bank: dict[str, Indicator] = {}
    for ind_id, entry in model.indicators.items():
        if ind_id in FORBIDDEN_IDS:
            raise ConfigError(
                str(path), f"indicators.{ind_id}", "nationality/source country is never a sign"
            )
        present, negated = _compile(entry.phrasings), _compile(entry.negations)
        bank[ind_id] = Indicator(
            id=ind_id,
            types=entry.types,
            child_only=entry.child_only,
            phrasings=present,
            negations=negated,
            present_by_sector=_by_sector(entry.phrasings, present),
            negated_by_sector=_by_sector(entry.negations, negated),
        )
    return bank


@cache
def phrasing_bank() -> dict[str, Indicator]:
    """The phrasings shipped beside this module (loaded once)."""
    return load_phrasings(Path(str(resources.files(__package__) / "phrasings.yaml")))
