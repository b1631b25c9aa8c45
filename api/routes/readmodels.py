"""Read models over HTTP: the hazard register, the monthly report, rankings, measures,
and, for one case, its linked enforcement and audit findings.

Each route parses, calls one question of the read layer (``projections.reads``) with the
user's scope and the two clocks, and returns the answer: scope is part of every query,
so a region or sector outside the user's jurisdiction simply finds nothing, and an
enterprise user sees only its own enterprise.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import orjson
from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.responses import Response

from projections.queries import RegisterFilter

from ..deps import ServicesDep
from ..problems import Problem
from ..response_models import (
    Finding,
    LinkedAction,
    Measures,
    MonthlyReport,
    Rankings,
    RegisterPage,
    SnapshotStatus,
    Trend,
    sends,
)
from ..security import CurrentUser, SnapshotBuilder, StatisticsReader
from .common import ERRORS, READ_ERRORS
from .reading import (
    READ_MODEL_ERRORS,
    KnownAt,
    Moment,
    ReadsDep,
    ValidAt,
    answering,
    json_response,
)

router = APIRouter(tags=["read models 台账与统计"])

Month = Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]


@router.get("/register", responses={**READ_MODEL_ERRORS, **sends(RegisterPage)})
async def register(
    reads: ReadsDep,
    user: CurrentUser,
    sector: str | None = None,
    region: str | None = None,
    enterprise: str | None = None,
    status: Annotated[list[str] | None, Query()] = None,
    grade: str | None = None,
    found_from: Moment | None = None,
    found_to: Moment | None = None,
    overdue: bool | None = None,
    listed: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
    known_at: KnownAt = None,
    valid_at: ValidAt = None,
) -> Response:
    """The hazard register (问题隐患清单), newest first, with cursor pagination."""
    filters = RegisterFilter(
        sector=sector,
        region=region,
        enterprise=enterprise,
        status=tuple(status or ()),
        grade=grade,
        found_from=found_from,
        found_to=found_to,
        overdue=overdue,
        listed=listed,
    )
    with answering(known_at, valid_at):
        page = reads.register(
            filters,
            scope=user.scope,
            known_at=known_at,
            valid_at=valid_at,
            limit=limit,
            cursor=cursor,
        )
    return json_response({"items": page.items, "next_cursor": page.next_cursor, "at": page.at})


@router.get("/reports/monthly", responses={**READ_MODEL_ERRORS, **sends(MonthlyReport)})
async def monthly_report(
    reads: ReadsDep,
    user: StatisticsReader,
    month: Month,
    region: str | None = None,
    known_at: KnownAt = None,
    valid_at: ValidAt = None,
) -> Response:
    """The monthly summary in the shape of the county reports, per sector and in total
    (the total of the sectors the user sees)."""
    with answering(known_at, valid_at):
        report = reads.monthly_report(
            region, month, scope=user.scope, known_at=known_at, valid_at=valid_at
        )
    report["totals"] = report["total"]
    return json_response(report)


@router.get("/statistics/trend", responses={**READ_MODEL_ERRORS, **sends(Trend)})
async def trend(
    reads: ReadsDep,
    user: StatisticsReader,
    region: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    known_at: KnownAt = None,
    valid_at: ValidAt = None,
) -> Response:
    """Hazards found and rectified per month of a year (for the dashboard's chart)."""
    with answering(known_at, valid_at):
        body = reads.trend(region, year, scope=user.scope, known_at=known_at, valid_at=valid_at)
    return json_response(body)


@router.get("/rankings", responses={**READ_MODEL_ERRORS, **sends(Rankings)})
async def rankings(
    reads: ReadsDep,
    user: StatisticsReader,
    month: Month,
    region: str | None = None,
    by: Annotated[str, Query(pattern="^(region|township|department)$")] = "department",
    known_at: KnownAt = None,
    valid_at: ValidAt = None,
) -> Response:
    """Monthly ranking by the dynamic evaluation index (动态评价指数), of what the user
    sees."""
    with answering(known_at, valid_at):
        rows = reads.rankings(
            region, month, scope=user.scope, by=by, known_at=known_at, valid_at=valid_at
        )
    return json_response({"rows": rows})


@router.get("/measures", responses={**READ_MODEL_ERRORS, **sends(Measures)})
async def measures(
    reads: ReadsDep,
    user: StatisticsReader,
    region: str | None = None,
    status: str | None = None,
    known_at: KnownAt = None,
    valid_at: ValidAt = None,
) -> Response:
    """The institutional measures list (制度措施清单)."""
    with answering(known_at, valid_at):
        rows = reads.measures(
            region, scope=user.scope, status=status, known_at=known_at, valid_at=valid_at
        )
    return json_response({"items": rows})


@router.get("/hazards/{case_id}/actions", responses={**READ_ERRORS, **sends(list[LinkedAction])})
async def case_actions(
    reads: ReadsDep, case_id: UUID, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """Enforcement actions that name this case, as recorded by ``known_at``."""
    with answering(known_at):
        linked = reads.actions(case_id, scope=user.scope, known_at=known_at)
    return json_response(linked)


@router.get("/hazards/{case_id}/findings", responses={**READ_ERRORS, **sends(list[Finding])})
async def case_findings(
    reads: ReadsDep,
    case_id: UUID,
    user: CurrentUser,
    known_at: KnownAt = None,
    valid_at: ValidAt = None,
) -> Response:
    """What the audit rules find about this case, from the record as known at
    ``known_at``, judged at ``valid_at`` (default: ``known_at``, else now)."""
    with answering(known_at, valid_at):
        found = reads.findings(case_id, scope=user.scope, known_at=known_at, valid_at=valid_at)
    return json_response(found)


class SnapshotRequest(BaseModel):
    known_at: Moment


@router.post("/snapshots", status_code=202, responses={**ERRORS, 202: {"model": SnapshotStatus}})
async def build_snapshot(
    services: ServicesDep, user: SnapshotBuilder, body: SnapshotRequest
) -> Response:
    """Build the read models as the ledger knew them at ``known_at`` (for "as of" views).

    Answers 202 while the build runs in the background; ``GET /snapshots`` tells when
    it is ready. One snapshot slot per store: a new build replaces the previous one.
    Only the roles the permission table gives ``build_snapshot`` may start one.
    """
    known_at = body.known_at
    if known_at.tzinfo is None:
        raise Problem(422, "invalid-request", "known_at 须带时区", "known_at needs a time zone")
    if not services.snapshots.start(known_at):
        raise Problem(
            409,
            "snapshot-busy",
            "另一时点的快照正在生成，请稍后再试",
            "a snapshot at another moment is being built; retry shortly",
            headers={"retry-after": "5"},
        )
    return Response(
        orjson.dumps(services.snapshots.status()), status_code=202, media_type="application/json"
    )


@router.get("/snapshots", responses={**READ_ERRORS, **sends(SnapshotStatus)})
async def snapshot_status(services: ServicesDep, user: StatisticsReader) -> Response:
    """The snapshot build this process last started, and its state."""
    return json_response(services.snapshots.status())
