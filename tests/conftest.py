"""Shared fixtures; plain helpers live in `factories.py` (importable by name)."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import MakeProject, write_project


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write a project with the example msht.yaml, the given mappings and data files."""

    def make(mappings: dict[str, str], files: dict[str, bytes | str]) -> Path:
        return write_project(tmp_path / "project", mappings, files)

    return make
