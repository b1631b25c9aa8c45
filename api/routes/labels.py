"""The label catalogue for the web page: every code's name in Chinese or English."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from ..deps import ServicesDep
from ..labels import labels
from ..response_models import Labels

router = APIRouter(tags=["system 系统"])

#: Labels change only with a deployment (a plugin installed or upgraded); a page may
#: keep them an hour and revalidate with the ETag after that.
CACHE_CONTROL = "public, max-age=3600"


@router.get("/labels", response_model=Labels)
async def served_labels(
    request: Request,
    services: ServicesDep,
    lang: Annotated[str, Query(pattern="^(zh|en)$", description="zh (default) or en")] = "zh",
) -> Response:
    """The one label catalogue (sectors, statuses, grades, events, kinds, fields …).

    Public reference data, like ``GET /plugins`` without the catalogues: the page needs
    it before anyone signs in. Answers 304 to a matching ``If-None-Match``.
    """
    catalogue = labels(lang, services.sectors)
    etag = f'"{catalogue.etag}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if etag in _tags(request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    body: dict[str, Any] = catalogue.as_json()
    return JSONResponse(body, headers=headers)


def _tags(header: str | None) -> set[str]:
    if not header:
        return set()
    return {t.strip().removeprefix("W/") for t in header.split(",")}
