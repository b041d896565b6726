"""What every route depends on, declared once: the database and the signed-in actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from msht.access.errors import AccessError
from msht.access.roles import role as role_named
from msht.cases.actor import Actor
from msht.cases.errors import Forbidden
from msht.store.database import transaction
from msht.store.users import User
from msht.web.errors import Unauthorised
from msht.web.sessions import COOKIE, CSRF_HEADER, Sessions

#: Methods that change nothing and need no CSRF token.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# A dependency declared `def` runs in the thread pool: a hop to a thread and back, with
# its GIL hand-overs, for each one. Those that only read the request are `async def`, so a
# request makes one hop for the actor's lookup and one for its route, not four.


async def database(request: Request) -> Engine:
    """The serving store the app was started on."""
    engine: Engine = request.app.state.database
    return engine


#: The serving store. Each route opens its own transaction on it (`transaction(db)`) in
#: the thread that runs the route, so it commits before the answer is sent and never waits
#: for another thread of the pool to end it (a dependency's teardown would: under load
#: every thread could be waiting on the audit log's lock held by a request whose commit
#: needs a free thread).
DatabaseDep = Annotated[Engine, Depends(database)]


def actor(request: Request) -> Actor:
    """The signed-in user as an actor; 401 without a valid session, 403 when a
    state-changing request lacks the session's CSRF token."""
    sessions: Sessions = request.app.state.sessions
    data = sessions.read(request.cookies.get(COOKIE))
    if data is None:
        raise Unauthorised("sign in first (POST /api/login)")
    with transaction(request.app.state.database) as session:
        user = session.get(User, data.username)
    if user is None or user.disabled or user.session_epoch != data.epoch:
        raise Unauthorised("this session has ended (signed out, or the account changed): sign in")
    if request.method not in SAFE_METHODS and not data.csrf_matches(
        request.headers.get(CSRF_HEADER)
    ):
        raise Forbidden(f"missing or wrong {CSRF_HEADER} header (CSRF protection)")
    try:
        role = role_named(user.role)
    except AccessError as exc:  # a role taken out of roles.yaml holds nothing
        raise Unauthorised(f"this account's role {user.role!r} is not known") from exc
    return Actor(user.username, user.role, role.permissions, user.organisation, role.scoped)


def allowed(permission: str) -> object:
    """A dependency giving the actor when they hold `permission`, else 403."""

    async def check(found: Annotated[Actor, Depends(actor)]) -> Actor:
        found.require(permission)
        return found

    return Depends(check)
