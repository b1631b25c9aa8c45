"""Hazard cases (隐患): report, the steps of their life, and reading them back."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from ledger.hazard import HazardCase, RectificationPlan

from ..commanding import run_command, run_step
from ..problems import Problem
from ..schemas import (
    AssignRectification,
    CaseView,
    CommandResult,
    Escalate,
    ExtendDeadline,
    FileAssessment,
    FilePlan,
    GradeHazard,
    InterimControls,
    ListForSupervision,
    RectifyOnSpot,
    Reopen,
    ReportHazard,
    ReportRectification,
    TimelineEvent,
    Verify,
    Versioned,
)
from ..security import CurrentUser, in_scope
from ..services import Services
from ..users import User
from .common import ERRORS, READ_ERRORS
from .reading import KnownAt, ReadsDep, ValidAt, answering, json_response

router = APIRouter(prefix="/hazards", tags=["hazards 隐患"])


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _case_in_scope(request: Request, user: User, case_id: UUID) -> HazardCase:
    case = _services(request).ledger.case(case_id)
    in_scope(
        user, region_code=case.region_code, sector=case.sector, enterprise_code=case.enterprise_code
    )
    return case


# Reads first: routes are matched in order, and reads are the hot path.


@router.get("/{case_id}", response_model=CaseView, responses=READ_ERRORS)
async def get_case(
    reads: ReadsDep,
    case_id: UUID,
    user: CurrentUser,
    known_at: KnownAt = None,
    valid_at: ValidAt = None,
) -> Response:
    """A case's state now, or as recorded by ``known_at`` / as it was at ``valid_at``.
    Overdue is computed for the moment asked about."""
    with answering(known_at, valid_at):
        summary = reads.case(case_id, scope=user.scope, known_at=known_at, valid_at=valid_at)
    return json_response(summary, etag=f'"{summary["version"]}"')


@router.get("/{case_id}/timeline", response_model=list[TimelineEvent], responses=READ_ERRORS)
async def timeline(
    reads: ReadsDep, case_id: UUID, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """Every event of the case recorded by ``known_at``, with both clocks, actor and the
    change it made."""
    with answering(known_at):
        rows = reads.timeline(case_id, scope=user.scope, known_at=known_at)
    return json_response(rows)


@router.post("", status_code=201, response_model=CommandResult, responses=ERRORS)
async def report_hazard(request: Request, body: ReportHazard, user: CurrentUser) -> Response:
    """Record a hazard as found (排查发现)."""
    ledger = _services(request).ledger
    enterprise = ledger.enterprise(body.enterprise_code)
    in_scope(
        user,
        region_code=enterprise.region_code,
        sector=body.sector,
        enterprise_code=body.enterprise_code,
    )
    if user.enterprise_code and body.source.value != "self_inspection":
        raise Problem(
            403,
            "forbidden",
            "企业用户只能上报自查发现的隐患",
            "an enterprise user reports hazards from its own self-inspection only",
        )

    def call() -> dict[str, Any]:
        case_id = ledger.report_hazard(
            user.actor,
            body.occurred_at,
            enterprise_code=body.enterprise_code,
            sector=body.sector,
            location=body.location,
            description=body.description,
            source=body.source,
            found_by=body.found_by,
            inspection_id=body.inspection_id,
            evidence=body.evidence,
            details=body.details,
            justification=body.justification,
        )
        return {"id": str(case_id), "version": 1}

    return await run_command(request, user, "report_hazard", call, status=201)


async def _step(
    request: Request,
    user: User,
    case_id: UUID,
    action: str,
    body: Versioned,
    **fields: Any,
) -> Response:
    _case_in_scope(request, user, case_id)
    return await run_step(request, user, action, case_id, body, **fields)


_STEP: dict[str, Any] = {"response_model": CommandResult, "responses": ERRORS}


@router.post("/{case_id}/grade", **_STEP)
async def grade(request: Request, case_id: UUID, body: GradeHazard, user: CurrentUser) -> Response:
    """Grade as general or major (定级); a major hazard cites criteria."""
    return await _step(
        request,
        user,
        case_id,
        "grade_hazard",
        body,
        grade=body.grade,
        criteria=body.criteria,
        catalogue_edition=body.catalogue_edition,
    )


@router.post("/{case_id}/rectify-on-spot", **_STEP)
async def rectify_on_spot(
    request: Request, case_id: UUID, body: RectifyOnSpot, user: CurrentUser
) -> Response:
    """Rectified on the spot (立查立改), general hazards only."""
    return await _step(
        request,
        user,
        case_id,
        "rectify_on_spot",
        body,
        measures=body.measures,
        evidence=body.evidence,
    )


@router.post("/{case_id}/assign", **_STEP)
async def assign(
    request: Request, case_id: UUID, body: AssignRectification, user: CurrentUser
) -> Response:
    """Assign deadline rectification to the enterprise and department at once (双重交办)."""
    return await _step(
        request,
        user,
        case_id,
        "assign_rectification",
        body,
        department=body.department,
        deadline=body.deadline,
        requirements=body.requirements,
    )


@router.post("/{case_id}/plan", **_STEP)
async def file_plan(request: Request, case_id: UUID, body: FilePlan, user: CurrentUser) -> Response:
    """File the rectification plan (治理方案) with its six parts."""
    return await _step(
        request,
        user,
        case_id,
        "file_plan",
        body,
        plan=RectificationPlan(**body.plan.model_dump()),
    )


@router.post("/{case_id}/interim-controls", **_STEP)
async def interim_controls(
    request: Request, case_id: UUID, body: InterimControls, user: CurrentUser
) -> Response:
    """Record interim controls while the hazard cannot be removed (监控防范措施)."""
    return await _step(
        request, user, case_id, "record_interim_controls", body, controls=body.controls
    )


@router.post("/{case_id}/extend", **_STEP)
async def extend(
    request: Request, case_id: UUID, body: ExtendDeadline, user: CurrentUser
) -> Response:
    """Extend the deadline, with reason and approver (延期)."""
    return await _step(
        request,
        user,
        case_id,
        "extend_deadline",
        body,
        new_deadline=body.new_deadline,
        reason=body.reason,
        approver=body.approver,
    )


@router.post("/{case_id}/list", **_STEP)
async def list_case(
    request: Request, case_id: UUID, body: ListForSupervision, user: CurrentUser
) -> Response:
    """List a major hazard for supervision (挂牌督办)."""
    return await _step(
        request,
        user,
        case_id,
        "list_for_supervision",
        body,
        level=body.level,
        authority=body.authority,
    )


@router.post("/{case_id}/delist", **_STEP)
async def delist(request: Request, case_id: UUID, body: Versioned, user: CurrentUser) -> Response:
    """De-list a closed hazard (摘牌)."""
    return await _step(request, user, case_id, "delist", body)


@router.post("/{case_id}/escalate", **_STEP)
async def escalate(request: Request, case_id: UUID, body: Escalate, user: CurrentUser) -> Response:
    """Escalate supervision to a higher level."""
    return await _step(
        request, user, case_id, "escalate", body, level=body.level, reason=body.reason
    )


@router.post("/{case_id}/rectification", **_STEP)
async def report_rectification(
    request: Request, case_id: UUID, body: ReportRectification, user: CurrentUser
) -> Response:
    """Report the rectification done: measures and completion time are mandatory."""
    return await _step(
        request,
        user,
        case_id,
        "report_rectification",
        body,
        measures=body.measures,
        completed_at=body.completed_at,
        evidence=body.evidence,
    )


@router.post("/{case_id}/assessment", **_STEP)
async def file_assessment(
    request: Request, case_id: UUID, body: FileAssessment, user: CurrentUser
) -> Response:
    """The enterprise's own assessment, applying for acceptance (评估)."""
    return await _step(request, user, case_id, "file_assessment", body, summary=body.summary)


@router.post("/{case_id}/verify", **_STEP)
async def verify(request: Request, case_id: UUID, body: Verify, user: CurrentUser) -> Response:
    """Verify the rectification (整改复查 / 验收): accepted or rejected."""
    return await _step(
        request,
        user,
        case_id,
        "verify_rectification",
        body,
        accepted=body.accepted,
        opinion=body.opinion,
    )


@router.post("/{case_id}/close", **_STEP)
async def close(request: Request, case_id: UUID, body: Versioned, user: CurrentUser) -> Response:
    """Close the case (销号) after an accepted verification."""
    return await _step(request, user, case_id, "close_hazard", body)


@router.post("/{case_id}/reopen", **_STEP)
async def reopen(request: Request, case_id: UUID, body: Reopen, user: CurrentUser) -> Response:
    """Reopen a closed case when the hazard recurs."""
    return await _step(request, user, case_id, "reopen_hazard", body, reason=body.reason)
