from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from msht.errors import ConfigError
from msht.model import reference
from msht.model.schema import load_schema, pole_schema

SCHEMA_DIR = Path(__file__).parents[2] / "msht" / "model" / "schema"


def test_protected_characteristics_are_marked() -> None:
    protected = pole_schema().protected_properties()
    assert set(protected["Person"]) == {"sex", "nationality", "ethnicity", "languages"}
    assert protected["IdentityDocument"] == ["issuing_country"]


def test_loader_requires_protected_characteristics_to_be_marked(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    person = folder / "person.yaml"
    person.write_text(
        person.read_text().replace(
            "ethnicity: {type: string, protected: true,", "ethnicity: {type: string,"
        )
    )
    with pytest.raises(
        ConfigError, match=r"person\.yaml: Person\.properties\.ethnicity.*protected"
    ):
        load_schema(folder)


def test_every_property_and_role_is_documented() -> None:
    schema = pole_schema()
    for ent in schema.entities.values():
        assert ent.description.strip(), ent.name
        for name, prop in ent.properties.items():
            assert prop.description.strip(), f"{ent.name}.{name}"
    assert all(link.description.strip() for link in schema.links.values())


def test_duty_to_notify_cannot_identify_anyone() -> None:
    ms1 = pole_schema().entity("DutyToNotify")
    assert ms1.anonymous
    assert not {"forenames", "surname", "full_name", "dob", "phone", "photo"} & set(ms1.properties)
    for role in pole_schema().links.values():
        assert not ("DutyToNotify" in role.to and "Person" in role.from_)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, folder)
    return folder


def test_loader_refuses_a_name_on_an_anonymous_event(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    events = folder / "events.yaml"
    text = events.read_text().replace(
        '    reference: {type: string, description: "Notification reference."}',
        '    reference: {type: string, description: "Notification reference."}\n'
        "    victim_name: {type: name, description: Name.}",
    )
    events.write_text(text)
    with pytest.raises(ConfigError, match=r"DutyToNotify\.properties\.victim_name.*identifying"):
        load_schema(folder)


def test_loader_refuses_linking_a_person_to_an_anonymous_event(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    links = folder / "links.yaml"
    links.write_text(
        links.read_text() + "named-in: {from: [Person], to: [DutyToNotify], description: x}\n"
    )
    with pytest.raises(ConfigError, match=r"links\.named-in"):
        load_schema(folder)


def test_loader_names_file_and_key_for_a_bad_type(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    vehicle = folder / "vehicle.yaml"
    vehicle.write_text(vehicle.read_text().replace("vrm: {type: vrm", "vrm: {type: registration"))
    with pytest.raises(ConfigError) as info:
        load_schema(folder)
    assert "vehicle.yaml" in str(info.value) and "properties.vrm.type" in str(info.value)


def test_docs_model_md_is_generated_from_the_schema() -> None:
    page = (Path(__file__).parents[2] / "docs" / "model.md").read_text(encoding="utf-8")
    assert page == reference.render(), "docs/model.md is stale: run `make docs`"


def test_loader_refuses_unquoted_yes_no_codes(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    events = folder / "events.yaml"
    events.write_text(
        events.read_text().replace('["yes", "no", "not_sure"]', "[yes, no, not_sure]")
    )
    with pytest.raises(ConfigError, match="quote codes"):
        load_schema(folder)
