from __future__ import annotations

from pathlib import Path

import pytest

from msht.errors import ConfigError
from msht.ingest.mapping import load_mapping

BASE = """
source: crime
files: "data/*.csv"
format: csv
record_id: Ref
entities:
  person:
    type: Person
    properties:
      surname: Surname
      dob: {column: DOB}
"""

CASES = [
    (
        "unknown entity type",
        BASE.replace("type: Person", "type: Human"),
        "entities.person.type",
        "Human",
    ),
    (
        "unknown property",
        BASE.replace("surname: Surname", "shoe_size: Size"),
        "properties.shoe_size",
        "no property",
    ),
    ("bad format", BASE.replace("format: csv", "format: docx"), "format", ""),
    (
        "no origin",
        BASE.replace("dob: {column: DOB}", "dob: {transform: date}"),
        "properties.dob",
        "exactly one",
    ),
    (
        "bad transform",
        BASE.replace("dob: {column: DOB}", "dob: {column: DOB, transform: phone}"),
        "properties.dob",
        "cannot fill",
    ),
    (
        "bad code target",
        BASE.replace("dob: {column: DOB}", "sex: {column: S, values: {M: man}}"),
        "properties.sex",
        "man",
    ),
    (
        "unknown key",
        BASE.replace("record_id: Ref", "record_id: Ref\nrecord_key: X"),
        "record_key",
        "",
    ),
    ("bad source name", BASE.replace("source: crime", "source: Crime Records"), "source", ""),
    (
        "unknown role",
        BASE + "links:\n  - {role: friend-of, from: person, to: person}\n",
        "links[0].role",
        "friend-of",
    ),
    (
        "role wrong ends",
        BASE + "links:\n  - {role: drives, from: person, to: person}\n",
        "links[0]",
        "cannot join",
    ),
    (
        "split on single value",
        BASE.replace("surname: Surname", "surname: {column: S, split: ';'}"),
        "properties.surname",
        "split",
    ),
]


@pytest.mark.parametrize(("case", "text", "key", "words"), CASES, ids=[c[0] for c in CASES])
def test_mapping_errors_name_file_key_and_problem(
    tmp_path: Path, case: str, text: str, key: str, words: str
) -> None:
    path = tmp_path / "crime.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_mapping(path)
    message = str(info.value)
    assert str(path) in message and key in message and words in message, (case, message)


def test_shorthand_column_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "crime.yaml"
    path.write_text(BASE, encoding="utf-8")
    m = load_mapping(path)
    assert m.entities["person"].properties["surname"].column == "Surname"
    assert m.transform_of("person", "dob") == "date"
    assert m.columns() == {"Ref", "Surname", "DOB"}
    assert m.encoding == "auto"


def test_every_configuration_key_is_documented_and_the_page_is_current() -> None:
    from msht.ingest import reference

    assert reference.undocumented() == []
    page = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert page == reference.render(), "docs/configuration.md is stale: run `make docs`"


def test_an_ms1_source_cannot_also_make_a_person(tmp_path: Path) -> None:
    path = tmp_path / "ms1.yaml"
    path.write_text(
        "source: ms1\nfiles: 'data/*.jsonl'\nformat: jsonl\nrecord_id: ref\n"
        "entities:\n"
        "  notice:\n    type: DutyToNotify\n    properties:\n      reference: ref\n"
        "  person:\n    type: Person\n    properties:\n      surname: name\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"entities\.person.*identify"):
        load_mapping(path)
