"""The review workflow as data: states, allowed moves and outcomes (`workflow.yaml`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from msht.errors import ConfigError

FILE = Path(__file__).with_name("workflow.yaml")


class Outcome(BaseModel):
    """How a closed review ended."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    removes_flag: bool = False


class Workflow(BaseModel):
    """States, the moves allowed from each, and the outcomes of a closed review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    review_period_months: int = Field(ge=1, le=12)
    states: dict[str, str]
    initial: str
    closed: str
    signoff: str
    moves: dict[str, list[str]]
    outcomes: dict[str, Outcome]

    @model_validator(mode="after")
    def _known_states(self) -> Workflow:
        named = [self.initial, self.closed, self.signoff, *self.moves]
        named += [to for targets in self.moves.values() for to in targets]
        unknown = sorted(set(named) - set(self.states))
        if unknown:
            raise ValueError(f"unknown states {unknown}; known: {sorted(self.states)}")
        return self

    def allowed(self, from_state: str, to_state: str) -> bool:
        """Whether an item may move from one state to the other."""
        return to_state in self.moves.get(from_state, [])


@cache
def load_workflow(path: Path = FILE) -> Workflow:
    """The workflow in `path`; ConfigError naming the file and field when it is invalid."""
    try:
        return Workflow.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        raise ConfigError.from_validation(str(path), exc) from exc
