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
    model_config = ConfigDict(extra="forbid", frozen=True)


class Paths(_Strict):
    """Folders of the project, relative to the project folder."""

    sources: str = "sources"
    rules: str = "rules"
    data: str = "data"
    store: str = "store"
    runs: str = "runs"
    truth: str = "truth"


class ProjectConfig(_Strict):
    """The contents of `msht.yaml`."""

    name: str
    area: str
    divisions: dict[str, tuple[str, ...]] = Field(min_length=1)
    engine: Literal["duckdb", "spark"] = "duckdb"
    database_url: str = "sqlite:///msht.sqlite"
    security_marking: str = "OFFICIAL-SENSITIVE"
    paths: Paths = Paths()

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

    def path(self, name: Literal["sources", "rules", "data", "store", "runs", "truth"]) -> Path:
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
        err = exc.errors()[0]
        raise ConfigError(str(file), ".".join(str(p) for p in err["loc"]), err["msg"]) from exc
    return Project(root=root.resolve(), config=config)
