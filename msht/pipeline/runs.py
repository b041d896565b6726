"""Run ids, run folders and `summary.json` (its shape is a contract: later stages add keys)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LATEST = "latest"


def new_run_id(now: dt.datetime | None = None) -> str:
    """A sortable, unique run id: UTC time and a random suffix."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass
class RunSummary:
    """What one `msht run` did."""

    run_id: str
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)
    ok: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON document written to summary.json."""
        return {
            "run_id": self.run_id,
            "sources": self.sources,
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "ok": self.ok,
            **self.extra,
        }


def write_summary(runs_dir: Path, summary: RunSummary) -> Path:
    """Write runs/<run-id>/summary.json and point runs/latest at that folder atomically."""
    folder = runs_dir / summary.run_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "summary.json"
    tmp = folder / ".summary.json.tmp"
    tmp.write_text(
        json.dumps(summary.as_dict(), indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    tmp.replace(path)
    link = runs_dir / f".{LATEST}.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(summary.run_id)
    link.replace(runs_dir / LATEST)
    return path
