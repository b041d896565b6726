"""What every source writer shares: the world, how to vary a person, narratives, files."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO

from msht.synth.appearances import Event
from msht.synth.appearances.sampling import Sampler
from msht.synth.identifiers import Mixer, document_number
from msht.synth.narrative import Context, Narrative
from msht.synth.nationality import nationalities
from msht.synth.population import Person
from msht.synth.text import Texts, signs_for
from msht.synth.truth import Truth
from msht.synth.variation import Variation
from msht.synth.world import World
from msht.synth.year import age_on

#: Share of rows in a faulty source that carry a fault the ingest must quarantine.
FAULT_SHARE = 0.003
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=1 << 16)
def dmy(d: date) -> str:
    """dd/mm/yyyy (cached: the same few thousand dates recur on every row)."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


#: How a document type is written on forms.
DOC_LABELS = {
    "passport": "Passport",
    "national_id": "National ID card",
    "visa": "Visa",
    "residence_permit": "Residence permit",
    "driving_licence": "Driving Licence",
}


def vrm_text(rng: random.Random, vrm: str) -> str:
    """A registration mark with or without its space."""
    return f"{vrm[:4]} {vrm[4:]}" if rng.random() < 0.7 else vrm


@dataclass(frozen=True)
class Pen:
    """Everything a writer needs to turn events into rows."""

    world: World
    sampler: Sampler
    vary: Variation
    texts: Texts
    truth: Truth

    def person(self, pid: int) -> Person:
        """The true person numbered `pid`."""
        return self.world.people[pid - 1]

    def names(self, rng: random.Random, p: Person, middle: float = 0.3) -> tuple[str, str]:
        """(given names, family name) as this record writes them."""
        given = self.vary.given(rng, p.forename, p.group)
        if p.middle and rng.random() < middle:
            given = f"{given} {p.middle}"
        family = self.vary.family(rng, p.surname, p.group)
        if rng.random() < _ORDER.get(p.group, 0.0):
            return family, given
        return given, family

    def own_document(self, p: Person) -> tuple[str, str, str]:
        """(type label, number, issuing country) of the person's own document, always the same."""
        own = Mixer(self.world.seed * 1_000_003 + p.pid)
        if p.nationality == "British" and own.random() < 0.6:
            month = p.dob.month + (50 if p.sex == "female" else 0)
            initials = (p.forename[:1] + (p.middle[:1] or "9")).upper()
            number = (
                f"{p.surname.upper().replace(' ', '').replace(chr(39), '')[:5]:9<5}"
                f"{p.dob.year // 10 % 10}{month:02d}{p.dob.day:02d}{p.dob.year % 10}"
                f"{initials}9{document_number(own, 'AA')}"
            )
            return "Driving Licence", number, "United Kingdom"
        nat = nationalities().by_name[p.nationality]
        return "Passport", document_number(own, nat.passport), nat.country

    def dob(self, rng: random.Random, p: Person, missing: float) -> date | None:
        """The date of birth as written, or None when the record has none."""
        if rng.random() < missing:
            return None
        return self.vary.dob(rng, p.dob)

    def phone(self, rng: random.Random, p: Person, given: float) -> str:
        """The person's phone as written on this record, or ""."""
        if not p.phone or rng.random() >= given:
            return ""
        return self.vary.phone(rng, p.phone)

    def home(self, rng: random.Random, p: Person) -> Person:
        """The person; a victim living elsewhere is sometimes recorded at the network's house."""
        role = self.world.roles.get(p.pid)
        if role is None or role.role != "victim" or rng.random() > 0.2:
            return p
        house = self.world.networks[role.network - 1].house
        return p if house == p.home else p._replace(home=house)

    def story(self, rng: random.Random, kind: str, event: Event, pid: int = 0) -> Narrative:
        """The narrative of a record: fresh for a planted network, pooled otherwise."""
        if not event.network:
            return self.texts.ordinary(rng, kind)
        net = self.world.networks[event.network - 1]
        victims = [v for v, _ in event.people if v in net.victims] or list(net.victims)
        subject = pid if pid in net.victims else victims[int(rng.random() * len(victims))]
        person = self.person(subject)
        boss = self.person(net.controllers[int(rng.random() * len(net.controllers))])
        boss_name = self.vary.given(rng, boss.forename, boss.group)
        child = age_on(person.dob, event.day) < 18
        anonymous = kind == "ms1_account"
        ctx = Context(
            person=None if anonymous else self.vary.given(rng, person.forename, person.group),
            sex=person.sex,
            boss=None if anonymous else boss_name,
            premises=None
            if anonymous or net.premises.sector in ("residential", "cannabis_grow")
            else net.premises.name,
            sector=net.premises.sector,
            town=net.premises.address.town,
            vrm=vrm_text(rng, net.vrm) if rng.random() < 0.5 else None,
        )
        return self.texts.planted(rng, kind, ctx, signs_for(rng, net.etype, child))


_ORDER = {"chinese": 0.15, "vietnamese": 0.2}


class CsvPart:
    """One chunk of a CSV file's rows (no header), counting the lines it spans.

    Chunks are written apart (possibly by several processes) and joined under the header
    afterwards, so `write` returns the line offset within the chunk.
    """

    def __init__(self, path: Path, encoding: str, delimiter: str = ","):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = path.open("w", encoding=encoding, errors="replace", newline="")
        self._out = csv.writer(self._file, delimiter=delimiter, lineterminator="\r\n")
        self.lines = 0
        self.rows = 0

    def write(self, row: list[str], breaks: int = 0) -> int:
        """Write one row holding `breaks` line breaks; return the chunk line it starts on."""
        start = self.lines
        self._out.writerow(row)
        self.lines += 1 + breaks
        self.rows += 1
        return start

    def close(self) -> None:
        """Flush and close the file."""
        self._file.close()


class Faults:
    """Decides which rows get a deliberate fault: a small share, and always the third row
    of a source's first chunk, so every faulty source has at least one."""

    def __init__(self, rng: random.Random, first_chunk: bool) -> None:
        self._rng = rng
        self._count = 0
        self._forced = 2 if first_chunk else -1

    def due(self) -> bool:
        """Whether the next row gets a fault."""
        n = self._count
        self._count += 1
        return n == self._forced or self._rng.random() < FAULT_SHARE
