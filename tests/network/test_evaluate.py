"""`msht eval network`: planted networks held whole by one group, and the lists scored."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from msht.cli import app
from msht.errors import MshtError
from msht.network.evaluate import score_network
from msht.pipeline.run import run_project
from msht.project.truth import read_planted
from msht.synth import generate


def test_a_network_is_grouped_only_when_one_group_holds_all_its_people() -> None:
    planted = {
        "N1": [("P1", "controller"), ("P2", "victim"), ("P3", "victim")],
        "N2": [("P4", "controller"), ("P5", "victim")],
        "N3": [("P6", "controller"), ("P7", "victim")],
    }
    # P3 was resolved as two entities; one of them is in the group: enough
    entities = {p: {f"E{p[1:]}"} for members in planted.values() for p, _ in members}
    entities["P3"] = {"E3", "E3b"}
    groups = {
        "E1": {"G1"},
        "E2": {"G1"},
        "E3b": {"G1"},
        "E4": {"G2"},
        "E5": {"G3"},  # N2 split in two groups
        "E6": {"G4"},
        "E9": {"G4"},  # N3's victim in no group; E9 is no planted person
    }
    scores = score_network(planted, entities, groups, {"E2", "E3", "E7"}, {"E1", "E5"})
    assert scores.as_dict() == {
        "networks": 3,
        "networks_grouped": 1,
        "share_grouped": 0.3333,
        "victims": 4,
        "victims_flagged": 3,
        "controllers": 3,
        "controllers_for_investigation": 1,
        "victims_for_investigation": 1,
        "for_investigation": 2,
        "groups": 4,
        "group_people": 7,
        "planted_share_of_group_people": round(6 / 7, 4),
    }


def test_the_planted_truth_is_checked_naming_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "victims.csv"
    path.write_text("person_id,network_id,role\nP1,N1,victim\nP2,,victim\n", encoding="utf-8")
    with pytest.raises(MshtError, match=r"victims.csv: row 3, field network_id: empty"):
        read_planted(path)
    path.write_text("person_id,network_id,role\nP1,N1,boss\n", encoding="utf-8")
    with pytest.raises(MshtError, match=r"row 2, field role"):
        read_planted(path)


def test_msht_eval_network_prints_one_json_object(tmp_path: Path) -> None:
    root = tmp_path / "p"
    generate(root, 3000, 5)
    run_project(root)
    result = CliRunner().invoke(app, ["eval", "network", str(root), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["networks"] > 3 and 0 <= scores["networks_grouped"] <= scores["networks"]
    assert scores["share_grouped"] == round(scores["networks_grouped"] / scores["networks"], 4)
    assert scores["victims_flagged"] > 0 and scores["groups"] > 0
