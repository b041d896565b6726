"""How one true fact is written differently on each record: names, dates, addresses, phones.

Every function takes the caller's `random.Random`, so a writer's output depends only on
its own seed. Rates are per appearance; together they keep most records of a person
sharing at least two of name, date of birth, postcode and phone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from msht.synth.geography import Address
from msht.synth.names import NameBook

P_NICKNAME = 0.10
P_SPELLING = 0.35
P_TYPO = 0.035
P_DOB_SWAP = 0.03
P_DOB_YEAR = 0.02
P_DOB_DAY = 0.01
_KEYS = "qwertyuiopasdfghjklzxcvbnm"
_NEAR = {
    c: "".join(n for n in row[max(0, i - 1) : i + 2] if n != c)
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i, c in enumerate(row)
}


def typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: swap, drop, double or mistype a letter (not the first)."""
    if len(word) < 4:
        return word
    i = 1 + int(rng.random() * (len(word) - 2))
    r = rng.random()
    if r < 0.3:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if r < 0.55:
        return word[:i] + word[i + 1 :]
    if r < 0.7:
        return word[:i] + word[i] + word[i:]
    near = _NEAR.get(word[i].lower())
    if not near:
        return word
    sub = near[int(rng.random() * len(near))]
    return word[:i] + (sub.upper() if word[i].isupper() else sub) + word[i + 1 :]


class Variation:
    """Writes names, dates, addresses and phone numbers the way records vary."""

    def __init__(self, book: NameBook, abbreviations: dict[str, str]) -> None:
        self.nicknames = book.nicknames
        self.spellings = book.spellings
        self.abbreviations = abbreviations

    def given(self, rng: random.Random, name: str, group: str) -> str:
        """A given name as written: nickname, other spelling, a typo, or as it is."""
        r = rng.random()
        if r < P_NICKNAME:
            nicks = self.nicknames.get(name)
            if nicks:
                return nicks[int(rng.random() * len(nicks))]
        elif r < P_NICKNAME + P_SPELLING and group != "british":
            other = self.spellings.get(name)
            if other:
                return other[int(rng.random() * len(other))]
        return typo(rng, name) if rng.random() < P_TYPO else name

    def family(self, rng: random.Random, name: str, group: str) -> str:
        """A family name as written: other spelling, apostrophe lost, a typo, or as it is."""
        if group != "british" and rng.random() < P_SPELLING:
            other = self.spellings.get(name)
            if other:
                return other[int(rng.random() * len(other))]
        if "'" in name and rng.random() < 0.3:
            name = name.replace("'", "" if rng.random() < 0.5 else " ")
        return typo(rng, name) if rng.random() < P_TYPO else name

    @staticmethod
    def dob(rng: random.Random, dob: date) -> date:
        """A date of birth as written: day and month swapped, year or day off, or right."""
        r = rng.random()
        if r < P_DOB_SWAP and dob.day <= 12 and dob.day != dob.month:
            return date(dob.year, dob.day, dob.month)
        if r < P_DOB_SWAP + P_DOB_YEAR:
            year = dob.year + (1 if rng.random() < 0.5 else -1)
            return date(year, dob.month, min(dob.day, 28))
        if r < P_DOB_SWAP + P_DOB_YEAR + P_DOB_DAY:
            return dob + timedelta(days=1 if rng.random() < 0.5 else -1)
        return dob

    @staticmethod
    def phone(rng: random.Random, national: str) -> str:
        """A mobile number in one of the ways people write it."""
        r = rng.random()
        rest = national[1:]
        if r < 0.35:
            return f"{national[:5]} {national[5:]}"
        if r < 0.6:
            return national
        if r < 0.72:
            return f"+44 {rest[:4]} {rest[4:]}"
        if r < 0.82:
            return f"+44{rest}"
        if r < 0.88:
            return f"0044 {rest}"
        if r < 0.94:
            return f"+44 (0){rest}"
        return f"{national[:5]}-{national[5:8]}-{national[8:]}"

    @staticmethod
    def postcode(rng: random.Random, postcode: str) -> str:
        """A postcode as typed: mostly right, sometimes lower case or without its space."""
        r = rng.random()
        if r < 0.86:
            return postcode
        if r < 0.92:
            return postcode.replace(" ", "")
        if r < 0.97:
            return postcode.lower()
        return postcode.lower().replace(" ", "")

    def street(self, rng: random.Random, a: Address) -> str:
        """The street name, sometimes abbreviated ("Orchard Rd")."""
        name = a.street.name
        if rng.random() < 0.3:
            short = self.abbreviations.get(a.street.kind)
            if short and name.endswith(a.street.kind):
                return name[: -len(a.street.kind)] + short
        return name

    def line1(self, rng: random.Random, a: Address) -> str:
        """The first address line in one of the forms records use."""
        street = self.street(rng, a)
        road = f"{a.number} {street}" if a.number else street
        if a.building:
            road = f"{a.building}, {road}"
        if not a.flat:
            return road
        r = rng.random()
        if r < 0.5:
            return f"Flat {a.flat}, {road}"
        if r < 0.65:
            return f"{road}, Flat {a.flat}"
        if r < 0.77:
            return f"{a.flat}/{road}" if a.number and not a.building else f"Flat {a.flat} {road}"
        if r < 0.87:
            return f"Flat {a.flat} {road}"
        if r < 0.92:
            return f"Apartment {a.flat}, {road}"
        return road

    def one_line(self, rng: random.Random, a: Address, with_postcode: bool = False) -> str:
        """The whole address in one field: "Flat 2, 14 Orchard Rd, Chatham[, Kent][, ME4 4TZ]"."""
        parts = [self.line1(rng, a), a.town]
        if rng.random() < 0.15:
            parts.append("Kent")
        if with_postcode:
            parts.append(self.postcode(rng, a.postcode))
        text = ", ".join(parts)
        return text.upper() if rng.random() < 0.08 else text
