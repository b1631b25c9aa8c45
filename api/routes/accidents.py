"""Accidents (生产安全事故): recording one. The review starts from it: ``GET /review?accident=``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from ledger import commands as c

from ..commanding import run_command
from ..deps import ServicesDep
from ..schemas import CommandResult, RecordAccident
from ..security import CurrentUser
from .common import ERRORS

router = APIRouter(tags=["accidents 生产安全事故"])


@router.post("/accidents", status_code=201, response_model=CommandResult, responses=ERRORS)
async def record_accident(
    request: Request, services: ServicesDep, body: RecordAccident, user: CurrentUser
) -> Response:
    """Record an accident at an enterprise in the user's scope; its level (一般/较大/重大/
    特别重大) is computed from deaths, serious injuries and direct loss."""
    return await run_command(request, services, user, c.RecordAccident, body, status=201)
