"""HTTP status for each refusal the library raises, with the field named for 422s."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError

from msht.cases.errors import Conflict, Forbidden, Invalid, NotFound
from msht.errors import MshtError
from msht.store.database import temporary_failure

LOG = logging.getLogger(__name__)


class Unauthorised(MshtError):  # noqa: N818 -- named for the HTTP answer it becomes
    """No valid session (HTTP 401)."""


_STATUS: dict[type[Exception], int] = {
    Unauthorised: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
}


def _later(why: str, seconds: int) -> JSONResponse:
    """503: `why`, and when to try again."""
    return JSONResponse(
        {"detail": f"{why}: try again shortly"},
        status_code=503,
        headers={"Retry-After": str(seconds)},
    )


class Refusal(BaseModel):
    """Why a request was refused."""

    detail: str


#: The refusals every route may answer with, for the OpenAPI document.
RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": Refusal, "description": "Not signed in, or the session expired."},
    403: {
        "model": Refusal,
        "description": "The role may not do this, or the CSRF token is missing.",
    },
    404: {"model": Refusal, "description": "No such item, or not shared with the partner."},
    409: {
        "model": Refusal,
        "description": "Not allowed in the item's state (workflow, four "
        "eyes, a change made meanwhile).",
    },
}


def install(app: FastAPI) -> None:
    """Map msht's refusals onto HTTP answers; other errors stay 500s (and are bugs)."""

    async def refused(_request: Request, exc: Exception) -> JSONResponse:
        status = next(code for kind, code in _STATUS.items() if isinstance(exc, kind))
        return JSONResponse({"detail": str(exc)}, status_code=status)

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Invalid)
        detail = [{"loc": [exc.where, exc.field], "msg": str(exc), "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)

    async def stale(_request: Request, _exc: Exception) -> JSONResponse:
        return JSONResponse(
            {"detail": "someone else changed this item meanwhile: reload it and try again"},
            status_code=409,
        )

    async def clashed(_request: Request, _exc: Exception) -> JSONResponse:
        return JSONResponse(
            {"detail": "someone made the same change at the same moment: reload and try again"},
            status_code=409,
        )

    async def no_connection(_request: Request, _exc: Exception) -> JSONResponse:
        return _later("the server is too busy to answer now", 5)

    async def busy(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, OperationalError)
        if temporary_failure(exc):
            LOG.warning("the serving store cannot be reached: %s", exc.orig)
            return _later("the store cannot be reached now", 5)
        if "locked" not in str(exc):  # SQLite's "database is locked" is the one expected
            raise exc
        return _later("the store is busy (a run is publishing)", 30)

    for kind in _STATUS:
        app.add_exception_handler(kind, refused)
    app.add_exception_handler(Invalid, invalid)
    app.add_exception_handler(StaleDataError, stale)
    app.add_exception_handler(IntegrityError, clashed)
    app.add_exception_handler(OperationalError, busy)
    app.add_exception_handler(PoolTimeout, no_connection)
    # A read whose audit entries were not committed in time (msht.audit.group): not shown.
    app.add_exception_handler(TimeoutError, no_connection)
