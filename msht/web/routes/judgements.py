"""Entity-resolution judgements: same, different or unsure, by whom and why."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from msht.cases.actor import Actor
from msht.cases.errors import Conflict, Invalid
from msht.cases.judgements import stored_judgements
from msht.errors import MshtError
from msht.pipeline.resolution import judge
from msht.web.deps import DatabaseDep, allowed, check_signed_in, signed_in

router = APIRouter(prefix="/api/judgements", tags=["judgements"])


class JudgementIn(BaseModel):
    """A verdict on two person records (source record ids)."""

    verdict: Literal["same", "different", "unsure"]
    record_a: str = Field(min_length=1, max_length=160)
    record_b: str = Field(min_length=1, max_length=160)
    reason: str = Field(min_length=1, max_length=2000)


@router.get("")
def list_judgements(
    db: DatabaseDep, found: Annotated[Actor, allowed("judgement:read")]
) -> dict[str, Any]:
    """Every judgement, oldest first."""
    with signed_in(db, found) as session:
        return {"items": [j.__dict__ for j in stored_judgements(session)]}


@router.post("", status_code=201)
def add(
    body: JudgementIn, request: Request, found: Annotated[Actor, allowed("judgement:write")]
) -> dict[str, Any]:
    """Record a judgement; the next run's entity resolution obeys it. 409 when it contradicts
    earlier judgements, 422 when a record is unknown."""
    check_signed_in(request.app.state.database, found)
    try:
        made = judge(
            request.app.state.root,
            body.verdict,
            body.record_a,
            body.record_b,
            found.username,
            body.reason,
            found.role,
            request.app.state.database,
        )
    except (Conflict, Invalid):
        raise
    except MshtError as exc:
        raise Invalid("record_a", str(exc)) from exc
    return made.__dict__
