"""Name variants as data: nicknames, transliterations and placeholder words, validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyarrow as pa
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from msht.errors import ConfigError

_FORM = re.compile(r"^[a-z]+$")


class _VariantFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nicknames: list[list[str]] = []
    transliterations: list[list[str]] = []
    placeholders: list[str] = []

    @field_validator("nicknames", "transliterations")
    @classmethod
    def _groups(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            if len(group) < 2:
                raise ValueError(f"a group needs at least two forms, got {group}")
            _forms(group)
        return groups

    @field_validator("placeholders")
    @classmethod
    def _placeholders(cls, words: list[str]) -> list[str]:
        return _forms(words)


def _forms(words: list[str]) -> list[str]:
    for word in words:
        if not _FORM.match(word):
            raise ValueError(f"{word!r} is not lower-case letters only (names are compared so)")
    return words


@dataclass(frozen=True)
class NameVariants:
    """Groups of name forms that may name the same person, and words that are no name."""

    groups: tuple[tuple[str, ...], ...]
    placeholders: tuple[str, ...]

    def as_arrow(self) -> pa.Table:
        """One row per (form, group key); a group's key is its first form."""
        forms, keys = [], []
        for group in self.groups:
            for form in dict.fromkeys(group):
                forms.append(form)
                keys.append(group[0])
        return pa.table({"form": pa.array(forms, pa.string()), "group_key": pa.array(keys)})

    def keys_of(self, form: str) -> set[str]:
        """The group keys of `form` (itself when it is in no group)."""
        keys = {g[0] for g in self.groups if form in g}
        return keys or {form}

    def merged(self, other: NameVariants) -> NameVariants:
        """These variants and `other`'s together."""
        return NameVariants(
            groups=self.groups + other.groups,
            placeholders=tuple(dict.fromkeys(self.placeholders + other.placeholders)),
        )


def load_variants(path: Path) -> NameVariants:
    """Read a name-variant file; ConfigError naming the key when it is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        parsed = _VariantFile.model_validate(raw)
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError.from_validation(str(path), exc) from exc
    groups = [tuple(g) for g in parsed.nicknames + parsed.transliterations]
    return NameVariants(groups=tuple(groups), placeholders=tuple(parsed.placeholders))


def shipped_variants() -> NameVariants:
    """The nickname and transliteration list that ships with msht."""
    path = Path(str(resources.files("msht.resolve") / "data" / "name_variants.yaml"))
    return load_variants(path)
