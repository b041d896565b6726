"""A default-size synthetic project, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from msht.synth import SynthResult, generate


@pytest.fixture(scope="session")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """The project `generate` writes at its default size (20,000 people)."""
    return generate(tmp_path_factory.mktemp("synth") / "project")


@pytest.fixture(scope="session")
def default_root(default_project: SynthResult) -> Path:
    """Folder of the default-size project."""
    return default_project.out
