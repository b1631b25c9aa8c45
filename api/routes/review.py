"""The accountability review over HTTP: ``GET /review?enterprise=…&incident_at=…``.

Same report as ``ledger review``: JSON by default, or the Markdown or printable HTML
document (``format=md|html``) in Chinese or English (``lang``, else Accept-Language).
``accident=ID`` reviews a recorded accident's enterprise at the moment it happened.
Reviewers, supervising officials and administrators may run it for an enterprise in
their jurisdiction; enterprises may not review themselves.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.review.render import to_html, to_markdown

from ..problems import Problem, language
from ..response_models import Review
from ..security import Reviewer
from .common import READ_ERRORS
from .reading import KnownAt, Moment, ReadsDep, answering, json_response

router = APIRouter(tags=["review 事故责任倒查"])


class ReviewFormat(StrEnum):
    JSON = "json"
    MD = "md"
    HTML = "html"


@router.get(
    "/review",
    responses={
        **READ_ERRORS,
        200: {
            "model": Review,
            "description": "The review as JSON, or rendered as Markdown or HTML (format=)",
            "content": {
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        },
    },
)
async def review(
    request: Request,
    reads: ReadsDep,
    user: Reviewer,
    enterprise: Annotated[str | None, Query(description="Unified social credit code")] = None,
    incident_at: Annotated[
        Moment | None, Query(description="Moment of the incident, with zone")
    ] = None,
    accident: Annotated[
        UUID | None,
        Query(description="A recorded accident: its enterprise and moment are reviewed"),
    ] = None,
    format: Annotated[ReviewFormat, Query(description="json, md or html")] = ReviewFormat.JSON,
    lang: Annotated[str | None, Query(description="zh or en")] = None,
    known_at: KnownAt = None,
) -> Response:
    """Accountability review of an enterprise at the moment of an incident, of what the
    user's scope sees, from the record as known at ``known_at`` (default: all of it)."""
    if accident is not None:
        with answering(known_at):
            report = reads.accident_review(accident, scope=user.scope, known_at=known_at)
        return _rendered(request, report, format, lang)
    if enterprise is None or incident_at is None:
        raise Problem(
            422,
            "invalid-request",
            "请指定事故（accident），或同时指定企业（enterprise）和事发时间（incident_at）",
            "name an accident, or both an enterprise and incident_at",
        )
    if incident_at.tzinfo is None:
        raise Problem(
            422,
            "invalid-time",
            "incident_at 必须带时区，例如 2026-05-01T14:00:00+08:00",
            "incident_at must carry a time zone, e.g. 2026-05-01T14:00:00+08:00",
        )
    with answering(known_at):
        report = reads.review(enterprise, incident_at, scope=user.scope, known_at=known_at)
    return _rendered(request, report, format, lang)


def _rendered(
    request: Request, report: dict[str, Any], format: ReviewFormat, lang: str | None
) -> Response:
    chosen = lang or language(request)
    if format is ReviewFormat.HTML:
        return Response(to_html(report, chosen), media_type="text/html; charset=utf-8")
    if format is ReviewFormat.MD:
        return Response(to_markdown(report, chosen), media_type="text/markdown; charset=utf-8")
    return json_response(report)
