"""The review queue, items, and the moves, notes, assignments and shares that change them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from msht.cases.actor import Actor
from msht.cases.review import add_note, assign, share, transition
from msht.cases.views import review_detail, review_queue
from msht.web.answer import Json
from msht.web.deps import DatabaseDep, allowed, read, signed_in
from msht.web.routes.people import Purpose

router = APIRouter(prefix="/api/reviews", tags=["reviews"])

#: A review item's number (a 32-bit key on every database).
ItemId = Annotated[int, Path(ge=1, le=2_147_483_647)]


class Move(BaseModel):
    """A move to another state; closing proposals name an outcome."""

    to: str = Field(min_length=1, max_length=32)
    reason: str = Field(min_length=1, max_length=2000)
    outcome: str | None = Field(default=None, max_length=32)


class NoteIn(BaseModel):
    """A note's text."""

    text: str = Field(min_length=1, max_length=10000)


class Assignment(BaseModel):
    """Who the item is with, and by when."""

    assignee: str | None = Field(default=None, max_length=64)
    due: date | None = None


class ShareIn(BaseModel):
    """A partner organisation to share with; `disclose` releases handling-code C to it."""

    organisation: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)
    disclose: bool = False


def _view(item_id: int, session: Session, found: Actor) -> dict[str, Any]:
    return review_detail(session, found, item_id, "after a change to the item")


@router.get("")
async def queue(
    request: Request,
    found: Annotated[Actor, allowed("review:read")],
    state: Annotated[str | None, Query(max_length=32)] = None,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Json:
    """The review queue, highest score first."""
    return Json(
        await read(request, found, lambda s: review_queue(s, found, state, assignee, limit, offset))
    )


@router.get("/{item_id}")
async def item(
    item_id: ItemId,
    purpose: Purpose,
    request: Request,
    found: Annotated[Actor, allowed("review:read")],
) -> Json:
    """An item with its history, notes, shares and what changed since its last review."""
    return Json(await read(request, found, lambda s: review_detail(s, found, item_id, purpose)))


@router.post("/{item_id}/transitions")
def move_item(
    item_id: ItemId,
    body: Move,
    db: DatabaseDep,
    found: Annotated[Actor, allowed("review:write")],
) -> dict[str, Any]:
    """Move the item; 409 when the workflow does not allow it or four eyes are missing."""
    with signed_in(db, found) as session:
        transition(session, item_id, body.to, found, body.reason, body.outcome)
        return _view(item_id, session, found)


@router.post("/{item_id}/notes")
def note(
    item_id: ItemId,
    body: NoteIn,
    db: DatabaseDep,
    found: Annotated[Actor, allowed("review:write")],
) -> dict[str, Any]:
    """Add a note."""
    with signed_in(db, found) as session:
        add_note(session, item_id, body.text, found)
        return _view(item_id, session, found)


@router.put("/{item_id}/assignment")
def assignment(
    item_id: ItemId,
    body: Assignment,
    db: DatabaseDep,
    found: Annotated[Actor, allowed("review:write")],
) -> dict[str, Any]:
    """Assign the item and set its due date."""
    with signed_in(db, found) as session:
        assign(session, item_id, body.assignee, body.due, found)
        return _view(item_id, session, found)


@router.post("/{item_id}/shares")
def share_item(
    item_id: ItemId,
    body: ShareIn,
    db: DatabaseDep,
    found: Annotated[Actor, allowed("review:share")],
) -> dict[str, Any]:
    """Share with a partner organisation (an audited disclosure)."""
    with signed_in(db, found) as session:
        share(session, item_id, body.organisation, found, body.reason, body.disclose)
        return _view(item_id, session, found)
