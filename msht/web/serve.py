"""Serving a project's API with uvicorn, in one process or several."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from msht.pipeline.serving import open_store
from msht.web.app import create_app
from msht.web.sessions import secret_key

#: Tells each worker process which project to serve.
_ROOT = "MSHT_SERVE_ROOT"


def from_environment() -> FastAPI:
    """The app of the project named by `MSHT_SERVE_ROOT` (uvicorn's factory for workers)."""
    root = Path(os.environ[_ROOT])
    app = create_app(root, open_store(root))
    # What is left after start-up lives as long as the worker: out of the collector's sight,
    # a full collection no longer walks it. It walked ~170,000 objects in 90-270 ms, a pause
    # of every request the worker held, several times a minute under load (the long tail of
    # `benchmarks/api.py`: p99 335 ms before, 208 ms after).
    gc.collect()
    gc.freeze()
    return app


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the API of the project at `root` until interrupted; `workers` processes share
    the port (the serving store is shared; sessions are signed with the project's key)."""
    open_store(root).dispose()  # migrate once, before any worker starts
    secret_key(root)  # and make the signing key once, so that every worker shares it
    os.environ[_ROOT] = str(root.resolve())
    uvicorn.run(
        "msht.web.serve:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
