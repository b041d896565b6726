"""Contractions in patterns: a space of a pattern also matches nothing before an apostrophe.

"they (?:will|'ll) kill" cannot find "they'll kill" as written: its space would have to come
before the apostrophe. So a space followed by something that may start with an apostrophe
(a group or class holding one, or the apostrophe itself) becomes `SPACE`. Only
those spaces change: changing every space doubled the time to compile the lexicon. Spaces
in look-behinds (which must keep a fixed width), in comments and escaped ones stay as
they are.
"""

from __future__ import annotations

#: What such a space becomes: a space, or nothing before an apostrophe.
SPACE = "(?: |(?=['\u2019]))"
_APOSTROPHES = frozenset("'\u2019")


def contracted(text: str) -> str:
    """`text` with each space before something that may start with an apostrophe also
    matching nothing there ("he (?:is|'s)" finds "he's")."""
    out: list[str] = []
    kept: list[bool] = []  # for each open group: whether its spaces stay as they are
    n = 0
    while n < len(text):
        char = text[n]
        if char in "\\[":  # an escape, or a class, is copied whole
            end = n + 2 if char == "\\" else _class_end(text, n) + 1
            out.append(text[n:end])
            n = end
            continue
        if char == "(":
            kept.append(text.startswith(("(?<=", "(?<!", "(?#"), n) or any(kept))
        elif char == ")" and kept:
            kept.pop()
        elif char == " " and not any(kept) and _apostrophe_next(text, n + 1):
            char = SPACE
        out.append(char)
        n += 1
    return "".join(out)


def _apostrophe_next(text: str, at: int) -> bool:
    """Whether what starts at text[at] may start with an apostrophe (when unsure, yes)."""
    if at >= len(text):
        return False
    char = text[at]
    if char in _APOSTROPHES:
        return True
    if char == "[":
        end = _class_end(text, at)
        return text.startswith("[^", at) or bool(_APOSTROPHES & set(text[at:end]))
    if char == "(":
        end = _group_end(text, at)
        if end < 0:
            return True
        optional = text[end + 1 : end + 2] in ("?", "*") or text.startswith("{0", end + 1)
        return bool(_APOSTROPHES & set(text[at:end])) or (
            optional and _apostrophe_next(text, end + 1 + (2 if text[end + 1] == "{" else 1))
        )
    return False


def _class_end(text: str, at: int) -> int:
    """Where the character class opened at text[at] ends."""
    n = at + 1 + (text[at + 1 : at + 2] == "^")
    n += text[n : n + 1] == "]"  # a "]" first is one of its characters
    while n < len(text) and text[n] != "]":
        n += 2 if text[n] == "\\" else 1
    return n


def _group_end(text: str, at: int) -> int:
    """Where the group opened at text[at] closes, or -1."""
    depth, n = 0, at
    while n < len(text):
        char = text[n]
        if char == "\\":
            n += 2
            continue
        if char == "[":
            n = _class_end(text, n)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return n
        n += 1
    return -1
