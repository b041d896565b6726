"""Signing in and out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from msht.access.errors import AccountDisabled, SignInRefused
from msht.access.users import end_sessions, sign_in
from msht.audit.log import record
from msht.cases.actor import Actor
from msht.store.base import utcnow
from msht.store.database import transaction
from msht.web.deps import DatabaseDep, actor, check_signed_in, signed_in
from msht.web.errors import Unauthorised
from msht.web.sessions import COOKIE, MAX_AGE_SECONDS, Sessions

router = APIRouter(prefix="/api", tags=["session"])

#: The answer to a refused sign-in, whether the user is unknown, the password wrong or the
#: account locked.
REFUSED = "sign-in refused: wrong username or password, or too many failed attempts"


class Credentials(BaseModel):
    """A username and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


@router.post("/login")
def login(body: Credentials, request: Request, response: Response) -> dict[str, Any]:
    """Sign in: sets the session cookie and returns the CSRF token that every state-changing
    request must send in the X-CSRF-Token header."""
    engine = request.app.state.database
    try:
        user = sign_in(engine, body.username, body.password, utcnow())
    except SignInRefused as exc:
        with transaction(engine) as session:
            record(
                session,
                username=body.username.strip().lower()[:64] or "-",
                role="-",
                action="access",
                record_ids=[],
                reason="sign-in refused",
                detail={"why": type(exc).__name__},
            )
        # one answer whatever the reason, so that nobody learns which usernames exist
        raise Unauthorised(REFUSED if not isinstance(exc, AccountDisabled) else str(exc)) from exc
    sessions: Sessions = request.app.state.sessions
    cookie, data = sessions.issue(user.username, user.session_epoch, user.role, user.organisation)
    with transaction(engine) as session:
        record(
            session,
            username=user.username,
            role=user.role,
            action="access",
            record_ids=[],
            reason="signed in",
            detail={},
        )
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return {"username": user.username, "role": user.role, "csrf_token": data.csrf}


@router.post("/logout")
def logout(
    found: Annotated[Actor, Depends(actor)], db: DatabaseDep, response: Response
) -> dict[str, str]:
    """Sign out: this account's sessions end (on every device) and the cookie is removed."""
    with signed_in(db, found) as session:
        end_sessions(session, found.username)
        record(
            session,
            username=found.username,
            role=found.role,
            action="access",
            record_ids=[],
            reason="signed out",
            detail={},
        )
    response.delete_cookie(COOKIE)
    return {"signed_out": found.username}


@router.get("/me")
def me(found: Annotated[Actor, Depends(actor)], db: DatabaseDep) -> dict[str, Any]:
    """Who is signed in, with their role, organisation and permissions."""
    check_signed_in(db, found)
    return {
        "username": found.username,
        "role": found.role,
        "organisation": found.organisation,
        "permissions": sorted(found.permissions),
    }
