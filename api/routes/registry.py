"""Enterprises, responsibility posts and inspections: the ledger's reference facts."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ledger import commands as c

from ..commanding import run_command
from ..deps import ServicesDep
from ..response_models import EnterpriseView, InspectionRow, InspectionView, sends
from ..schemas import (
    AssignResponsibility,
    ChangePrincipal,
    CommandResult,
    RecordInspection,
    RegisterEnterprise,
)
from ..security import CurrentUser
from .common import ERRORS, READ_ERRORS
from .reading import READ_MODEL_ERRORS, KnownAt, ReadsDep, answering, json_response

router = APIRouter(tags=["registry 基础信息"])


@router.post("/enterprises", status_code=201, response_model=CommandResult, responses=ERRORS)
async def register_enterprise(
    request: Request, services: ServicesDep, body: RegisterEnterprise, user: CurrentUser
) -> Response:
    """Register an enterprise (生产经营单位) by its unified social credit code."""
    return await run_command(request, services, user, c.RegisterEnterprise, body, status=201)


@router.get("/enterprises/{credit_code}", responses={**READ_ERRORS, **sends(EnterpriseView)})
async def get_enterprise(
    reads: ReadsDep, credit_code: str, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """An enterprise with its principal persons over time, as recorded by ``known_at``;
    its version is the ETag that ``If-Match`` on ``/principal`` names."""
    with answering(known_at):
        body = reads.enterprise(credit_code, scope=user.scope, known_at=known_at)
    return json_response(body, etag=f'"{body["version"]}"')


@router.post("/enterprises/{credit_code}/principal", response_model=CommandResult, responses=ERRORS)
async def change_principal(
    request: Request,
    services: ServicesDep,
    credit_code: str,
    body: ChangePrincipal,
    user: CurrentUser,
) -> Response:
    """Record a new principal person in charge (主要负责人变更); honours If-Match."""
    return await run_command(
        request, services, user, c.ChangePrincipal, body, credit_code=credit_code
    )


@router.post("/responsibilities", response_model=CommandResult, responses=ERRORS)
async def assign_responsibility(
    request: Request, services: ServicesDep, body: AssignResponsibility, user: CurrentUser
) -> Response:
    """Put a person in a responsibility post (责任链) from ``occurred_at`` on."""
    return await run_command(request, services, user, c.AssignResponsibility, body)


@router.post("/inspections", status_code=201, response_model=CommandResult, responses=ERRORS)
async def record_inspection(
    request: Request, services: ServicesDep, body: RecordInspection, user: CurrentUser
) -> Response:
    """Record an inspection (检查); hazards it finds link to it when reported."""
    return await run_command(request, services, user, c.RecordInspection, body, status=201)


@router.get("/inspections", responses={**READ_MODEL_ERRORS, **sends(list[InspectionRow])})
async def list_inspections(
    reads: ReadsDep,
    user: CurrentUser,
    day: Annotated[date, Query(alias="date", description="检查日期（北京时间）YYYY-MM-DD")],
    to: Annotated[date | None, Query(description="截止日期（含），不填为当天；最多31天")] = None,
    inspector: Annotated[str | None, Query(max_length=64, description="记录检查的用户")] = None,
    known_at: KnownAt = None,
) -> Response:
    """Inspections of a day (or from ``date`` to ``to``) in the user's scope, newest
    first, with the hazards each found so far; the phone page lists today's."""
    with answering(known_at):
        body = reads.inspections(
            scope=user.scope,
            on=(day, to) if to is not None else day,
            inspector=inspector,
            known_at=known_at,
        )
    return json_response(body)


@router.get("/inspections/{inspection_id}", responses={**READ_ERRORS, **sends(InspectionView)})
async def get_inspection(
    reads: ReadsDep, inspection_id: UUID, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """An inspection with the hazards it found, as recorded by ``known_at``."""
    with answering(known_at):
        body = reads.inspection(inspection_id, scope=user.scope, known_at=known_at)
    return json_response(body)
