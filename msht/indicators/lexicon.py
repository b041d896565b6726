"""The indicator lexicon: `lexicon/*.yaml` (or a project's `rules/indicators/*.yaml`),
validated on load. Each indicator has an id, the description a reviewer reads, a category,
the exploitation types it points to, regular-expression patterns written with the word
classes of `macros.yaml` ({hold}, {document}…), optional `together:` sets of concepts that
give the indicator when all appear in one clause in any order (see `together.py`),
optional `unless:` patterns that take away a mention they overlap, and examples that must
and must not match."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from msht.errors import ConfigError
from msht.indicators.contractions import contracted
from msht.indicators.guard import Guarded, ends_in_space, guarded, parsed
from msht.indicators.negation import WORD_START
from msht.indicators.spelling import unified, unread_z
from msht.indicators.together import Concepts

Type = Literal["all", "sexual", "labour", "criminal", "domestic_servitude", "organ_harvesting"]
_MACRO = re.compile(r"\{([a-z_]+)\}")
#: A set of two to four concepts.
ConceptSet = Annotated[tuple[str, ...], Field(min_length=2, max_length=4)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Examples(_Strict):
    """Texts that must, and must not, give the indicator (tests check both)."""

    positive: tuple[str, ...] = Field(min_length=1)
    """Each gives the indicator."""
    negative: tuple[str, ...] = Field(min_length=1)
    """None gives it: negated mentions, near misses."""


class IndicatorSpec(_Strict):
    """One indicator as written in a lexicon file."""

    id: str = Field(pattern=r"^[A-Z]+-\d{2}$")
    """Taxonomy id, e.g. GEN-06."""
    description: str = Field(min_length=10)
    """What the sign is, in the words a reviewer reads."""
    category: str = Field(pattern=r"^[a-z_]+$")
    """Taxonomy category (general, physical, labour…)."""
    types: tuple[Type, ...] = Field(min_length=1)
    """Exploitation types it points to."""
    patterns: tuple[str, ...] = Field(min_length=1)
    """Regular expressions (case-insensitive) with {macro} word classes."""
    together: tuple[ConceptSet, ...] = ()
    """Sets of two to four concepts (patterns with {macro} word classes): the indicator is
    found where every concept of a set appears in one clause, in any order, close together
    and not negated ("{document}" with "{keeper}")."""
    unless: tuple[str, ...] = ()
    """Patterns that take a mention away where a match of one, in its clause, overlaps it:
    a stolen "car was recovered by another force" is no missing child."""
    proxy_of: str | None = None
    """A protected characteristic the sign can stand for (little English: languages). It is
    found and shown to reviewers, but no risk rule ever counts it (R01)."""
    examples: Examples
    """Texts that must and must not match."""


class LexiconFile(_Strict):
    """The contents of one lexicon file."""

    indicators: tuple[IndicatorSpec, ...] = Field(min_length=1)
    """Its indicators."""


@dataclass(frozen=True)
class Indicator:
    """An indicator with its patterns compiled."""

    spec: IndicatorSpec
    patterns: tuple[Guarded, ...]
    together: tuple[Concepts, ...] = ()
    unless: tuple[Guarded, ...] = ()

    @property
    def id(self) -> str:
        """Taxonomy id."""
        return self.spec.id


def _data(name: str) -> Path:
    """A file of msht's own lexicon folder."""
    return Path(str(resources.files("msht.indicators") / "lexicon" / name))


#: Files of the lexicon folder that are not indicator files.
NOT_INDICATORS = frozenset({"agents.yaml", "macros.yaml", "negation.yaml"})


