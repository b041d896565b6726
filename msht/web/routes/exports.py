"""Exports of the entity graph: watermarked, with recipient and purpose in the audit log."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from msht.cases.actor import Actor
from msht.cases.errors import Invalid, NotFound
from msht.errors import MshtError
from msht.exports.export import ExportRequest
from msht.exports.selection import Filter
from msht.pipeline.exporting import export_graph
from msht.web.deps import allowed, check_signed_in

router = APIRouter(prefix="/api/exports", tags=["exports"])

_MEDIA = {
    "anx": "application/xml",
    "graphml": "application/xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ExportIn(BaseModel):
    """What to export and for whom: a person's neighbourhood, a group or a division."""

    format: Literal["anx", "graphml", "xlsx"]
    recipient: str = Field(min_length=1, max_length=128)
    purpose: str = Field(min_length=3, max_length=500)
    person: str | None = Field(default=None, min_length=1, max_length=64)
    hops: int = Field(default=1, ge=1, le=3)
    group: str | None = Field(default=None, min_length=1, max_length=64)
    division: str | None = Field(default=None, min_length=1, max_length=64)


@router.post("")
def export_file(
    body: ExportIn, request: Request, found: Annotated[Actor, allowed("export:write")]
) -> FileResponse:
    """The export file, watermarked with who, when and the marking; recorded in the audit log
    with its recipient, purpose and every entity in it."""
    check_signed_in(request.app.state.database, found)
    if not (body.person or body.group or body.division):
        # R09: no bulk export of the whole graph from the API
        raise Invalid("person", "choose a person, a group or a division to export")
    folder = Path(tempfile.mkdtemp(prefix="msht-export-"))
    out = folder / f"msht-export.{body.format}"
    chosen = Filter(person=body.person, hops=body.hops, group=body.group, division=body.division)
    asked = ExportRequest(
        body.format,
        out,
        found.username,
        chosen,
        request.app.state.marking,
        recipient=body.recipient,
        purpose=body.purpose,
        role=found.role,
    )
    try:
        export_graph(request.app.state.root, asked, request.app.state.database)
    except MshtError as exc:  # an unknown person, group or division
        _remove(folder)
        raise NotFound(str(exc)) from exc
    except BaseException:  # no half-written export left behind in the temporary folder
        _remove(folder)
        raise
    return FileResponse(
        out,
        media_type=_MEDIA[body.format],
        filename=out.name,
        background=BackgroundTask(_remove, folder),
    )


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
