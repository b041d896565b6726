import json
from pathlib import Path

import pytest

from msht.errors import ConfigError
from msht.resolve.config import load_person_linkage
from msht.resolve.model import load_model

EXAMPLE = Path(__file__).parents[2] / "msht/project/example/resolve/person.yaml"


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("not json", ""),
        ({"settings_digest": "x"}, "msht_model_version"),
        (
            {
                "msht_model_version": 1,
                "settings_digest": "x",
                "probability_two_random_records_match": 2,
            },
            "probability_two_random_records_match",
        ),
        (
            {
                "msht_model_version": 1,
                "settings_digest": "x",
                "probability_two_random_records_match": 0.001,
                "comparisons": {"surname": [{"label": "same name", "m": "high", "u": 0.1}]},
            },
            "comparisons.surname[0].m",
        ),
    ],
)
def test_a_malformed_model_names_the_key(tmp_path: Path, content: object, key: str) -> None:
    path = tmp_path / "person_model.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(ConfigError) as err:
        load_model(path)
    assert err.value.key == key


def test_settings_with_an_unknown_column_name_the_key(tmp_path: Path) -> None:
    text = EXAMPLE.read_text().replace(
        "[forename_fuzzy_keys, surname_key]\n", "[forename_fuzzy_keys, shoe_size]\n", 1
    )
    path = tmp_path / "person.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="blocking_rules") as err:
        load_person_linkage(path)
    assert "shoe_size" in str(err.value)


def test_the_shipped_settings_load() -> None:
    config = load_person_linkage(EXAMPLE)
    assert {c.name for c in config.comparisons} >= {"forename", "surname", "date_of_birth"}
