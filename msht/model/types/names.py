"""Personal names: cleaned for display, split into forenames and surname, keyed for matching."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from msht.errors import ValueProblem

TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "SIR", "LADY", "REV", "MASTER"})
"""Titles (upper case, no dot) that `clean_name` drops from the start of a name."""

PARTICLES = frozenset(
    {"de", "da", "del", "della", "der", "van", "von", "la", "le", "di", "du", "dos"}
    | {"bin", "binti", "al", "el"}  # Arabic and Malay
)
"""Surname particles ("de la Cruz"); written in lower case they belong to the surname."""

_ORDERS = ("auto", "forenames_first", "surname_first")
# Removed by name_key, so "O'Brien-Smith" and "OBrien Smith" only differ by one space:
# apostrophes (straight, curly, grave, acute, modifier), hyphens and dashes, dots.
_JOINERS = frozenset("'\u2019\u2018`\u00b4\u02bc-\u2010\u2011\u2012\u2013\u2014.")
# Latin letters that NFKD does not decompose into a base letter and an accent.
_ASCII_FOLD = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ł": "l",
        "ŀ": "l",
        "\u0131": "i",  # dotless i
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)


def _is_letter_or_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _trim(word: str) -> str:
    """Strip surrounding punctuation and symbols, keeping letters, digits and accents."""
    if word.isalnum():  # the usual case, decided in C
        return word
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] not in "LMN":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] not in "LMN":
        end -= 1
    return word[start:end]


def _words(value: str) -> list[str]:
    """Split into words as written: trimmed, punctuation-only tokens and leading titles gone."""
    words = [w for w in (_trim(token) for token in value.split()) if w]
    # A lone "Lady" or "Master" may be all we know of a name, so the last word stays.
    while len(words) > 1 and words[0].upper() in TITLES:
        del words[0]
    return words


def _title(word: str) -> str:
    """Capitalise each letter run ("o'neil" → "O'Neil") without changing letter counts."""
    if word.isascii() and word.isalpha():  # the usual case: one run of plain letters
        return word[0].upper() + word[1:].lower()
    out = []
    start = True
    for char in word:
        if char.isalpha():
            mapped = char.upper() if start else char.lower()
            # "ß".upper() is "SS" and a dotless i upper-cases to "I": keep such letters as
            # written, so that no letter is lost, added or changed into another.
            same = len(mapped) == 1 and mapped.casefold() == char.casefold()
            out.append(mapped if same else char)
            start = False
        else:
            out.append(char)
            if not _is_letter_or_mark(char):
                start = True
    return "".join(out)


def _fix_case(words: list[str]) -> str:
    last = len(words) - 1
    fixed = []
    for index, word in enumerate(words):
        if word.islower() and index < last and word in PARTICLES:
            fixed.append(word)
        elif word.isupper() or word.islower():
            fixed.append(_title(word))
        else:
            fixed.append(word)  # mixed case ("McDONALD") was typed on purpose
    return " ".join(fixed)


def _has_letter(words: Sequence[str]) -> bool:
    return any(char.isalpha() for word in words for char in word)


@lru_cache(maxsize=1 << 17)
def clean_name(value: str) -> str:
    """Return the name tidied for display: "  MR JOHN  SMITH." gives "John Smith".

    Whitespace is collapsed, leading titles and surrounding punctuation dropped, and words
    written all upper or all lower case are title-cased (lower-case particles such as "de"
    stay lower); accents, hyphens, apostrophes and mixed-case words are kept as written.
    Raises ValueProblem ``wrong_type`` when there is no letter at all.
    """
    words = _words(value)
    if not _has_letter(words):
        raise ValueProblem("wrong_type", f"{value!r} is not a name; expected letters")
    return _fix_case(words)


def _is_particle(word: str, all_upper: bool) -> bool:
    return word in PARTICLES or (all_upper and word.casefold() in PARTICLES)


def _surname_cut(words: list[str], order: str) -> tuple[list[str], list[str]]:
    """Return (forenames, surname) words; `order` is "forenames_first" or "surname_first"."""
    all_upper = " ".join(words).isupper()
    if order == "forenames_first":
        cut = len(words) - 1
        while cut > 0 and _is_particle(words[cut - 1], all_upper):
            cut -= 1
        return words[:cut], words[cut:]
    cut = 0
    while cut < len(words) - 1 and _is_particle(words[cut], all_upper):
        cut += 1
    return words[cut + 1 :], words[: cut + 1]


def _capitals(word: str) -> bool:
    """Say whether the word is an upper-case surname, not an initial ("SMITH", not "J")."""
    return word.isupper() and sum(char.isalpha() for char in word) >= 2


def _part(words: Sequence[str]) -> str | None:
    return clean_name(" ".join(words)) if _has_letter(words) else None


@lru_cache(maxsize=1 << 17)
def split_name(value: str, order: str = "auto") -> tuple[str | None, str | None]:
    """Split a name into (forenames, surname), each cleaned with `clean_name`.

    `order` is "forenames_first" (last word is the surname, with any lower-case particles
    before it: "Ana de la Cruz"), "surname_first", or "auto": "SURNAME, Forenames" when
    there is a comma, else surname first when the name starts with upper-case words and
    goes on in mixed case ("SMITH John"), else forenames first. One word is a surname.
    Raises ValueProblem ``wrong_type`` when there is no letter at all.
    """
    if order not in _ORDERS:
        raise ValueError(f"unknown name order {order!r}; expected one of {_ORDERS}")
    if order == "auto" and "," in value:
        surname, _, forenames = value.partition(",")
        fore_words, sur_words = _words(forenames.replace(",", " ")), _words(surname)
    else:
        words = _words(value.replace(",", " "))
        if order == "auto":
            rest_mixed = any(char.islower() for word in words[1:] for char in word)
            if words and _capitals(words[0]) and rest_mixed:
                cut = 1
                while cut < len(words) - 1 and _capitals(words[cut]):
                    cut += 1
                fore_words, sur_words = words[cut:], words[:cut]
            else:
                fore_words, sur_words = _surname_cut(words, "forenames_first")
        else:
            fore_words, sur_words = _surname_cut(words, order)
    if not (_has_letter(fore_words) or _has_letter(sur_words)):
        raise ValueProblem("wrong_type", f"{value!r} is not a name; expected letters")
    return _part(fore_words), _part(sur_words)


def join_names(parts: Sequence[str | None]) -> str | None:
    """Join the non-empty parts with single spaces; None when there are none."""
    joined = " ".join(stripped for part in parts if part and (stripped := part.strip()))
    return joined or None


@lru_cache(maxsize=1 << 17)
def name_key(value: str) -> str:
    """Return a matching key: "Zoë O'Brien-Smith" gives "zoe obriensmith".

    Accents are removed and Latin letters folded to ASCII (ø → o, ß → ss), case is folded,
    apostrophes, hyphens and dots are dropped so the parts they join run together, and
    any other non-letter (digits, commas, brackets) separates words; spaces are collapsed.
    """
    # NFKD on both sides of casefold: each can produce what the other must undo.
    text = unicodedata.normalize("NFKD", value)
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_ASCII_FOLD)
    out = []
    for char in text:
        if char.isalpha():
            out.append(char)
        elif char not in _JOINERS and unicodedata.category(char)[0] != "M":
            out.append(" ")
    return " ".join("".join(out).split())
