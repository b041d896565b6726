"""Spelling variants that keep every character in place: "-ize" and "-yze" read as "-ise"
and "-yse" ("organized", "recognize", "paralyzed", "authorization"), in texts and in the
lexicon alike, so a pattern written either way finds a text written either way, and the
spans of a match stay exact character offsets of the text as written. Words whose "z" is
part of their stem ("size", "seize", "prize", "citizen") are left alone: the suffix must
follow at least three letters and end the word.
"""

from __future__ import annotations

import re

_OXFORD = re.compile(
    r"(?<=[a-z]{3})([iy])(z)(?=(?:e|es|ed|ing|ation|ations|er|ers)\b)", re.IGNORECASE
)


def _as_s(m: re.Match[str]) -> str:
    """The "i"/"y" of a match and an "s" in the case of its "z"."""
    return m.group(1) + ("S" if m.group(2) == "Z" else "s")


def unified(text: str) -> str:
    """`text` with "-ize"/"-yze" endings spelt "-ise"/"-yse" (same length, same places)."""
    return _OXFORD.sub(_as_s, text) if "z" in text or "Z" in text else text


#: An "-iz"/"-yz" stem a pattern spells before a group, class or escape ("realiz(?:e|ed)",
#: "penaliz\\w*"): `unified` cannot read it, and texts are read as "-is", so it never matches.
_UNREAD = re.compile(r"(?<=[a-z]{3})[iy]z(?=[(\[\\])", re.IGNORECASE)


def unread_z(pattern: str) -> str | None:
    """The "-iz" stem of `pattern` that could never match (write it "-is"), if any."""
    found = _UNREAD.search(pattern)
    return None if found is None else pattern[max(0, found.start() - 6) : found.end()]