def _yaml(path: Path, text: str | None = None) -> object:
    """The YAML of `path` (or its `text`, already read)."""
    try:
        return yaml.safe_load(text if text is not None else path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML: {exc}") from exc


def load_macros(path: Path | None = None, text: str | None = None) -> dict[str, str]:
    """Macro name → its regular expression, each expanded with the macros above it (from
    `path`, or its `text` already read)."""
    source = path or _data("macros.yaml")
    raw = _yaml(source, text)
    if not isinstance(raw, dict):
        raise ConfigError(str(source), "", "expected a mapping of macro name to pattern")
    macros: dict[str, str] = {}
    for name, pattern in raw.items():
        macros[str(name)] = expand(str(pattern), macros, str(source), str(name))
    return macros


def expand(pattern: str, macros: dict[str, str], file: str, key: str) -> str:
    """`pattern` with each {macro} replaced; an unknown macro or bad regex is a ConfigError."""
    text = _substituted(pattern, macros, file, key)
    try:
        re.compile(text)
    except re.error as exc:
        raise ConfigError(file, key, f"not a valid pattern ({exc}): {pattern}") from exc
    return text


def _substituted(pattern: str, macros: dict[str, str], file: str, key: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ConfigError(file, key, f"unknown macro {{{name}}}; known: {sorted(macros)}")
        return macros[name]

    return _MACRO.sub(one, pattern)


def bounded(text: str) -> Guarded:
    """`text` compiled between word boundaries, case-insensitive, with its guard. A match
    starts after no letter and no in-word apostrophe ("didn't" holds no word "t"), but may
    start after an opening quote ("'Police will deport me,' he said"). Raises `re.error`
    if `text` is not a regular expression on its own ("a)|(b" would close the boundaries'
    group early and match "b" inside words) or if every match ends in a space (it would never
    match before a word)."""
    if ends_in_space(parsed(text, re.IGNORECASE)):
        raise re.error("it ends in a space: between word boundaries it never matches before a word")
    stem = unread_z(text)
    if stem is not None:
        raise re.error(f"{stem!r}: texts are read with '-is' for '-iz', so write it with '-is'")
    text = contracted(unified(text))
    tree = parsed(text, re.IGNORECASE)
    return guarded(re.compile(rf"{WORD_START}(?:{text})(?!\w)", re.IGNORECASE), tree)


def _bounded(pattern: str, macros: dict[str, str], file: str, key: str) -> Guarded:
    """`pattern` expanded, checked and compiled once (compiling is most of a load)."""
    try:
        return bounded(_substituted(pattern, macros, file, key))
    except re.error as exc:
        raise ConfigError(file, key, f"not a valid pattern ({exc}): {pattern}") from exc


def _compile(spec: IndicatorSpec, macros: dict[str, str], file: str) -> Indicator:
    """The indicator's patterns, each between word boundaries with its own guard (so only
    the patterns whose words a sentence holds run on it), and its concept sets."""
    patterns = tuple(
        _bounded(pattern, macros, file, f"{spec.id}.patterns.{n}")
        for n, pattern in enumerate(spec.patterns)
    )
    sets = tuple(
        tuple(
            _bounded(concept, macros, file, f"{spec.id}.together.{n}.{k}")
            for k, concept in enumerate(one)
        )
        for n, one in enumerate(spec.together)
    )
    unless = tuple(
        _bounded(pattern, macros, file, f"{spec.id}.unless.{n}")
        for n, pattern in enumerate(spec.unless)
    )
    return Indicator(spec, patterns, sets, unless)


def scoring_categories(indicators: list[Indicator]) -> dict[str, str]:
    """Indicator id → category, for the risk rules: every indicator but proxies (R01)."""
    return {i.id: i.spec.category for i in indicators if i.spec.proxy_of is None}


def lexicon_files(folder: Path | None = None) -> list[Path]:
    """The indicator files: those of `folder` (a project's `rules/indicators/`) when it has
    any, else msht's."""
    own = sorted(folder.glob("*.yaml")) if folder is not None else []
    if own:
        return own
    return sorted(p for p in _data("x").parent.glob("*.yaml") if p.name not in NOT_INDICATORS)


def load_lexicon(folder: Path | None = None) -> list[Indicator]:
    """Every indicator of the lexicon files, compiled; ids must be unique across files.

    Compiling takes seconds (thousands of patterns, more than `re` keeps compiled), and a
    run needs the lexicon in more than one stage: a load is kept while no file of it has
    changed (the same paths holding the same text; not the same modification times, which
    a file rewritten within the clock's resolution keeps)."""
    files = (_data("macros.yaml"), *lexicon_files(folder))
    return list(_loaded(tuple((path, path.read_text(encoding="utf-8")) for path in files)))


@lru_cache(maxsize=4)
def _loaded(files: tuple[tuple[Path, str], ...]) -> tuple[Indicator, ...]:
    """The indicators of `files`: the macros file first, then the lexicon files, each with
    its text as read once (what is compiled is what the key holds)."""
    macros = load_macros(*files[0])
    found: dict[str, str] = {}
    indicators = []
    for path, text in files[1:]:
        try:
            content = LexiconFile.model_validate(_yaml(path, text))
        except ValidationError as exc:
            raise ConfigError.from_validation(str(path), exc) from exc
        for spec in content.indicators:
            if spec.id in found:
                raise ConfigError(str(path), spec.id, f"indicator also defined in {found[spec.id]}")
            found[spec.id] = path.name
            indicators.append(_compile(spec, macros, str(path)))
    return tuple(indicators)
