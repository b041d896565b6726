"""Sentence frames per kind of record and generic references (frames.yaml), compiled.

An opener wraps a clause ("Source reports that {clause}."); fillers and ordinary-crime
sentences stand alone. References are the generic words used when the context has no
name, premises, town or registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from msht.errors import ConfigError
from msht.synth.narrative.phrasings import SECTORS, Sector
from msht.synth.narrative.templates import (
    CLAUSE,
    check_opener,
    check_reference,
    check_sentence,
    fields,
)
from msht.synth.narrative.yamlfile import parse, read_yaml

Kind = Literal[
    "intel",
    "crime_mo",
    "custody_notes",
    "partner_findings",
    "public_report",
    "nrm_account",
    "ms1_account",
    "missing_circumstances",
]
KINDS: tuple[str, ...] = get_args(Kind)
#: Kinds that must never name anyone (Duty to Notify, MSA 2015 s.52(3)).
ANONYMOUS_KINDS: tuple[str, ...] = ("ms1_account",)


PlainRef = Annotated[str, AfterValidator(partial(check_reference, slot=None))]
NameRef = Annotated[str, AfterValidator(partial(check_reference, slot="name"))]
VrmRef = Annotated[str, AfterValidator(partial(check_reference, slot="vrm"))]
Plain = Annotated[tuple[PlainRef, ...], Field(min_length=1)]
Sentence = Annotated[str, AfterValidator(check_sentence)]
Sentences = Annotated[tuple[Sentence, ...], Field(min_length=3)]
Openers = Annotated[tuple[Annotated[str, AfterValidator(check_opener)], ...], Field(min_length=4)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonRefs(_Strict):
    """Generic references to the subject by sex."""

    female: Plain
    male: Plain
    unknown: Plain


class References(_Strict):
    """Generic and named references used to fill placeholders."""

    person: PersonRefs
    boss_named: Annotated[tuple[NameRef, ...], Field(min_length=1)]
    boss_generic: Plain
    premises_generic: Plain
    town_generic: Plain
    vrm_named: Annotated[tuple[VrmRef, ...], Field(min_length=1)]
    vrm_generic: Plain
    money: Plain
    workplace: dict[Sector, Plain]


class KindModel(_Strict):
    """Frames of one kind of record."""

    subjects: tuple[PlainRef, ...] = ()
    openers: Openers
    fillers: Sentences
    ordinary: Sentences


class FramesFile(_Strict):
    """The whole frames file."""

    references: References
    kinds: dict[Kind, KindModel]


@dataclass(frozen=True, slots=True)
class Opener:
    """An opener split around its clause; each side notes whether it has placeholders."""

    prefix: str
    prefix_fields: bool
    suffix: str
    suffix_fields: bool


@dataclass(frozen=True)
class KindFrames:
    """Compiled frames of one kind; stand-alone sentences as (text, has_placeholders)."""

    openers: tuple[Opener, ...]
    fillers: tuple[tuple[str, bool], ...]
    ordinary: tuple[tuple[str, bool], ...]
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class Frames:
    """Everything frames.yaml holds, compiled."""

    kinds: dict[str, KindFrames]
    references: References


def _opener(text: str) -> Opener:
    prefix, suffix = text.split("{" + CLAUSE + "}")
    return Opener(prefix, bool(fields(prefix)), suffix, bool(fields(suffix)))


def load_frames(path: Path) -> Frames:
    """Load and compile a frames file; ConfigError naming file and key when invalid."""
    model = parse(FramesFile, read_yaml(path), path)
    for kind in KINDS:
        if kind not in model.kinds:
            raise ConfigError(str(path), f"kinds.{kind}", "kind is missing")
    for sector in SECTORS:
        if sector not in model.references.workplace:
            raise ConfigError(str(path), f"references.workplace.{sector}", "sector is missing")
    kinds: dict[str, KindFrames] = {
        kind: KindFrames(
            openers=tuple(_opener(t) for t in k.openers),
            fillers=tuple((t, bool(fields(t))) for t in k.fillers),
            ordinary=tuple((t, bool(fields(t))) for t in k.ordinary),
            subjects=k.subjects,
        )
        for kind, k in model.kinds.items()
    }
    return Frames(kinds=kinds, references=model.references)


@cache
def frame_set() -> Frames:
    """The frames shipped beside this module (loaded once)."""
    return load_frames(Path(str(resources.files(__package__) / "frames.yaml")))
