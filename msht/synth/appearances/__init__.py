"""Who appears in which source, when, and in what role: the events behind every row."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from msht.synth.geography import Address

#: The sources, in the order they are written.
SOURCES = ("crime", "intel", "custody", "nrm", "ms1", "partner", "public", "missing")


class Event(NamedTuple):
    """Something a source recorded: a day, the people in it and their roles, and where.

    `kind` is source-specific (an offence, a visiting agency, a report channel…);
    `network` and `premises` are indexes (0 when none). A named tuple: there are many.
    """

    day: date
    people: tuple[tuple[int, str], ...]
    kind: str = ""
    network: int = 0
    premises: int = 0
    place: Address | None = None


Plan = dict[str, list[Event]]
