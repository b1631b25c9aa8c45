"""Risk points (双重预防): register, re-assess, keep controls, cite a failed control, read."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import Field
from starlette.responses import Response

from ledger import commands as c
from ledger.risk import RiskLevel

from ..commanding import run_command
from ..deps import ServicesDep
from ..response_models import RiskPointRow, RiskPointView, sends
from ..schemas import CommandResult, PersonBody, Timed, Versioned
from ..security import CurrentUser
from .common import ERRORS, READ_ERRORS
from .reading import READ_MODEL_ERRORS, KnownAt, ReadsDep, answering, json_response

router = APIRouter(prefix="/risk-points", tags=["risk points 风险点"])


class RegisterRiskPoint(Timed):
    enterprise_code: str = Field(max_length=32)
    sector: str = Field(max_length=64)
    name: str = Field(min_length=1, max_length=200, description="风险点名称")
    location: str = Field(min_length=1, max_length=200, description="位置")
    level: RiskLevel = Field(description="重大 major / 较大 larger / 一般 general / 低 low")
    controls: list[str] = Field(min_length=1, max_length=100, description="管控措施")
    hazard_source_level: int | None = Field(None, ge=1, le=4, description="重大危险源等级 1-4")
    responsible_principal: PersonBody | None = Field(None, description="包保责任人：主要负责人")
    responsible_technical: PersonBody | None = Field(None, description="包保责任人：技术负责人")
    responsible_operational: PersonBody | None = Field(None, description="包保责任人：操作负责人")


class ReassessRiskPoint(Versioned):
    level: RiskLevel
    reason: str = Field(max_length=2000)


class AddControl(Versioned):
    description: str = Field(max_length=2000, description="管控措施")


class RetireControl(Versioned):
    control_id: str = Field(max_length=16)
    reason: str = Field(max_length=2000)


class CiteFailedControl(Versioned):
    control_id: str = Field(max_length=16, description="失效的管控措施")
    case_id: UUID = Field(description="发现该失效的隐患")


@router.post("", status_code=201, response_model=CommandResult, responses=ERRORS)
async def register(
    request: Request, services: ServicesDep, body: RegisterRiskPoint, user: CurrentUser
) -> Response:
    """Register a risk point with its level, controls and, for a major hazard source,
    its level and 包保责任人."""
    return await run_command(request, services, user, c.RegisterRiskPoint, body, status=201)


@router.post("/{risk_point_id}/reassess", response_model=CommandResult, responses=ERRORS)
async def reassess(
    request: Request,
    services: ServicesDep,
    risk_point_id: UUID,
    body: ReassessRiskPoint,
    user: CurrentUser,
) -> Response:
    """Re-assess the risk level (风险评估)."""
    return await run_command(
        request, services, user, c.ReassessRiskPoint, body, risk_point_id=risk_point_id
    )


@router.post("/{risk_point_id}/controls", response_model=CommandResult, responses=ERRORS)
async def add_control(
    request: Request,
    services: ServicesDep,
    risk_point_id: UUID,
    body: AddControl,
    user: CurrentUser,
) -> Response:
    """Add a control (管控措施); it gets the next id (C1, C2, ...)."""
    return await run_command(
        request, services, user, c.AddControl, body, risk_point_id=risk_point_id
    )


@router.post("/{risk_point_id}/controls/retire", response_model=CommandResult, responses=ERRORS)
async def retire_control(
    request: Request,
    services: ServicesDep,
    risk_point_id: UUID,
    body: RetireControl,
    user: CurrentUser,
) -> Response:
    """Retire a control that no longer applies."""
    return await run_command(
        request, services, user, c.RetireControl, body, risk_point_id=risk_point_id
    )


@router.post("/{risk_point_id}/failed-controls", response_model=CommandResult, responses=ERRORS)
async def cite_failed_control(
    request: Request,
    services: ServicesDep,
    risk_point_id: UUID,
    body: CiteFailedControl,
    user: CurrentUser,
) -> Response:
    """Link a hazard case to the control of this risk point that failed."""
    return await run_command(
        request, services, user, c.CiteFailedControl, body, risk_point_id=risk_point_id
    )


@router.get("", responses={**READ_MODEL_ERRORS, **sends(list[RiskPointRow])})
async def list_risk_points(
    reads: ReadsDep,
    user: CurrentUser,
    region: str | None = Query(None, max_length=12),
    level: RiskLevel | None = None,
    enterprise: str | None = Query(None, max_length=32),
    known_at: KnownAt = None,
) -> Response:
    """Risk points by level (重大 first, with colours), each with its open hazards."""
    with answering(known_at):
        body = reads.risk_points(
            region,
            scope=user.scope,
            level=level.value if level else None,
            enterprise=enterprise,
            known_at=known_at,
        )
    return json_response(body)


@router.get("/{risk_point_id}", responses={**READ_ERRORS, **sends(RiskPointView)})
async def get_risk_point(
    reads: ReadsDep, risk_point_id: UUID, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """One risk point as recorded by ``known_at``: controls, hazard source, citations."""
    with answering(known_at):
        body = reads.risk_point(risk_point_id, scope=user.scope, known_at=known_at)
    return json_response(body, etag=f'"{body["version"]}"')
