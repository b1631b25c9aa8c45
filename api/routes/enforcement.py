"""Enforcement actions (执法文书): issue, execute, lift, revoke, read."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from ledger import commands as c

from ..commanding import run_command
from ..deps import ServicesDep
from ..response_models import ActionView, sends
from ..schemas import (
    CommandResult,
    EndAction,
    ExecuteAction,
    IssueAction,
    RecordObservedActivity,
)
from ..security import CurrentUser
from .common import ERRORS, READ_ERRORS
from .reading import KnownAt, ReadsDep, answering, json_response

router = APIRouter(prefix="/enforcement", tags=["enforcement 执法"])


@router.post("", status_code=201, response_model=CommandResult, responses=ERRORS)
async def issue(
    request: Request, services: ServicesDep, body: IssueAction, user: CurrentUser
) -> Response:
    """Issue an enforcement document (penalty, stop-work notice, warning letter, ...)."""
    return await run_command(request, services, user, c.IssueAction, body, status=201)


@router.post("/{action_id}/execute", response_model=CommandResult, responses=ERRORS)
async def execute(
    request: Request, services: ServicesDep, action_id: UUID, body: ExecuteAction, user: CurrentUser
) -> Response:
    """Record execution (a fine paid, a seal applied)."""
    return await run_command(request, services, user, c.ExecuteAction, body, action_id=action_id)


@router.post("/{action_id}/lift", response_model=CommandResult, responses=ERRORS)
async def lift(
    request: Request, services: ServicesDep, action_id: UUID, body: EndAction, user: CurrentUser
) -> Response:
    """Lift a stop-work order, seal-up or ban (复工、解封)."""
    return await run_command(request, services, user, c.LiftAction, body, action_id=action_id)


@router.post("/{action_id}/revoke", response_model=CommandResult, responses=ERRORS)
async def revoke(
    request: Request, services: ServicesDep, action_id: UUID, body: EndAction, user: CurrentUser
) -> Response:
    """Revoke an enforcement document."""
    return await run_command(request, services, user, c.RevokeAction, body, action_id=action_id)


@router.post("/{action_id}/observed-activity", response_model=CommandResult, responses=ERRORS)
async def observed_activity(
    request: Request,
    services: ServicesDep,
    action_id: UUID,
    body: RecordObservedActivity,
    user: CurrentUser,
) -> Response:
    """Record that what a standing order stopped was seen operating (no new hazard)."""
    return await run_command(
        request, services, user, c.RecordObservedActivity, body, action_id=action_id
    )


@router.get("/{action_id}", responses={**READ_ERRORS, **sends(ActionView)})
async def get_action(
    reads: ReadsDep, action_id: UUID, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """An enforcement action's state, as recorded by ``known_at``."""
    with answering(known_at):
        body = reads.action(action_id, scope=user.scope, known_at=known_at)
    return json_response(body, etag=f'"{body["version"]}"')
