"""Evidence files over HTTP: upload a photo or scan, then cite its hash in a command.

``POST /evidence`` stores the file and notes who uploaded it (no event is recorded: the
command that cites it is what enters the ledger) and answers its citation,
``sha256:<hex>``; only the uploader, or someone who already sees the file, may cite it. ``GET
/evidence/{sha256}`` answers the original and ``GET /evidence/{sha256}/page`` a photo
sized for the page, only to a viewer who sees a case citing the file — otherwise 404,
exactly as for a hash nobody uploaded.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from starlette.responses import Response

from ledger.errors import NotFound
from ledger.permissions import UPLOAD_EVIDENCE

from ..deps import ServicesDep
from ..evidence import LIMIT_BYTES, accept, citation, evidence_store
from ..evidence.files import media_type_of
from ..evidence.sight import in_sight, uploads_of
from ..evidence.variants import for_page
from ..security import CurrentUser
from .common import READ_ERRORS, problem_response_doc
from .reading import ReadsDep, permit

router = APIRouter(tags=["evidence 证据材料"])

#: A file never changes under its hash; only who may see it does, so browsers may keep
#: it but not share it.
PRIVATE_FOREVER = "private, max-age=31536000, immutable"


UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    403: problem_response_doc("Your role records no steps that carry evidence"),
    422: problem_response_doc("No file, an empty one, over 10 MB, or not JPEG, PNG or PDF"),
}

#: A stored file is answered as it is: a photo or a PDF, never JSON.
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    200: {
        "description": "The file's bytes",
        "content": {
            t: {"schema": {"type": "string", "format": "binary"}}
            for t in ("image/jpeg", "image/png", "application/pdf")
        },
    },
}


@router.post("/evidence", status_code=201, responses=UPLOAD_ERRORS)
async def upload(
    services: ServicesDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="A JPEG or PNG photo or a PDF scan, ≤ 10 MB")],
) -> dict[str, Any]:
    """Store an evidence file; cite the answer's ``evidence`` in a command's ``evidence``."""
    permit(user, UPLOAD_EVIDENCE)
    data = await file.read(LIMIT_BYTES + 1)  # one byte more tells "too large" apart
    accepted = accept(data)
    evidence_store(services.ledger).put(data, accepted)
    uploads_of(services.ledger).record(accepted.sha256, user.actor.id, services.ledger.clock())
    return {
        "evidence": accepted.citation,
        "sha256": accepted.sha256,
        "media_type": accepted.media_type,
        "size": accepted.size,
    }


def _visible_file(services: ServicesDep, reads: ReadsDep, user: CurrentUser, sha256: str) -> bytes:
    """The file, if a case citing it is in the viewer's scope; else ``NotFound``."""
    digest = citation(sha256)
    if digest is not None and in_sight(reads, digest, user.scope):
        data = evidence_store(services.ledger).get(digest)
        if data is not None:
            return data
    raise NotFound("evidence", sha256)


@router.get("/evidence/{sha256}", response_class=Response, responses=FILE_RESPONSES)
async def original(
    services: ServicesDep, reads: ReadsDep, user: CurrentUser, sha256: str
) -> Response:
    """The evidence file as uploaded (its SHA-256 is the one the events cite)."""
    data = _visible_file(services, reads, user, sha256)
    media_type = media_type_of(data) or "application/octet-stream"
    return Response(data, media_type=media_type, headers={"Cache-Control": PRIVATE_FOREVER})


@router.get("/evidence/{sha256}/page", response_class=Response, responses=FILE_RESPONSES)
async def for_the_page(
    services: ServicesDep, reads: ReadsDep, user: CurrentUser, sha256: str
) -> Response:
    """A photo at most 1280 px on its long side (a PDF as it is), for showing on a page."""
    data = _visible_file(services, reads, user, sha256)
    small, media_type = for_page(data, media_type_of(data) or "application/octet-stream")
    return Response(small, media_type=media_type, headers={"Cache-Control": PRIVATE_FOREVER})
