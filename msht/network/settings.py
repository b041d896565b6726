"""`rules/network.yaml`: who is flagged, which sectors are at risk, and the limits of the
network stage; validated on load, with defaults when a project has no such file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from msht.errors import ConfigError

FILE = "network.yaml"

#: Event types a person can be flagged from (an MS1 Duty to Notify never names anyone).
EventType = Literal[
    "CrimeReport",
    "IntelligenceReport",
    "CustodyRecord",
    "NRMReferral",
    "PartnerVisit",
    "MissingEpisode",
    "PublicReport",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Flag(_Strict):
    """People linked to an event of this type, in one of these roles, are flagged as
    potential victims (until the risk stage's review cohort takes over)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    """Short name of the reason, shown beside each flagged person."""
    event: EventType
    """Event type the person is linked to."""
    roles: tuple[str, ...] = Field(min_length=1)
    """Link roles that count (e.g. victim, subject)."""
    offences: tuple[str, ...] = ()
    """CrimeReport only: the offence must contain one of these phrases (any case)."""
    concerns_raised: bool = False
    """PartnerVisit only: only visits where the visitors raised concerns."""
    children_only: bool = False
    """Only children at the time: a record shows them under 18 then, or no record gives an
    age (R17). A child found dealing is a potential victim of criminal exploitation; an
    adult suspect of the same offence is not flagged by it."""

    @model_validator(mode="after")
    def _conditions_fit_the_event(self) -> Flag:
        if self.offences and self.event not in ("CrimeReport", "CustodyRecord"):
            raise ValueError(f"offences: a {self.event} has no offence to match")
        if self.concerns_raised and self.event != "PartnerVisit":
            raise ValueError("concerns_raised: only a PartnerVisit records concerns")
        return self


class NetworkSettings(_Strict):
    """The contents of `rules/network.yaml`."""

    flags: tuple[Flag, ...] = ()
    """Who counts as a flagged potential victim: the seeds of groups and of reach."""
    at_risk_sectors: tuple[str, ...] = ()
    """Premises sectors where exploitation is common (codes of `sectors`)."""
    max_event_entities: int = Field(default=30, ge=2)
    """An event linking more entities than this (a mass disorder, a festival) makes no
    `in-same-…` edges: being in it together says little about two people."""
    max_shared: int = Field(default=50, ge=2)
    """An address, phone or vehicle shared by more people than this (a hostel, a
    switchboard) is not walked through when counting reach or growing groups."""
    group_hops: int = Field(default=2, ge=1, le=4)
    """Links walked out from each flagged person to make the neighbourhoods grouped."""
    resolution: float = Field(default=2.0, gt=0)
    """Leiden modularity resolution: higher makes smaller groups."""
    in_same_weight: float = Field(default=0.3, gt=0, le=1)
    """Weight, in grouping, of being named in one event, against 1 for a link of its own
    (living at, driving, using, working at, holding)."""
    investigate_min_victims: int = Field(default=2, ge=1)
    """An unflagged person sharing a vehicle, phone or document with this many flagged people
    is listed for investigation."""


def load_network_settings(rules: Path) -> NetworkSettings:
    """Read `rules/network.yaml` (defaults when it is absent); errors name the file and key."""
    path = rules / FILE
    if not path.exists():
        return NetworkSettings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML: {exc}") from exc
    try:
        return NetworkSettings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError.from_validation(str(path), exc) from exc
