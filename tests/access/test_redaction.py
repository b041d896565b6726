from __future__ import annotations

from dataclasses import dataclass

import pytest

from msht.access.redaction import WITHHELD, redact_for_partner, visible_to_partner


@dataclass(frozen=True)
class Shared:
    organisation: str
    disclosed: bool = False


def test_address_and_contact_are_withheld() -> None:
    entity = {
        "entity_id": "P1",
        "label": "A. Person",
        "address": "1 High Street, Margate",
        "contact": "07700 900123",
        "division": "East",
        "records": [{"system": "crime", "record_id": "CR1"}],
    }
    redacted = redact_for_partner(entity)
    assert redacted == {**entity, "address": WITHHELD, "contact": WITHHELD, "records": WITHHELD}
    assert entity["address"] == "1 High Street, Margate", "the input is left alone"


def test_nested_evidence_details_and_text_are_withheld() -> None:
    profile = {
        "score": 40,
        "factors": [
            {
                "rule_id": "crowded_address",
                "points": 20,
                "evidence": [{"record_id": "R1", "detail": "lives at 1 High Street"}],
            }
        ],
        "signs": ({"indicator_id": "I1", "text": "sleeps at 2 Low Road"},),
        "entity": {"address": None},
    }
    redacted = redact_for_partner(profile)
    assert "High Street" not in repr(redacted) and "Low Road" not in repr(redacted)
    evidence = redacted["factors"][0]["evidence"][0]
    assert evidence == {"record_id": WITHHELD, "detail": WITHHELD}  # R09: source records too
    assert redacted["signs"][0]["indicator_id"] == "I1"
    assert redacted["entity"]["address"] == WITHHELD


@pytest.mark.parametrize(
    ("code", "shares", "organisation", "visible"),
    [
        ("P", [Shared("glaa")], "glaa", True),
        ("P", [Shared("glaa")], "medway-council", False),
        ("P", [], "glaa", False),
        ("P", [Shared("glaa")], None, False),
        ("C", [Shared("glaa")], "glaa", False),
        ("C", [Shared("glaa", disclosed=True)], "glaa", True),
        ("C", [Shared("glaa", disclosed=True), Shared("medway-council")], "medway-council", False),
        (None, [Shared("glaa")], "glaa", False),
        ("X", [Shared("glaa", disclosed=True)], "glaa", True),
    ],
)
def test_partners_see_only_shared_items_and_c_only_when_disclosed(
    code: str | None, shares: list[Shared], organisation: str | None, visible: bool
) -> None:
    assert visible_to_partner(code, shares, organisation) is visible
