"""Hazard cases (隐患): report, the steps of their life, and reading them back."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from ledger import commands as c

from ..commanding import run_command
from ..deps import ServicesDep
from ..schemas import (
    AssignRectification,
    CaseView,
    CommandResult,
    Dismiss,
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
from ..security import CurrentUser
from .common import ERRORS, READ_ERRORS
from .reading import KnownAt, ReadsDep, ValidAt, answering, json_response

router = APIRouter(prefix="/hazards", tags=["hazards 隐患"])


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
async def report_hazard(
    request: Request, services: ServicesDep, body: ReportHazard, user: CurrentUser
) -> Response:
    """Record a hazard as found (排查发现); linked to its inspection when it names one."""
    return await run_command(request, services, user, c.ReportHazard, body, status=201)


_STEP: dict[str, Any] = {"response_model": CommandResult, "responses": ERRORS}


@router.post("/{case_id}/grade", **_STEP)
async def grade(
    request: Request, services: ServicesDep, case_id: UUID, body: GradeHazard, user: CurrentUser
) -> Response:
    """Grade as general or major (定级); a major hazard cites criteria."""
    return await run_command(request, services, user, c.GradeHazard, body, case_id=case_id)


@router.post("/{case_id}/rectify-on-spot", **_STEP)
async def rectify_on_spot(
    request: Request, services: ServicesDep, case_id: UUID, body: RectifyOnSpot, user: CurrentUser
) -> Response:
    """Rectified on the spot (立查立改), general hazards only."""
    return await run_command(request, services, user, c.RectifyOnSpot, body, case_id=case_id)


@router.post("/{case_id}/assign", **_STEP)
async def assign(
    request: Request,
    services: ServicesDep,
    case_id: UUID,
    body: AssignRectification,
    user: CurrentUser,
) -> Response:
    """Assign deadline rectification to the enterprise and department at once (双重交办)."""
    return await run_command(request, services, user, c.AssignRectification, body, case_id=case_id)


@router.post("/{case_id}/plan", **_STEP)
async def file_plan(
    request: Request, services: ServicesDep, case_id: UUID, body: FilePlan, user: CurrentUser
) -> Response:
    """File the rectification plan (治理方案) with its six parts."""
    return await run_command(request, services, user, c.FilePlan, body, case_id=case_id)


@router.post("/{case_id}/interim-controls", **_STEP)
async def interim_controls(
    request: Request, services: ServicesDep, case_id: UUID, body: InterimControls, user: CurrentUser
) -> Response:
    """Record interim controls while the hazard cannot be removed (监控防范措施)."""
    return await run_command(
        request, services, user, c.RecordInterimControls, body, case_id=case_id
    )


@router.post("/{case_id}/extend", **_STEP)
async def extend(
    request: Request, services: ServicesDep, case_id: UUID, body: ExtendDeadline, user: CurrentUser
) -> Response:
    """Extend the deadline, with reason and approver (延期)."""
    return await run_command(request, services, user, c.ExtendDeadline, body, case_id=case_id)


@router.post("/{case_id}/list", **_STEP)
async def list_case(
    request: Request,
    services: ServicesDep,
    case_id: UUID,
    body: ListForSupervision,
    user: CurrentUser,
) -> Response:
    """List a major hazard for supervision (挂牌督办)."""
    return await run_command(request, services, user, c.ListForSupervision, body, case_id=case_id)


@router.post("/{case_id}/delist", **_STEP)
async def delist(
    request: Request, services: ServicesDep, case_id: UUID, body: Versioned, user: CurrentUser
) -> Response:
    """De-list a closed hazard (摘牌)."""
    return await run_command(request, services, user, c.Delist, body, case_id=case_id)


@router.post("/{case_id}/escalate", **_STEP)
async def escalate(
    request: Request, services: ServicesDep, case_id: UUID, body: Escalate, user: CurrentUser
) -> Response:
    """Escalate supervision to a higher level."""
    return await run_command(request, services, user, c.Escalate, body, case_id=case_id)


@router.post("/{case_id}/rectification", **_STEP)
async def report_rectification(
    request: Request,
    services: ServicesDep,
    case_id: UUID,
    body: ReportRectification,
    user: CurrentUser,
) -> Response:
    """Report the rectification done: measures and completion time are mandatory."""
    return await run_command(request, services, user, c.ReportRectification, body, case_id=case_id)


@router.post("/{case_id}/assessment", **_STEP)
async def file_assessment(
    request: Request, services: ServicesDep, case_id: UUID, body: FileAssessment, user: CurrentUser
) -> Response:
    """The enterprise's own assessment, applying for acceptance (评估)."""
    return await run_command(request, services, user, c.FileAssessment, body, case_id=case_id)


@router.post("/{case_id}/verify", **_STEP)
async def verify(
    request: Request, services: ServicesDep, case_id: UUID, body: Verify, user: CurrentUser
) -> Response:
    """Verify the rectification (整改复查 / 验收): accepted or rejected."""
    return await run_command(request, services, user, c.VerifyRectification, body, case_id=case_id)


@router.post("/{case_id}/close", **_STEP)
async def close(
    request: Request, services: ServicesDep, case_id: UUID, body: Versioned, user: CurrentUser
) -> Response:
    """Close the case (销号) after an accepted verification."""
    return await run_command(request, services, user, c.CloseHazard, body, case_id=case_id)


@router.post("/{case_id}/reopen", **_STEP)
async def reopen(
    request: Request, services: ServicesDep, case_id: UUID, body: Reopen, user: CurrentUser
) -> Response:
    """Reopen a closed case when the hazard recurs."""
    return await run_command(request, services, user, c.ReopenHazard, body, case_id=case_id)


@router.post("/{case_id}/dismiss", **_STEP)
async def dismiss(
    request: Request, services: ServicesDep, case_id: UUID, body: Dismiss, user: CurrentUser
) -> Response:
    """Dismiss a sensor's false alarm before grading (误报核销); the reason is required."""
    return await run_command(request, services, user, c.DismissFalseAlarm, body, case_id=case_id)
