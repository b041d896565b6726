"""The records a narrative is made of: its text, the spans of signs and the context."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """Where one indicator is written in a narrative: ``text[start:end]`` is the clause."""

    indicator_id: str
    start: int
    end: int
    heldout: bool


@dataclass(frozen=True, slots=True)
class Narrative:
    """A generated free text with its ground truth: signs present and negated mentions."""

    text: str
    spans: tuple[Span, ...]
    negated: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Context:
    """Who and where a narrative is about; any field left None gets a generic wording."""

    person: str | None = None
    sex: str | None = None
    boss: str | None = None
    premises: str | None = None
    sector: str | None = None
    town: str | None = None
    vrm: str | None = None
