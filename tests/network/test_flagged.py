"""Flags: who the network stage treats as a potential victim, each for a named reason."""

from datetime import date
from pathlib import Path

import pytest

from msht.engine import open_engine
from msht.errors import ConfigError
from msht.network.settings import Flag, NetworkSettings, load_network_settings
from msht.network.stage import network_project
from msht.network.tables import FLAGGED
from network.stores import write_people, write_store


def test_flags_match_offence_role_and_a_childs_age_at_the_time(tmp_path: Path) -> None:
    records = {
        x: ("Person", f"PER-{x}")
        for x in ("boy", "man", "victim", "witness", "other", "unknown", "disputed")
    }
    records["disputed-2"] = ("Person", "PER-disputed")  # says 30 once, 16 another time
    crimes = {
        "c1": ("CR/1", date(2025, 6, 1), "Possession with intent to supply Class A"),
        "c2": ("CR/2", date(2025, 6, 1), "Possession with intent to supply Class A"),
        "c3": ("CR/3", date(2025, 7, 1), "Hold a person in SLAVERY or servitude - MSA 2015 s1"),
        "c4": ("CR/4", date(2025, 7, 2), "Hold a person in slavery or servitude - MSA 2015 s1"),
        "c5": ("CR/5", date(2025, 7, 3), "Theft from shop"),
        "c6": ("CR/6", date(2025, 6, 1), "Possession with intent to supply Class A"),
        "c7": ("CR/7", date(2025, 6, 1), "Possession with intent to supply Class A"),
    }
    links = [
        ("suspect", "boy", "c1"),
        ("suspect", "man", "c2"),
        ("victim", "victim", "c3"),
        ("witness", "witness", "c4"),
        ("victim", "other", "c5"),
        ("suspect", "unknown", "c6"),
        ("suspect", "disputed", "c7"),
    ]
    flags = (
        Flag(id="slavery", event="CrimeReport", roles=("victim",), offences=("msa 2015",)),
        Flag(
            id="county_lines",
            event="CrimeReport",
            roles=("suspect",),
            offences=("Class A",),
            children_only=True,
        ),
        Flag(id="visits", event="PartnerVisit", roles=("subject",)),  # no such table: skipped
    )
    with open_engine("duckdb", tmp_path / "store") as engine:
        write_store(engine, records, links, crimes)
        # 17 on the day of the offence (18 today): flagged as the child he was
        # no age on any record of "unknown": a child until shown otherwise (R17)
        write_people(
            engine,
            list(records),
            dobs=[
                date(2007, 12, 1),
                date(1990, 1, 1),
                None,
                None,
                None,
                None,
                date(1995, 1, 1),
                date(2009, 1, 1),
            ],
        )
        report = network_project(engine, NetworkSettings(flags=flags))
        rows = engine.query(f"SELECT * FROM {FLAGGED} ORDER BY entity_id").to_pylist()
    assert rows == [
        {"entity_id": "PER-boy", "flags": ["county_lines"]},
        {"entity_id": "PER-disputed", "flags": ["county_lines"]},
        {"entity_id": "PER-unknown", "flags": ["county_lines"]},
        {"entity_id": "PER-victim", "flags": ["slavery"]},
    ]
    assert report is not None and report.flagged == 4


def test_settings_are_validated_naming_file_and_key(tmp_path: Path) -> None:
    assert load_network_settings(tmp_path) == NetworkSettings()  # no file: defaults
    (tmp_path / "network.yaml").write_text(
        "flags:\n  - {id: x, event: DutyToNotify, roles: [subject]}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_network_settings(tmp_path)
    assert "network.yaml: flags.0.event" in str(caught.value)
    (tmp_path / "network.yaml").write_text(
        "flags: [{id: x, event: NRMReferral, roles: [victim], offences: [slavery]}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="a NRMReferral has no offence"):
        load_network_settings(tmp_path)
    (tmp_path / "network.yaml").write_text("max_shared: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="max_shared"):
        load_network_settings(tmp_path)


def test_the_example_project_settings_load() -> None:
    from msht.project.example import example_dir

    settings = load_network_settings(example_dir() / "rules")
    assert len(settings.flags) >= 3 and "hand_car_wash" in settings.at_risk_sectors
