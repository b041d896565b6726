"""The FastAPI app of a project: its serving store, sessions and routers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine

from msht.project.config import load_project
from msht.web import errors
from msht.web.routes import audit, auth, exports, judgements, people, reviews
from msht.web.sessions import Sessions, secret_key


def create_app(root: Path, database: Engine, secret: str | None = None) -> FastAPI:
    """The API over the project at `root`, serving from `database` (already migrated)."""
    project = load_project(root)
    app = FastAPI(
        title=f"msht — {project.config.name}",
        version="1",
        description="Review of potential victims of modern slavery: entities, explainable "
        "profiles, the review workflow, judgements, exports and the audit log. Every view of "
        f"a person is audited. Marking: {project.config.security_marking}.",
    )
    app.state.root = project.root
    app.state.database = database
    app.state.sessions = Sessions(secret or secret_key(project.root))
    app.state.marking = project.config.security_marking
    errors.install(app)
    for module in (auth, people, reviews, judgements, audit, exports):
        app.include_router(module.router, responses=errors.RESPONSES)
    return app
