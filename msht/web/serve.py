"""Serving a project's API with uvicorn, in one process or several."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from msht.pipeline.serving import open_store
from msht.web.app import create_app
from msht.web.sessions import secret_key
from msht.web.workers import OWN_SOCKETS, run_workers

#: Tells each worker process which project to serve.
_ROOT = "MSHT_SERVE_ROOT"

#: What each worker calls to make its app.
_FACTORY = "msht.web.serve:from_environment"


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
    the port (the serving store is shared; sessions are signed with the project's key), on
    Linux each with a socket of its own (`msht.web.workers`)."""
    open_store(root).dispose()  # migrate once, before any worker starts
    secret_key(root)  # and make the signing key once, so that every worker shares it
    os.environ[_ROOT] = str(root.resolve())
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning"}
    if workers > 1 and OWN_SOCKETS:
        run_workers(uvicorn.Config(_FACTORY, factory=True, **options), workers)
    else:
        uvicorn.run(_FACTORY, factory=True, workers=workers, **options)
