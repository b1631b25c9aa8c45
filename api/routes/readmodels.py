"""Read models over HTTP: the hazard register, the monthly report, rankings, measures,
and, for one case, its linked enforcement and audit findings.

Every query is narrowed to the user's jurisdiction before it runs: a region filter
outside the user's prefix, or a sector outside the user's sectors, simply finds nothing,
and an enterprise user sees only its own enterprise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from ledger.audit import run_rules
from ledger.audit.rules import builtin_rules
from ledger.identity import Role
from ledger.review.report import build_dossier
from projections.queries import ReadModelMissing, ReadModels, RegisterFilter

from ..problems import Problem
from ..security import CurrentUser, in_scope
from ..services import Services
from ..users import User
from .common import ERRORS, READ_ERRORS, problem_response_doc

READ_MODEL_ERRORS = {
    **READ_ERRORS,
    409: problem_response_doc("No read-model snapshot for the known_at moment"),
    503: problem_response_doc("Read model not built yet; retry"),
}

router = APIRouter(tags=["read models 台账与统计"])


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body, default=str), media_type="application/json")


@contextmanager
def _models(request: Request, known_at: datetime | None) -> Iterator[ReadModels]:
    services: Services = request.app.state.services
    try:
        models = ReadModels(services.ledger.store, known_at=known_at)
    except ValueError as e:
        raise Problem(422, "invalid-request", str(e), str(e)) from None
    try:
        yield models
    except ReadModelMissing:
        if known_at is not None:
            raise Problem(
                409,
                "snapshot-missing",
                "尚无该时点的读模型快照，请先运行 ledger rebuild --known-at 该时点",
                "no read-model snapshot for that moment; run `ledger rebuild --known-at` first",
            ) from None
        raise Problem(
            503,
            "read-model-not-ready",
            "读模型尚未生成或正在重建，请稍后再试（ledger project / ledger rebuild）",
            "the read model is not built yet or is being rebuilt; retry shortly",
            headers={"retry-after": "5"},
        ) from None
    except ValueError as e:
        raise Problem(422, "invalid-request", str(e), str(e), extra={"recorded": False}) from None
    finally:
        models.close()


def _region(user: User, requested: str | None) -> str | None:
    """The region prefix to query: the request narrowed to the user's jurisdiction,
    or None when the two do not overlap (nothing to show)."""
    mine = user.region_prefix
    asked = requested or ""
    if asked.startswith(mine):
        return asked
    if mine.startswith(asked):
        return mine
    return None


def _officials_only(user: User) -> None:
    if user.role is Role.ENTERPRISE:
        raise Problem(
            403, "forbidden", "统计报表面向监管部门", "statistics are for supervising officials"
        )


Moment = Annotated[datetime | None, Query(description="Moment for 'so far' and overdue figures")]
KnownAt = Annotated[
    datetime | None, Query(description="Read the snapshot rebuilt as known at this moment")
]


@router.get("/register", responses=READ_MODEL_ERRORS)
async def register(
    request: Request,
    user: CurrentUser,
    sector: str | None = None,
    region: str | None = None,
    enterprise: str | None = None,
    status: Annotated[list[str] | None, Query()] = None,
    grade: str | None = None,
    found_from: datetime | None = None,
    found_to: datetime | None = None,
    overdue: bool | None = None,
    listed: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
    at: Moment = None,
    known_at: KnownAt = None,
) -> Response:
    """The hazard register (问题隐患清单), newest first, with cursor pagination."""
    prefix = _region(user, region)
    if user.role is Role.ENTERPRISE:
        enterprise = user.enterprise_code
    if prefix is None or (user.sectors and sector and sector not in user.sectors):
        return _json({"items": [], "next_cursor": None})
    filters = RegisterFilter(
        sector=sector,
        region=prefix or None,
        enterprise=enterprise,
        status=tuple(status or ()),
        grade=grade,
        found_from=found_from,
        found_to=found_to,
        overdue=overdue,
        listed=listed,
    )
    with _models(request, known_at) as models:
        page = models.register(filters, at=at, limit=limit, cursor=cursor)
    items = [r for r in page.items if not user.sectors or r.get("sector") in user.sectors]
    return _json({"items": items, "next_cursor": page.next_cursor, "at": page.at})


@router.get("/reports/monthly", responses=READ_MODEL_ERRORS)
async def monthly_report(
    request: Request,
    user: CurrentUser,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")],
    region: str | None = None,
    at: Moment = None,
    known_at: KnownAt = None,
) -> Response:
    """The monthly summary in the shape of the county reports, per sector and in total."""
    _officials_only(user)
    prefix = _region(user, region)
    if prefix is None or not prefix:
        raise Problem(404, "not-found")
    with _models(request, known_at) as models:
        report = models.monthly_report(prefix, month, at=at)
    if user.sectors:
        report["sectors"] = [s for s in report["sectors"] if s["sector"] in user.sectors]
        report.pop("total", None)
    report["totals"] = report.get("total")
    return _json(report)


@router.get("/statistics/trend", responses=READ_MODEL_ERRORS)
async def trend(
    request: Request,
    user: CurrentUser,
    region: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    at: Moment = None,
) -> Response:
    """Hazards found and rectified per month of a year (for the dashboard's chart)."""
    _officials_only(user)
    prefix = _region(user, region)
    if not prefix:
        raise Problem(404, "not-found")
    services: Services = request.app.state.services
    moment = at or services.ledger.clock()
    year = year or moment.year
    months = []
    with _models(request, None) as models:
        for m in range(1, 13):
            if datetime(year, m, 1, tzinfo=UTC) > moment:
                break
            total = models.monthly_report(prefix, f"{year}-{m:02d}", at=moment)["total"]
            months.append(
                {
                    "month": f"{year}-{m:02d}",
                    "hazards_found": total["hazards_found"],
                    "rectified": total["rectified"],
                }
            )
    return _json({"months": months})


@router.get("/rankings", responses=READ_MODEL_ERRORS)
async def rankings(
    request: Request,
    user: CurrentUser,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")],
    region: str | None = None,
    by: Annotated[str, Query(pattern="^(region|department)$")] = "department",
    at: Moment = None,
) -> Response:
    """Monthly ranking by the dynamic evaluation index (动态评价指数)."""
    _officials_only(user)
    prefix = _region(user, region)
    if not prefix:
        raise Problem(404, "not-found")
    with _models(request, None) as models:
        rows = models.ranking(prefix, month, by=by, at=at)
    return _json({"rows": rows})


@router.get("/measures", responses=READ_MODEL_ERRORS)
async def measures(
    request: Request,
    user: CurrentUser,
    region: str | None = None,
    status: str | None = None,
    at: Moment = None,
    known_at: KnownAt = None,
) -> Response:
    """The institutional measures list (制度措施清单)."""
    _officials_only(user)
    prefix = _region(user, region)
    if prefix is None:
        return _json({"items": []})
    with _models(request, known_at) as models:
        rows = models.measures(prefix or None, status=status, at=at)
    return _json({"items": rows})


@router.get("/hazards/{case_id}/actions", responses=READ_MODEL_ERRORS)
async def case_actions(request: Request, case_id: UUID, user: CurrentUser) -> Response:
    """Enforcement actions that name this case."""
    services: Services = request.app.state.services
    case = services.ledger.case(case_id)
    in_scope(
        user, region_code=case.region_code, sector=case.sector, enterprise_code=case.enterprise_code
    )
    with _models(request, None) as models:
        profile = models.enterprise_profile(case.enterprise_code)
    linked = []
    for row in profile.get("enforcement", []):
        action = services.ledger.action(UUID(str(row["action_id"])))
        if case_id in action.case_ids:
            linked.append(row)
    return _json(linked)


@router.get("/hazards/{case_id}/findings", responses=READ_MODEL_ERRORS)
async def case_findings(
    request: Request, case_id: UUID, user: CurrentUser, at: Moment = None
) -> Response:
    """What the audit rules find about this case, as of now (or ``at``)."""
    services: Services = request.app.state.services
    case = services.ledger.case(case_id)
    in_scope(
        user, region_code=case.region_code, sector=case.sector, enterprise_code=case.enterprise_code
    )
    moment = at or services.ledger.clock()
    dossier = build_dossier(services.ledger, case.enterprise_code, moment)
    findings = [
        f.as_dict()
        for f in run_rules([*builtin_rules(), *services.sectors.audit_rules], dossier)
        if f.subject_id == case_id
    ]
    return _json(findings)


class SnapshotRequest(BaseModel):
    known_at: datetime


@router.post("/snapshots", status_code=202, responses=ERRORS)
async def build_snapshot(request: Request, user: CurrentUser, body: SnapshotRequest) -> Response:
    """Build the read models as the ledger knew them at ``known_at`` (for "as of" views).

    Answers 202 while the build runs in the background; ``GET /snapshots`` tells when
    it is ready. One snapshot slot per store: a new build replaces the previous one.
    """
    _officials_only(user)
    known_at = body.known_at
    if known_at.tzinfo is None:
        raise Problem(422, "invalid-request", "known_at 须带时区", "known_at needs a time zone")
    services: Services = request.app.state.services
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


@router.get("/snapshots", responses=READ_ERRORS)
async def snapshot_status(request: Request, user: CurrentUser) -> Response:
    """The snapshot build this process last started, and its state."""
    _officials_only(user)
    services: Services = request.app.state.services
    return _json(services.snapshots.status())
