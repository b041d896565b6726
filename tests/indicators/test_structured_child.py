"""STR-CHILD: a person's age at the date of the events their records are linked to, not today
(R17: an unknown age is still a child's). On both engines."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from network.stores import write_store

sys.path.insert(0, str(Path(__file__).parents[1] / "engine"))
from spark_support import SPARK_MARKS, require_spark

from msht.engine import EngineKind, open_engine
from msht.indicators.structured import STRUCTURED, build_structured

#: Person record → (entity, date of birth, age estimate, date of the estimate).
PEOPLE: dict[str, tuple[str, date | None, int | None, date | None]] = {
    "grown": ("PER-GROWN", date(2000, 6, 15), None, None),  # 15 at the crime, adult now
    "birthday": ("PER-BIRTHDAY", date(2000, 6, 15), None, None),  # 18 that very day
    "eve": ("PER-EVE", date(2000, 6, 15), None, None),  # 17, a day before
    "estimated": ("PER-ESTIMATED", None, 15, date(2014, 5, 1)),  # 16 by the crime
    "estimated-adult": ("PER-EST-ADULT", None, 17, date(2014, 5, 1)),  # 18 by the crime
    "unknown": ("PER-UNKNOWN", None, None, None),  # no age anywhere: a child (R17)
    "adult": ("PER-TWICE", date(1990, 1, 1), None, None),  # adult at one crime…
    "young": ("PER-TWICE", date(1999, 1, 1), None, None),  # …a child at the other
    "named": ("PER-NAMED", date(2001, 1, 1), None, None),  # the crime links to them
    "undated": ("PER-UNDATED", date(1970, 1, 1), None, None),  # no event: today, adult
}
#: Crime record → (reference, offence date, offence).
CRIMES = {
    "c1": ("C1", date(2015, 9, 1), "theft"),
    "c2": ("C2", date(2018, 6, 15), "theft"),
    "c3": ("C3", date(2018, 6, 14), "theft"),
    "c4": ("C4", date(2015, 6, 1), "theft"),
    "c5": ("C5", date(2016, 1, 1), "theft"),
    "c6": ("C6", date(2012, 3, 1), "theft"),
}
LINKS = [
    ("victim", "grown", "c1"),
    ("victim", "birthday", "c2"),
    ("victim", "eve", "c3"),
    ("victim", "estimated", "c4"),
    ("victim", "estimated-adult", "c5"),
    ("victim", "unknown", "c1"),
    ("suspect", "adult", "c6"),
    ("victim", "young", "c6"),
    ("concerns", "c1", "named"),  # the event at the link's start
]


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=SPARK_MARKS)])
def kind(request: pytest.FixtureRequest) -> EngineKind:
    if request.param == "spark":
        require_spark()
    value: EngineKind = request.param
    return value


def test_a_child_is_one_at_the_date_of_an_event(kind: EngineKind, tmp_path: Path) -> None:
    with open_engine(kind, tmp_path / ("store.duck" if kind == "duckdb" else "store.parquet")) as e:
        write_store(e, {r: ("Person", p[0]) for r, p in PEOPLE.items()}, LINKS, CRIMES)
        ids = list(PEOPLE)
        e.create_table(
            "person",
            pa.table(
                {
                    "id": ids,
                    "source": ["s"] * len(ids),
                    "source_record_id": [f"row-{r}" for r in ids],
                    "dob": pa.array([PEOPLE[r][1] for r in ids], pa.date32()),
                    "age_estimate": pa.array([PEOPLE[r][2] for r in ids], pa.int64()),
                    "age_estimated_on": pa.array([PEOPLE[r][3] for r in ids], pa.date32()),
                }
            ),
        )
        build_structured(e)
        rows = e.query(
            f"SELECT entity_id, evidence, evidence_ids FROM {STRUCTURED} "
            "WHERE indicator_id = 'STR-CHILD'"
        ).to_pylist()
    found = {r["entity_id"]: (r["evidence"], list(r["evidence_ids"])) for r in rows}
    assert found == {
        "PER-GROWN": (1, ["grown"]),
        "PER-EVE": (1, ["eve"]),
        "PER-ESTIMATED": (1, ["estimated"]),
        "PER-UNKNOWN": (1, ["unknown"]),
        "PER-TWICE": (1, ["young"]),
        "PER-NAMED": (1, ["named"]),
    }


def test_an_age_from_intelligence_graded_e_or_ungraded_counts_for_nothing(
    kind: EngineKind, tmp_path: Path
) -> None:
    # Each person: a crime record saying adult, and an intelligence record saying child.
    grades = {"ok": ("B", "2"), "e": ("B", "E"), "none": (None, None)}
    people = {f"crime-{g}": ("Person", f"PER-{g}") for g in grades}
    people |= {f"intel-{g}": ("Person", f"PER-{g}") for g in grades}
    links = [("victim", f"crime-{g}", "c1") for g in grades]
    links += [("subject", f"intel-{g}", f"i-{g}") for g in grades]
    with open_engine(kind, tmp_path / ("store.duck" if kind == "duckdb" else "store.parquet")) as e:
        write_store(
            e,
            people | {f"i-{g}": ("IntelligenceReport", f"INT-{g}") for g in grades},
            links,
            {"c1": ("C1", date(2015, 9, 1), "theft")},
        )
        ids = list(people)
        e.create_table(
            "person",
            pa.table(
                {
                    "id": ids,
                    "source": ["crime" if i.startswith("crime") else "intel" for i in ids],
                    "source_record_id": [f"row-{i}" for i in ids],
                    "dob": pa.array(
                        [
                            date(1980, 1, 1) if i.startswith("crime") else date(2005, 1, 1)
                            for i in ids
                        ],
                        pa.date32(),
                    ),
                    "age_estimate": pa.nulls(len(ids), pa.int64()),
                    "age_estimated_on": pa.nulls(len(ids), pa.date32()),
                }
            ),
        )
        e.create_table(
            "intelligence_report",
            pa.table(
                {
                    "id": [f"i-{g}" for g in grades],
                    "source": ["intel"] * len(grades),
                    "source_record_id": [f"row-intel-{g}" for g in grades],
                    "report_date": pa.array([date(2015, 9, 1)] * len(grades), pa.date32()),
                    "source_evaluation": [grades[g][0] for g in grades],
                    "intelligence_assessment": [grades[g][1] for g in grades],
                }
            ),
        )
        build_structured(e)
        children = e.query(f"SELECT entity_id FROM {STRUCTURED} WHERE indicator_id = 'STR-CHILD'")[
            "entity_id"
        ].to_pylist()
    assert children == ["PER-ok"]  # 10 in 2015 by graded intelligence; the others adults
