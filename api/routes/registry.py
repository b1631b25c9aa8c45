"""Enterprises, responsibility posts and inspections: the ledger's reference facts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from ledger.enterprise import Person

from ..commanding import run_command
from ..schemas import (
    AssignResponsibility,
    ChangePrincipal,
    CommandResult,
    RecordInspection,
    RegisterEnterprise,
)
from ..security import CurrentUser, in_scope
from ..services import Services
from .common import ERRORS, READ_ERRORS
from .reading import KnownAt, ReadsDep, answering, json_response

router = APIRouter(tags=["registry 基础信息"])


def _ledger(request: Request) -> Any:
    services: Services = request.app.state.services
    return services.ledger


@router.post("/enterprises", status_code=201, response_model=CommandResult, responses=ERRORS)
async def register_enterprise(
    request: Request, body: RegisterEnterprise, user: CurrentUser
) -> Response:
    """Register an enterprise (生产经营单位) by its unified social credit code."""
    for sector in body.sectors:
        in_scope(
            user, region_code=body.region_code, sector=sector, enterprise_code=body.credit_code
        )
    ledger = _ledger(request)

    def call() -> dict[str, Any]:
        enterprise_id = ledger.register_enterprise(
            user.actor,
            body.occurred_at,
            credit_code=body.credit_code,
            name=body.name,
            region_code=body.region_code,
            sectors=body.sectors,
            principal=Person(**body.principal.model_dump()),
            address=body.address,
            justification=body.justification,
        )
        return {"id": str(enterprise_id), "version": 1}

    return await run_command(request, user, "register_enterprise", call, status=201)


def _enterprise_in_scope(request: Request, user: Any, code: str) -> Any:
    enterprise = _ledger(request).enterprise(code)
    if not any(
        user.sees(region_code=enterprise.region_code, sector=s, enterprise_code=code)
        for s in enterprise.sectors
    ):
        in_scope(user, region_code="", sector="\x00", enterprise_code="")
    return enterprise


@router.get("/enterprises/{credit_code}", responses=READ_ERRORS)
async def get_enterprise(
    reads: ReadsDep, credit_code: str, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """An enterprise with its principal persons over time, as recorded by ``known_at``."""
    with answering(known_at):
        body = reads.enterprise(credit_code, scope=user.scope, known_at=known_at)
    return json_response(body)


@router.post("/enterprises/{credit_code}/principal", response_model=CommandResult, responses=ERRORS)
async def change_principal(
    request: Request, credit_code: str, body: ChangePrincipal, user: CurrentUser
) -> Response:
    """Record a new principal person in charge (主要负责人变更)."""
    e = _enterprise_in_scope(request, user, credit_code)
    ledger = _ledger(request)

    def call() -> dict[str, Any]:
        version = ledger.change_principal(
            user.actor,
            body.occurred_at,
            credit_code=credit_code,
            principal=Person(**body.principal.model_dump()),
            expected_version=body.expected_version,
            justification=body.justification,
        )
        return {"id": str(e.id), "version": version}

    return await run_command(request, user, "change_principal", call)


@router.post("/responsibilities", response_model=CommandResult, responses=ERRORS)
async def assign_responsibility(
    request: Request, body: AssignResponsibility, user: CurrentUser
) -> Response:
    """Put a person in a responsibility post (责任链) from ``occurred_at`` on."""
    in_scope(user, region_code=body.region_code, sector=body.sector or "", enterprise_code="")
    ledger = _ledger(request)

    def call() -> dict[str, Any]:
        post_id = ledger.assign_responsibility(
            user.actor,
            body.occurred_at,
            duty=body.duty,
            region_code=body.region_code,
            sector=body.sector,
            organisation=body.organisation,
            title=body.title,
            holder=Person(**body.holder.model_dump()),
            justification=body.justification,
        )
        return {"id": str(post_id), "version": ledger.repository.get(post_id).version}

    return await run_command(request, user, "assign_responsibility", call)


@router.post("/inspections", status_code=201, response_model=CommandResult, responses=ERRORS)
async def record_inspection(
    request: Request, body: RecordInspection, user: CurrentUser
) -> Response:
    """Record an inspection (检查); hazards it finds link to it when reported."""
    _enterprise_in_scope(request, user, body.enterprise_code)
    ledger = _ledger(request)

    def call() -> dict[str, Any]:
        inspection_id = ledger.record_inspection(
            user.actor,
            body.occurred_at,
            enterprise_code=body.enterprise_code,
            sector=body.sector,
            inspection_type=body.inspection_type,
            team=body.team,
            location=body.location,
            devices_checked=body.devices_checked,
            summary=body.summary,
            justification=body.justification,
        )
        return {"id": str(inspection_id), "version": 1}

    return await run_command(request, user, "record_inspection", call, status=201)


@router.get("/inspections/{inspection_id}", responses=READ_ERRORS)
async def get_inspection(
    reads: ReadsDep, inspection_id: UUID, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """An inspection with the hazards it found, as recorded by ``known_at``."""
    with answering(known_at):
        body = reads.inspection(inspection_id, scope=user.scope, known_at=known_at)
    return json_response(body)
