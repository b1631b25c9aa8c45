"""Accounts and their tokens over HTTP, for the administrator's page.

The same directory as ``ledger users`` (``api.users``): a token is shown once, in the
answer that issues it, and stored only as its hash. Who may manage accounts is the
permission table's ``MANAGE_USERS`` (administrators only); accounts record no ledger
event, so they carry no ``known_at``. A refusal (an existing or unknown username, an enterprise
account without its credit code) is the directory's rule, answered as problem details.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from pydantic import Field

from ledger.identity import Role
from ledger.permissions import MANAGE_USERS

from ..deps import ServicesDep
from ..problems import Problem
from ..response_models import Users
from ..schemas import Body
from ..security import CurrentUser, require
from ..users import User
from .common import ERRORS, READ_ERRORS

router = APIRouter(prefix="/users", tags=["users 用户与令牌"])


class NewUser(Body):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1, max_length=64)
    role: Role
    organisation: str = Field("", max_length=200)
    region_prefix: str = Field("", max_length=12, pattern=r"^\d*$")
    sectors: list[str] = Field(default_factory=list, max_length=20)
    enterprise_code: str = Field("", max_length=32)
    valid_days: int = Field(90, ge=1, le=3660)


class Reissue(Body):
    valid_days: int = Field(90, ge=1, le=3660)


@router.get("", response_model=Users, responses={**READ_ERRORS, 403: ERRORS[403]})
async def list_users(services: ServicesDep, user: CurrentUser) -> dict[str, Any]:
    """Every account with its role, jurisdiction, expiry and revocation (never tokens)."""
    require(user, MANAGE_USERS)
    return {"items": services.users.list()}


@router.post("", status_code=201, responses=ERRORS)
async def add_user(services: ServicesDep, body: NewUser, user: CurrentUser) -> dict[str, Any]:
    """Create an account and answer its token, shown this once."""
    require(user, MANAGE_USERS)
    if body.role is Role.SYSTEM:
        raise Problem(
            422,
            "invalid-request",
            "“system”角色只用于导入，不能发放令牌",
            "the system role is for imports only; it gets no token",
        )
    account = User(
        body.username,
        body.name,
        body.role,
        body.organisation,
        body.region_prefix,
        frozenset(body.sectors),
        body.enterprise_code,
    )
    token = services.users.add(
        account, now=services.ledger.clock(), valid_for=timedelta(days=body.valid_days)
    )
    return {"username": body.username, "token": token}


@router.post("/{username}/revoke", responses=ERRORS)
async def revoke(services: ServicesDep, username: str, user: CurrentUser) -> dict[str, Any]:
    """Revoke the account's token: it stops working at the next request."""
    require(user, MANAGE_USERS)
    services.users.revoke(username, now=services.ledger.clock())
    return {"username": username, "revoked": True}


@router.post("/{username}/reissue", responses=ERRORS)
async def reissue(
    services: ServicesDep, username: str, body: Reissue, user: CurrentUser
) -> dict[str, Any]:
    """A new token for the account (shown this once); the old one stops working."""
    require(user, MANAGE_USERS)
    token = services.users.reissue(
        username, now=services.ledger.clock(), valid_for=timedelta(days=body.valid_days)
    )
    return {"username": username, "token": token}
