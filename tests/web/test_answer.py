import json
from datetime import UTC, date, datetime

from msht.web.answer import Json


def test_json_answers_write_dates_as_iso_and_no_number_json_cannot_hold() -> None:
    body = Json(
        {
            "due": date(2027, 1, 31),
            "at": datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
            "score": float("nan"),
            "big": float("inf"),
            "name": "Zoë",
        }
    ).body
    assert json.loads(body) == {
        "due": "2027-01-31",
        "at": "2026-11-23T09:30:00Z",
        "score": None,
        "big": None,
        "name": "Zoë",
    }
