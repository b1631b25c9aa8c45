"""Enforcement actions (执法文书): issue, execute, lift, revoke, read."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from ..commanding import run_command, run_step
from ..schemas import CommandResult, EndAction, ExecuteAction, IssueAction
from ..security import CurrentUser, in_scope
from ..services import Services
from ..users import User
from .common import ERRORS, READ_ERRORS
from .reading import KnownAt, ReadsDep, answering, json_response

router = APIRouter(prefix="/enforcement", tags=["enforcement 执法"])


def _ledger(request: Request) -> Any:
    services: Services = request.app.state.services
    return services.ledger


def _action_in_scope(request: Request, user: User, action_id: UUID) -> Any:
    a = _ledger(request).action(action_id)
    in_scope(user, region_code=a.region_code, sector=a.sector, enterprise_code=a.enterprise_code)
    return a


@router.post("", status_code=201, response_model=CommandResult, responses=ERRORS)
async def issue(request: Request, body: IssueAction, user: CurrentUser) -> Response:
    """Issue an enforcement document (penalty, stop-work notice, warning letter, ...)."""
    ledger = _ledger(request)
    enterprise = ledger.enterprise(body.enterprise_code)
    in_scope(
        user,
        region_code=enterprise.region_code,
        sector=body.sector,
        enterprise_code=body.enterprise_code,
    )

    def call() -> dict[str, Any]:
        action_id = ledger.issue_action(
            user.actor,
            body.occurred_at,
            kind=body.kind,
            document_number=body.document_number,
            enterprise_code=body.enterprise_code,
            sector=body.sector,
            department=body.department,
            legal_basis=body.legal_basis,
            case_ids=body.case_ids,
            fine_amount=body.fine_amount,
            description=body.description,
            justification=body.justification,
        )
        return {"id": str(action_id), "version": 1}

    return await run_command(request, user, "issue_action", call, status=201)


async def _step(
    request: Request, user: User, action_id: UUID, action: str, body: Any, **fields: Any
) -> Response:
    _action_in_scope(request, user, action_id)
    return await run_step(request, user, action, action_id, body, **fields)


@router.post("/{action_id}/execute", response_model=CommandResult, responses=ERRORS)
async def execute(
    request: Request, action_id: UUID, body: ExecuteAction, user: CurrentUser
) -> Response:
    """Record execution (a fine paid, a seal applied)."""
    return await _step(
        request,
        user,
        action_id,
        "execute_action",
        body,
        amount_paid=body.amount_paid,
        note=body.note,
    )


@router.post("/{action_id}/lift", response_model=CommandResult, responses=ERRORS)
async def lift(request: Request, action_id: UUID, body: EndAction, user: CurrentUser) -> Response:
    """Lift a stop-work order, seal-up or ban (复工、解封)."""
    return await _step(request, user, action_id, "lift_action", body, reason=body.reason)


@router.post("/{action_id}/revoke", response_model=CommandResult, responses=ERRORS)
async def revoke(request: Request, action_id: UUID, body: EndAction, user: CurrentUser) -> Response:
    """Revoke an enforcement document."""
    return await _step(request, user, action_id, "revoke_action", body, reason=body.reason)


@router.get("/{action_id}", responses=READ_ERRORS)
async def get_action(
    reads: ReadsDep, action_id: UUID, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """An enforcement action's state, as recorded by ``known_at``."""
    with answering(known_at):
        body = reads.action(action_id, scope=user.scope, known_at=known_at)
    return json_response(body)
