"""Serving a project's API with uvicorn."""

from __future__ import annotations

from pathlib import Path

import uvicorn

from msht.pipeline.serving import open_store
from msht.web.app import create_app


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API of the project at `root` until interrupted."""
    database = open_store(root)
    try:
        uvicorn.run(create_app(root, database), host=host, port=port, log_level="warning")
    finally:
        database.dispose()
