from __future__ import annotations

from msht.ingest.mapping import load_mapping
from msht.project.config import load_project
from msht.project.example import example_dir


def test_example_project_and_every_mapping_load() -> None:
    project = load_project(example_dir())
    assert project.config.area == "Kent"
    assert set(project.config.divisions) == {"North", "East", "West"}
    assert project.config.division_of("Medway") == "North"
    files = project.mapping_files()
    assert len(files) >= 6
    sources = {load_mapping(f).source for f in files}
    assert len(sources) == len(files)
