"""The FastAPI app of a project: its serving store, sessions and routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from msht.access.users import sessions_current
from msht.audit.group import AsyncGroupWriter
from msht.project.config import load_project
from msht.store.database import WRITER_POOL_SIZE, connect_async
from msht.web import errors
from msht.web.connections import RecycleConnections
from msht.web.routes import audit, auth, exports, judgements, people, reviews
from msht.web.sessions import Sessions, secret_key


def create_app(root: Path, database: Engine, secret: str | None = None) -> FastAPI:
    """The API over the project at `root`, serving from `database` (already migrated)."""
    project = load_project(root)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        # Reads on PostgreSQL are served on the event loop, from connections and an audit
        # writer that belong to it: made here, once per loop that serves the app (a worker),
        # and given to each request as `request.state` (`msht.web.deps.read`).
        reads = connect_async(database, autocommit=True)
        writes = connect_async(database, pool_size=WRITER_POOL_SIZE)
        if reads is None or writes is None:
            yield {}
            return
        try:
            yield {
                "reads": reads,
                "audit_writer": AsyncGroupWriter(writes, admit=sessions_current),
            }
        finally:
            await reads.dispose()
            await writes.dispose()

    app = FastAPI(
        title=f"msht — {project.config.name}",
        version="1",
        description="Review of potential victims of modern slavery: entities, explainable "
        "profiles, the review workflow, judgements, exports and the audit log. Every view of "
        f"a person is audited. Marking: {project.config.security_marking}.",
        lifespan=lifespan,
    )
    app.state.root = project.root
    app.state.database = database
    app.state.sessions = Sessions(secret or secret_key(project.root))
    app.state.marking = project.config.security_marking
    errors.install(app)
    app.add_middleware(RecycleConnections)
    for module in (auth, people, reviews, judgements, audit, exports):
        app.include_router(module.router, responses=errors.RESPONSES)
    return app
