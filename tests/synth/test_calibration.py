from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from msht.synth import CalibrationRow, SynthResult
from msht.synth.calibration import apportion, measure


def _victims(root: Path) -> list[dict[str, str]]:
    with (root / "truth" / "victims.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_default_size_matches_kent_within_five_points(default_project: SynthResult) -> None:
    rows = default_project.calibration
    assert {r.dimension for r in rows} == {"exploitation_type", "division", "nationality"}
    bad = [(r.dimension, r.category, round(r.diff_points, 1)) for r in rows if not r.ok]
    assert not bad
    assert default_project.victims == 380
    assert default_project.people == 20_000


def test_calibration_is_measured_from_the_truth_file(default_project: SynthResult) -> None:
    victims = [v for v in _victims(default_project.out) if v["role"] == "victim"]
    assert len(victims) == default_project.victims
    again = measure((v["exploitation_type"], v["division"], v["nationality"]) for v in victims)
    assert again == default_project.calibration


def test_servitude_is_small_and_children_are_a_real_share(default_project: SynthResult) -> None:
    victims = [v for v in _victims(default_project.out) if v["role"] == "victim"]
    types = Counter(v["exploitation_type"] for v in victims)
    assert 0 < types["domestic_servitude"] <= 0.03 * len(victims)
    for etype in ("criminal", "sexual"):
        group = [v for v in victims if v["exploitation_type"] == etype]
        children = sum(v["age_band"] == "under_18" for v in group)
        assert 0.15 * len(group) < children < 0.9 * len(group), etype


def test_row_properties() -> None:
    row = CalibrationRow("division", "North", 0.5, 0.56)
    assert round(row.diff_points, 6) == 6.0 and not row.ok
    assert CalibrationRow("division", "West", 0.1, 0.14).ok


def test_apportion_keeps_the_total() -> None:
    assert apportion(379, {"a": 98, "b": 39, "c": 37}) == {"a": 213, "b": 85, "c": 81}
    assert sum(apportion(7, {"x": 1, "y": 1, "z": 1}).values()) == 7
