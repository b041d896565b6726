"""Entities and profiles: every view of a person asks for a purpose and is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from msht.cases.actor import Actor
from msht.cases.errors import Forbidden
from msht.cases.views import entity_list, entity_view, profile_view
from msht.web.answer import Json
from msht.web.deps import allowed, read

router = APIRouter(prefix="/api", tags=["people"])

Purpose = Annotated[
    str, Query(min_length=3, max_length=200, description="Why you are viewing (audited).")
]


@router.get("/entities")
async def list_entities(
    request: Request,
    found: Annotated[Actor, allowed("entity:read")],
    kind: str | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Json:
    """Search published entities by kind and label (not for partners)."""
    if found.scoped:
        raise Forbidden("partners see only the items shared with them: use /api/reviews")
    return Json(await read(request, found, lambda s: entity_list(s, found, kind, q, limit, offset)))


@router.get("/entities/{entity_id}")
async def get_entity(
    entity_id: str,
    purpose: Purpose,
    request: Request,
    found: Annotated[Actor, allowed("entity:read")],
) -> Json:
    """One entity's summary (a partner's view withholds address and contacts)."""
    return Json(await read(request, found, lambda s: entity_view(s, found, entity_id, purpose)))


@router.get("/profiles/{entity_id}")
async def get_profile(
    entity_id: str,
    purpose: Purpose,
    request: Request,
    found: Annotated[Actor, allowed("profile:read")],
) -> Json:
    """A risk profile with its explanation: every factor, its evidence and grading."""
    return Json(await read(request, found, lambda s: profile_view(s, found, entity_id, purpose)))
