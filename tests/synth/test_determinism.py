from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from synth_readback import RECORD_ID, rows

from msht.synth import generate, runner


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_byte_identical_files(tmp_path_factory: pytest.TempPathFactory) -> None:
    one = generate(tmp_path_factory.mktemp("a") / "p", people=1500, seed=7, workers=1)
    two = generate(tmp_path_factory.mktemp("b") / "p", people=1500, seed=7, workers=2)
    first, second = _digest(one.out), _digest(two.out)
    assert first == second
    assert any(name.endswith(".xlsx") for name in first)
    assert one.rows == two.rows and one.calibration == two.calibration


def test_another_seed_gives_other_data(tmp_path_factory: pytest.TempPathFactory) -> None:
    one = generate(tmp_path_factory.mktemp("c") / "p", people=500, seed=1, workers=1)
    two = generate(tmp_path_factory.mktemp("d") / "p", people=500, seed=2, workers=1)
    path = "truth/records.csv"
    assert (one.out / path).read_bytes() != (two.out / path).read_bytes()


def test_rejects_a_tiny_population(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(tmp_path / "p", people=10)


def test_chunked_output_is_the_same_on_any_number_of_processes(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "CHUNK", 300)  # many chunks per source, even when small
    one = generate(tmp_path_factory.mktemp("e") / "p", people=1200, seed=3, workers=1)
    two = generate(tmp_path_factory.mktemp("f") / "p", people=1200, seed=3, workers=3)
    assert _digest(one.out) == _digest(two.out)
    assert not list(one.out.rglob(".part*"))
    # faults keep pointing at their rows once the chunks are joined
    with (one.out / "truth" / "faults.csv").open(encoding="utf-8") as f:
        faults = list(csv.DictReader(f))
    assert len({f["source"] for f in faults}) == 4
    for fault in faults:
        by_row = dict(rows(one.out, fault["source"]))
        values = by_row[int(fault["row"])]
        if fault["fault"] == "missing_record_id":
            assert values[RECORD_ID[fault["source"]]] == ""
        else:
            assert values[RECORD_ID[fault["source"]]] == fault["record_id"]
