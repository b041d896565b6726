"""Whom a sign is about: of the people named in the records of an event, the one whose name
comes first in the sentence of the sign ("Adaeze has fresh cuts…", "Ryan's passport is
kept by 'Ethan'"): the sentence's subject, usually. An intelligence report about three
people, or a crime with a victim and a suspect, then gives each sign to one of them, not to
all; a sentence naming none of them ("the IP was frightened") is about none in particular.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from msht.engine.base import Engine
from msht.errors import ConfigError

#: A person record id, the role of their link to the event, and the names they could be
#: written with.
Candidate = tuple[str, str, tuple[str, ...]]


def names(forenames: str | None, surname: str | None) -> tuple[str, ...]:
    """The first forename and the surname, lower case (two letters or more)."""
    found = []
    if forenames and forenames.split():
        found.append(forenames.split()[0])
    if surname:
        found.append(surname)
    return tuple(n.lower() for n in found if len(n) >= 2)


def candidates(engine: Engine, table: str) -> dict[str, list[Candidate]]:
    """Event record id → the people linked to any record of the same event (same source and
    reference), with their names."""
    if "person" not in engine.tables():
        return {}
    rows = engine.query(
        f"""SELECT DISTINCT e.id AS record_id, p.id AS person, l.role, p.forenames, p.surname
            FROM {table} e
            JOIN {table} e2 ON e2.source = e.source
              AND coalesce(e2.reference, e2.id) = coalesce(e.reference, e.id)
            JOIN link l ON l.to_id = e2.id
            JOIN person p ON p.id = l.from_id
            ORDER BY record_id, person, role"""
    ).to_pylist()
    found: dict[str, list[Candidate]] = defaultdict(list)
    for r in rows:
        written = names(r["forenames"], r["surname"])
        if written:
            found[r["record_id"]].append((r["person"], r["role"], written))
    return found


class _Agents(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    before: tuple[str, ...] = Field(min_length=1)


def load_agents(path: Path | None = None) -> re.Pattern[str]:
    """What comes before a name that acts or is owed ("kept by", "owes money to"), from
    `agents.yaml`, as one pattern that must end right before a name; errors name the file
    and key."""
    source = path or Path(str(resources.files("msht.indicators") / "lexicon" / "agents.yaml"))
    try:
        agents = _Agents.model_validate(yaml.safe_load(source.read_text(encoding="utf-8")))
        for entry in agents.before:
            if re.fullmatch(entry, "") is not None:  # it would make every name an agent
                raise ConfigError(str(source), "before", f"{entry!r} matches nothing at all")
        return re.compile("(?:" + "|".join(agents.before) + r")\W+$", re.IGNORECASE)
    except ValidationError as exc:
        raise ConfigError.from_validation(str(source), exc) from exc
    except (yaml.YAMLError, re.error) as exc:
        raise ConfigError(str(source), "before", str(exc)) from exc


@cache
def _agents() -> re.Pattern[str]:
    return load_agents()


def about(
    sentence: str, people: Iterable[Candidate], mention: tuple[int, int] | None = None
) -> tuple[str, str] | None:
    """The person record the sign at `mention` (start and end in `sentence`) is about, with
    the role of their link to the event (a victim, a suspect…), or None: one named inside
    the mention, capitalised, as the one it is done to ("Phong refused to take Juan to
    hospital", "Ethan keeps Ryan's passport"), else the one named first who does not act or
    is not owed ("Ryan's passport is kept by Ethan", "Minh owes a man known as Phong"); a
    sentence naming only those ("he was driven to work by Juan") is about none of them."""
    lowered = sentence.lower()
    agents = _agents()
    first: tuple[int, str, str] | None = None
    inside: tuple[int, str, str] | None = None
    for person, role, written in people:
        for name in written:
            for m in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", lowered):
                if agents.search(lowered, 0, m.start()):
                    continue
                if first is None or m.start() < first[0]:
                    first = (m.start(), person, role)
                if (
                    mention is not None
                    and mention[0] < m.start() < mention[1]
                    and sentence[m.start()].isupper()  # "Will", not "they will"
                    and (inside is None or m.start() < inside[0])
                ):
                    inside = (m.start(), person, role)
    best = inside or first
    return (best[1], best[2]) if best else None
