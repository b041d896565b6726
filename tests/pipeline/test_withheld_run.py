"""A flag a review removed is counted nowhere a run publishes (R07: no informal lists): not in
the reach of the people around the person, the investigation list, the risk evidence that
reads it, nor the run summary; and the removal stands on the runs after."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from factories import store_rows, write_project
from network.stores import CRIMES, LINKS, RECORDS, write_store
from sqlalchemy import select

from msht.cases.actor import Actor
from msht.cases.review import transition
from msht.engine.warehouse import Warehouse
from msht.pipeline.run import network_again
from msht.pipeline.serving import serving_session
from msht.project.example import example_dir
from msht.store.published import Evidence, Profile
from msht.store.reviews import ReviewItem

pytestmark = pytest.mark.slow  # three runs of the pipeline

ANALYST = Actor("ana", "analyst", frozenset({"review:read", "review:write"}))
REVIEWER = Actor("rev", "reviewer", frozenset({"review:read", "review:write", "review:signoff"}))

RISK = """\
version: "t-1"
cohort: {min_groups: 1, min_score: 6}
rules:
  - id: slavery-victim
    description: "Recorded as the victim of a modern slavery offence"
    group: prior_safeguarding
    check: offence_involvement
    parameters: {offences: ["MSA 2015"], roles: [victim]}
    points: 6
    version: 1
  - id: linked-to-many-victims
    description: "Shares a vehicle, phone or document with a person linked to many victims"
    group: organised_crime
    check: linked_to_many_victims
    points: 2
    version: 1
"""


def _project(tmp_path: Path) -> Path:
    """A project whose store holds the resolved case above (no sources to ingest)."""
    rules = example_dir() / "rules" / "network.yaml"
    files: dict[str, bytes | str] = {
        "rules/network.yaml": rules.read_text(encoding="utf-8"),
        "rules/risk.yaml": RISK,
    }
    root = write_project(tmp_path / "p", {}, files)
    with Warehouse(root / "store", "duckdb").new_version("seed") as store:
        write_store(store, RECORDS, LINKS, CRIMES)
        people = [r for r, (kind, _) in RECORDS.items() if kind == "Person"]
        n = len(people)
        store.create_table(
            "person",
            pa.table(
                {
                    "id": people,
                    "source": ["s"] * n,
                    "source_record_id": [f"row-{r}" for r in people],
                    "full_name": [None] * n,
                    "forenames": ["A"] * n,
                    "surname": [r.upper() for r in people],
                    "dob": pa.array([date(1980, 1, 1)] * n, pa.date32()),  # all adults
                    "age_estimate": pa.nulls(n, pa.int64()),
                    "age_estimated_on": pa.nulls(n, pa.date32()),
                    "nationality": [None] * n,
                    "sex": [None] * n,
                },
                schema=pa.schema(
                    [(c, pa.string()) for c in ("id", "source", "source_record_id")]
                    + [(c, pa.string()) for c in ("full_name", "forenames", "surname")]
                    + [("dob", pa.date32()), ("age_estimate", pa.int64())]
                    + [("age_estimated_on", pa.date32())]
                    + [(c, pa.string()) for c in ("nationality", "sex")]
                ),
            ),
        )
    return root


def _reach(root: Path, table: str = "network_reach") -> dict[str, tuple[int, int, int]]:
    rows = store_rows(
        root, f"SELECT entity_id, victims_1hop, victims_1hop_not_home, victims_2hops FROM {table}"
    )
    return {
        r["entity_id"]: (r["victims_1hop"], r["victims_1hop_not_home"], r["victims_2hops"])
        for r in rows
    }


def _remove_flag(root: Path, entity_id: str) -> None:
    """Close the person's review item with "no further action", which removes the flag."""
    with serving_session(root) as session:
        item = session.scalars(select(ReviewItem).where(ReviewItem.entity_id == entity_id)).one()
        transition(session, item.id, "under_review", ANALYST, "picked up")
        transition(session, item.id, "awaiting_signoff", ANALYST, "seen", "no_further_action")
        transition(session, item.id, "closed", REVIEWER, "agreed")


def test_a_withheld_victim_is_counted_nowhere_a_run_publishes(tmp_path: Path) -> None:
    root = _project(tmp_path)
    first = network_again(root).summary.extra
    assert _reach(root)["PER-C"] == (3, 3, 3)
    assert first["network"]["flagged"] == 3 and first["publish"]["new_items"] == 3

    _remove_flag(root, "PER-V1")
    second = network_again(root).summary.extra
    reach = _reach(root)
    assert reach["PER-C"] == (2, 2, 2)  # the van's two other victims
    assert reach["PER-N"] == (0, 0, 2)  # the neighbour lives with nobody flagged now
    assert _reach(root, "network_for_investigation") == {"PER-C": (2, 2, 2)}
    assert store_rows(root, "SELECT entity_id FROM network_flagged ORDER BY ALL") == [
        {"entity_id": "PER-V2"},
        {"entity_id": "PER-V3"},
    ]
    flagged = store_rows(root, "SELECT sum(flagged) AS n FROM network_group")[0]["n"]
    assert flagged == 2
    assert (second["network"]["flagged"], second["network"]["for_investigation"]) == (2, 1)
    assert (second["risk"]["profiles"], second["risk"]["cohort"]) == (2, 2)
    assert second["publish"]["withheld"] == 1 and second["publish"]["reopened"] == 0
    with serving_session(root) as session:
        assert session.get(Profile, "PER-V1") is None
        details = session.scalars(
            select(Evidence.detail).where(
                Evidence.entity_id == "PER-V2", Evidence.rule_id == "linked-to-many-victims"
            )
        ).all()
    # what the other victims' reviewers read counts the two, not the withheld one
    assert details == ["shares vehicle VEH-1 with a person linked to 2 potential victims"]

    # Taking the person out changed the counts in their own evidence (the van's driver is
    # linked to 2 now): the removal still stands, judged on the evidence before it was taken.
    third = network_again(root).summary.extra
    assert third["publish"]["withheld"] == 1
    assert third["publish"]["reopened"] == 0 and third["publish"]["new_items"] == 0
    with serving_session(root) as session:
        item = session.scalars(select(ReviewItem).where(ReviewItem.entity_id == "PER-V1")).one()
        assert item.state == "closed" and item.flag_removed
