"""Public reports (群众举报): receive, verify, conclude, reward; the reporter protected.

The reporter's identity is never in a read: it is opened by ``POST .../identity`` with
a stated purpose, which only the roles ``ledger.permissions`` names may do, and which
is recorded as an event before the identity is answered (nothing is recorded when it
is refused). ``POST .../identity/erase`` destroys its key.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import Field
from starlette.responses import Response

from ledger import commands as c
from ledger.errors import LedgerError
from ledger.permissions import NotPermitted
from ledger.public_report import Channel, ReportStatus, reveal_identity
from ledger.sealed import SealedUnavailable

from ..commanding import run_command, to_command
from ..deps import ServicesDep
from ..problems import Problem
from ..response_models import PublicReportRow, PublicReportView, sends
from ..schemas import CommandResult, Timed, Versioned
from ..security import CurrentUser
from .common import ERRORS, READ_ERRORS
from .reading import READ_MODEL_ERRORS, KnownAt, ReadsDep, answering, json_response

router = APIRouter(prefix="/public-reports", tags=["public reports 群众举报"])


class ReceivePublicReport(Timed):
    enterprise_code: str = Field(max_length=32)
    sector: str = Field(max_length=64)
    channel: Channel = Field(description="举报渠道")
    content: str = Field(min_length=1, max_length=5000, description="举报内容")
    reporter_name: str = Field("", max_length=64, description="举报人姓名（加密保存）")
    reporter_phone: str = Field("", max_length=32, description="联系电话（加密保存）")
    reporter_id_number: str = Field("", max_length=32, description="身份证号（加密保存）")
    reporter_contact: str = Field("", max_length=200, description="其他联系方式（加密保存）")


class VerifyPublicReport(Versioned):
    findings: str = Field(max_length=5000, description="核查情况")


class FindReportFounded(Versioned):
    reasons: str = Field(max_length=5000, description="属实的认定理由")
    location: str = Field(max_length=200)
    description: str = Field(max_length=5000, description="隐患描述")
    found_by: str = Field("", max_length=200)
    details: dict[str, Any] = Field(default_factory=dict)


class FindReportUnfounded(Versioned):
    reasons: str = Field(max_length=5000, description="不属实的理由")


class RewardReporter(Versioned):
    amount: Decimal = Field(gt=0, le=Decimal("10000000"), decimal_places=2, description="奖励金额")


class RevealReporterIdentity(Versioned):
    purpose: str = Field(min_length=1, max_length=2000, description="查阅事由")


class EraseReporterIdentity(Versioned):
    reason: str = Field(max_length=2000, description="删除依据（举报人申请）")


@router.post("", status_code=201, response_model=CommandResult, responses=ERRORS)
async def receive(
    request: Request, services: ServicesDep, body: ReceivePublicReport, user: CurrentUser
) -> Response:
    """Receive (受理) a public report; the reporter's fields are encrypted at once."""
    return await run_command(request, services, user, c.ReceivePublicReport, body, status=201)


@router.post("/{report_id}/verify", response_model=CommandResult, responses=ERRORS)
async def verify(
    request: Request,
    services: ServicesDep,
    report_id: UUID,
    body: VerifyPublicReport,
    user: CurrentUser,
) -> Response:
    """Record the on-site check (核查)."""
    return await run_command(
        request, services, user, c.VerifyPublicReport, body, report_id=report_id
    )


@router.post("/{report_id}/founded", response_model=CommandResult, responses=ERRORS)
async def founded(
    request: Request,
    services: ServicesDep,
    report_id: UUID,
    body: FindReportFounded,
    user: CurrentUser,
) -> Response:
    """属实: opens a hazard case (source public_report) naming the report, at once."""
    return await run_command(
        request, services, user, c.FindReportFounded, body, report_id=report_id
    )


@router.post("/{report_id}/unfounded", response_model=CommandResult, responses=ERRORS)
async def unfounded(
    request: Request,
    services: ServicesDep,
    report_id: UUID,
    body: FindReportUnfounded,
    user: CurrentUser,
) -> Response:
    """不属实: the report is dismissed with its reasons."""
    return await run_command(
        request, services, user, c.FindReportUnfounded, body, report_id=report_id
    )


@router.post("/{report_id}/reward", response_model=CommandResult, responses=ERRORS)
async def reward(
    request: Request,
    services: ServicesDep,
    report_id: UUID,
    body: RewardReporter,
    user: CurrentUser,
) -> Response:
    """Record the reward (奖励) of a founded report."""
    return await run_command(request, services, user, c.RewardReporter, body, report_id=report_id)


@router.post("/{report_id}/identity", responses=ERRORS)
async def identity(
    request: Request,
    services: ServicesDep,
    report_id: UUID,
    body: RevealReporterIdentity,
    user: CurrentUser,
) -> Response:
    """The reporter's identity, for the receiving department with a stated purpose; the
    reading is recorded. Other roles: 403, and nothing is recorded."""
    command = to_command(request, c.RevealReporterIdentity, body, report_id=report_id)
    assert isinstance(command, c.RevealReporterIdentity)
    try:
        shown = reveal_identity(services.ledger, command, user.actor, user.scope)
    except NotPermitted as e:
        raise Problem(
            403,
            "forbidden",
            "无权查阅举报人身份信息（仅受理举报的部门可查阅）",
            "you may not read the reporter's identity (only the receiving departments may)",
        ) from e
    except SealedUnavailable as e:
        raise Problem(
            410 if e.erased else 503, "identity-unavailable", e.message_zh, e.message_en
        ) from None
    except LedgerError:
        raise
    return json_response(asdict(shown), **{"cache-control": "no-store"})


@router.post("/{report_id}/identity/erase", response_model=CommandResult, responses=ERRORS)
async def erase_identity(
    request: Request,
    services: ServicesDep,
    report_id: UUID,
    body: EraseReporterIdentity,
    user: CurrentUser,
) -> Response:
    """Erase the reporter's identity on request by destroying its key."""
    return await run_command(
        request, services, user, c.EraseReporterIdentity, body, report_id=report_id
    )


@router.get("", responses={**READ_MODEL_ERRORS, **sends(list[PublicReportRow])})
async def list_public_reports(
    reads: ReadsDep,
    user: CurrentUser,
    region: str | None = Query(None, max_length=12),
    status: ReportStatus | None = None,
    known_at: KnownAt = None,
) -> Response:
    """Public reports in your jurisdiction, newest first, without reporters (officials)."""
    with answering(known_at):
        body = reads.public_reports(
            region, scope=user.scope, status=status.value if status else None, known_at=known_at
        )
    return json_response(body)


@router.get("/{report_id}", responses={**READ_ERRORS, **sends(PublicReportView)})
async def get_public_report(
    reads: ReadsDep, report_id: UUID, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """One public report as recorded by ``known_at``, without its reporter."""
    with answering(known_at):
        body = reads.public_report(report_id, scope=user.scope, known_at=known_at)
    return json_response(body, etag=f'"{body["version"]}"')
