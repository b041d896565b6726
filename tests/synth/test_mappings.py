from __future__ import annotations

from pathlib import Path

import pytest
from synth_readback import rows

from msht.ingest.mapping import load_mapping
from msht.project.example import example_dir

SOURCES = ("crime", "intel", "custody", "nrm", "ms1", "partner", "public", "missing")


def test_every_source_has_a_mapping_that_loads() -> None:
    found = {p.stem for p in (example_dir() / "sources").glob("*.yaml")}
    assert set(SOURCES) <= found
    for source in SOURCES:
        mapping = load_mapping(example_dir() / "sources" / f"{source}.yaml")
        assert mapping.source == source


def test_ms1_mapping_has_no_person() -> None:
    mapping = load_mapping(example_dir() / "sources" / "ms1.yaml")
    assert all(e.type != "Person" for e in mapping.entities.values())


@pytest.mark.parametrize("source", SOURCES)
def test_generated_files_have_every_mapped_column(default_root: Path, source: str) -> None:
    mapping = load_mapping(default_root / "sources" / f"{source}.yaml")
    assert len(sorted(default_root.glob(mapping.files))) == 1, source
    table = rows(default_root, source)
    header = set().union(*(values for _, values in table))
    assert mapping.columns() <= header, mapping.columns() - header
