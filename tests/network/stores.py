"""Small resolved stores for network tests: records of entities, links, and events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pyarrow as pa

from msht.engine.base import Engine

#: (role, from record, to record[, start date[, source row]])
Link = tuple[Any, ...]

# One case the tests of withheld flags share (R07).
#: A controller drives three victims of one slavery crime in his van; the first victim lives
#: at an address with a neighbour.
RECORDS = {
    "c": ("Person", "PER-C"),
    "v1": ("Person", "PER-V1"),
    "v2": ("Person", "PER-V2"),
    "v3": ("Person", "PER-V3"),
    "n": ("Person", "PER-N"),
    "van": ("Vehicle", "VEH-1"),
    "home": ("Address", "ADR-1"),
}
LINKS = [
    ("suspect", "c", "k1"),
    *(("victim", v, "k1") for v in ("v1", "v2", "v3")),
    *(("uses-vehicle", p, "van") for p in ("c", "v1", "v2", "v3")),
    ("resident-at", "v1", "home"),
    ("resident-at", "n", "home"),
]
CRIMES = {"k1": ("K1", date(2025, 3, 1), "MSA 2015 s1 holding a person in slavery")}


def write_store(
    engine: Engine,
    records: dict[str, tuple[str, str]],
    links: Sequence[Link],
    crimes: dict[str, tuple[Any, ...]] | None = None,
) -> None:
    """Records: record id → (entity type, entity id). Crimes: record id → (reference,
    offence date, offence[, district]); a link to a crime record needs no entry in
    `records`."""
    crimes = crimes or {}
    ids = list(records)
    engine.create_table(
        "resolved_record",
        pa.table(
            {
                "entity_type": [records[r][0] for r in ids],
                "record_id": ids,
                "entity_id": [records[r][1] for r in ids],
                "source": ["s"] * len(ids),
            }
        ),
    )
    entities = sorted(set(records.values()))
    engine.create_table(
        "resolved_entity",
        pa.table(
            {
                "entity_id": [e for _, e in entities],
                "entity_type": [t for t, _ in entities],
                "records": pa.array([1] * len(entities), pa.int64()),
                "sources": [["s"]] * len(entities),
            }
        ),
    )

    def kind(record: str) -> str:
        return records[record][0] if record in records else "CrimeReport"

    engine.create_table(
        "link",
        pa.table(
            {
                "id": [f"L{i}" for i in range(len(links))],
                "source": ["s"] * len(links),
                "source_record_id": [
                    link[4] if len(link) > 4 else f"row{i}" for i, link in enumerate(links)
                ],
                "role": [link[0] for link in links],
                "from_type": [kind(link[1]) for link in links],
                "from_id": [link[1] for link in links],
                "to_type": [kind(link[2]) for link in links],
                "to_id": [link[2] for link in links],
                "start_date": pa.array(
                    [link[3] if len(link) > 3 else None for link in links], pa.date32()
                ),
                "end_date": pa.array([None] * len(links), pa.date32()),
            }
        ),
    )
    if crimes:
        crime_ids = list(crimes)
        engine.create_table(
            "crime_report",
            pa.table(
                {
                    "id": crime_ids,
                    "source": ["s"] * len(crime_ids),
                    "source_record_id": [f"row-{c}" for c in crime_ids],
                    "reference": [crimes[c][0] for c in crime_ids],
                    "offence_date": pa.array([crimes[c][1] for c in crime_ids], pa.date32()),
                    "reported_date": pa.nulls(len(crime_ids), pa.date32()),
                    "offence": [crimes[c][2] for c in crime_ids],
                    "district": [crimes[c][3] if len(crimes[c]) > 3 else None for c in crime_ids],
                }
            ),
        )


def write_people(
    engine: Engine,
    ids: Sequence[str],
    surnames: Sequence[str] | None = None,
    dobs: Sequence[date | None] | None = None,
) -> None:
    """A `person` table for the records `ids` (no ages unless `dobs` are given)."""
    n = len(ids)
    engine.create_table(
        "person",
        pa.table(
            {
                "id": list(ids),
                "source": ["s"] * n,
                "source_record_id": [f"row-{i}" for i in ids],
                "surname": list(surnames) if surnames is not None else ["x"] * n,
                "dob": pa.array(list(dobs) if dobs is not None else [None] * n, pa.date32()),
                "age_estimate": pa.nulls(n, pa.int64()),
                "age_estimated_on": pa.nulls(n, pa.date32()),
            }
        ),
    )
