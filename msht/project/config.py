"""Load a project folder's `msht.yaml` and its source mappings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from msht.errors import ConfigError

CONFIG_FILE = "msht.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Paths(_Strict):
    """Folders of the project, relative to the project folder."""

    sources: str = "sources"
    """Source mappings, one YAML file per source system."""
    rules: str = "rules"
    """Risk rules, lexicons and linkage settings."""
    data: str = "data"
    """The source exports."""
    store: str = "store"
    """The POLE store: one version per successful run and the `CURRENT` pointer."""
    runs: str = "runs"
    """Run folders with `summary.json`; `latest` points at the newest."""
    resolve: str = "resolve"
    """Entity resolution: linkage settings, the trained model, human judgements."""
    truth: str = "truth"
    """Ground truth (synthetic projects only), used by the evaluations."""


class ProjectConfig(_Strict):
    """The contents of `msht.yaml`."""

    name: str
    """Name of the deployment, shown on every page and export."""
    area: str
    """Police force area."""
    divisions: dict[str, tuple[str, ...]] = Field(min_length=1)
    """Division → its districts (local authorities): the force's geography."""
    engine: Literal["duckdb", "spark"] = "duckdb"
    """Compute engine for batch stages: `duckdb` (embedded, default) or `spark`."""
    database_url: str = "sqlite:///msht.sqlite"
    """Serving store (SQLAlchemy URL, relative to the project); `MSHT_DATABASE_URL` overrides it."""
    security_marking: str = "OFFICIAL-SENSITIVE"
    """Default Government Security Classification marking of screens and exports."""
    paths: Paths = Paths()
    """Folders of the project, relative to it."""

    def division_of(self, district: str) -> str | None:
        """The division a district belongs to, or None."""
        for division, districts in self.divisions.items():
            if district in districts:
                return division
        return None


@dataclass(frozen=True)
class Project:
    """A loaded project folder."""

    root: Path
    config: ProjectConfig

    def path(
        self, name: Literal["sources", "rules", "data", "store", "runs", "resolve", "truth"]
    ) -> Path:
        """Absolute path of one of the project's folders."""
        folder: str = getattr(self.config.paths, name)
        return self.root / folder

    def mapping_files(self) -> list[Path]:
        """Source mapping files, in name order."""
        return sorted(self.path("sources").glob("*.yaml"))


def load_project(root: Path) -> Project:
    """Load `root/msht.yaml`; raise ConfigError naming the key when it is wrong."""
    file = root / CONFIG_FILE
    if not file.is_file():
        raise ConfigError(str(file), "", "not a project folder (no msht.yaml); see `msht init`")
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        config = ProjectConfig.model_validate(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(str(file), "", f"not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError.from_validation(str(file), exc) from exc
    return Project(root=root.resolve(), config=config)
