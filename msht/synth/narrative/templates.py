"""Checks on the template texts of the YAML files: placeholders, punctuation, characters.

A template is plain text with ``{name}`` placeholders filled by ``str.format_map``; the
checks here run when the YAML is loaded so that rendering never fails later.
"""

from __future__ import annotations

import re

#: Placeholders a phrasing or a frame sentence may use.
PLACEHOLDERS: tuple[str, ...] = (
    "person",
    "boss",
    "premises",
    "workplace",
    "town",
    "vrm",
    "time",
    "money",
    "they",
    "them",
    "their",
    "is",
    "was",
    "has",
)
#: The placeholder of an opener where the clause goes.
CLAUSE = "clause"

_FIELD = re.compile(r"\{([A-Za-z_]*)\}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SENTENCE_END = re.compile("[.!?][\u2019\u201d\"')]?$")
_FORMULA_START = ("-", "=", "+", "@")


def fields(text: str) -> list[str]:
    """Placeholder names in `text`, in order of appearance."""
    return _FIELD.findall(text)


def _check_common(text: str, allowed: tuple[str, ...]) -> None:
    if not text or text != text.strip():
        raise ValueError("text is empty or has leading/trailing spaces")
    if _CONTROL.search(text):
        raise ValueError("text contains a control character (newline, tab…)")
    if text.startswith(_FORMULA_START):
        raise ValueError("text must not start with -, =, + or @ (read as a spreadsheet formula)")
    for name in fields(text):
        if name not in allowed:
            raise ValueError(f"unknown placeholder {{{name}}}; allowed: {', '.join(allowed)}")
    if "{" in _FIELD.sub("", text) or "}" in _FIELD.sub("", text):
        raise ValueError("stray brace: only {placeholder} may use braces")


def _check_start(text: str) -> None:
    if text[0].islower():
        raise ValueError("a sentence must start with a capital or a placeholder")


def check_clause(text: str) -> str:
    """A phrasing: a clause without final punctuation (the frame adds it)."""
    _check_common(text, PLACEHOLDERS)
    if text[-1] in ".!?;:,":
        raise ValueError(f"a clause must not end with {text[-1]!r}; the frame adds the full stop")
    return text


def check_sentence(text: str) -> str:
    """A filler or ordinary sentence: complete, with final punctuation, no clause slot."""
    _check_common(text, PLACEHOLDERS)
    _check_start(text)
    if not _SENTENCE_END.search(text):
        raise ValueError("a sentence must end with . ! or ?")
    return text


def check_opener(text: str) -> str:
    """An opener: a sentence holding exactly one {clause}."""
    _check_common(text, (*PLACEHOLDERS, CLAUSE))
    _check_start(text)
    if fields(text).count(CLAUSE) != 1:
        raise ValueError("an opener must contain {clause} exactly once")
    if not _SENTENCE_END.search(text):
        raise ValueError("an opener must end with . ! or ?")
    return text


def check_reference(text: str, slot: str | None) -> str:
    """A generic or named reference ("the employer", "a person known as {name}")."""
    _check_common(text, (slot,) if slot else ())
    if slot and slot not in fields(text):
        raise ValueError(f"a named reference must contain {{{slot}}}")
    return text
