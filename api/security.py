"""Authentication (bearer tokens) and authorisation (role and jurisdiction).

A route declares what it needs (``CurrentUser``). Commands are permitted and scoped by
the ledger itself (``HazardLedger.execute`` with the user's actor and scope); the few
actions that are not commands ask ``require(user, action)`` of the same table
(``ledger.permissions``). Outside the user's region, sectors or (for enterprise users)
own enterprise, the answer is 404 — the same as for something that does not exist, so a
user cannot probe for records outside its scope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ledger import permissions
from ledger.permissions import BUILD_SNAPSHOT, READ_STATISTICS, REVIEW, Action

from .problems import Problem
from .services import Services
from .users import User, hash_token, holder

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="BearerToken",
    description="A token issued by `ledger users add`; it identifies the actor recorded "
    "on every event.",
)


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(
            401,
            "unauthenticated",
            "请在 Authorization 头中提供 Bearer 令牌",
            "send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = await authenticate(request.app.state.services, credentials.credentials)
    if user is None:
        raise Problem(
            401,
            "unauthenticated",
            "令牌无效、已过期或已撤销",
            "the token is unknown, expired or revoked",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return user


CurrentUser = Annotated[User, Depends(current_user)]


async def authenticate(services: Services, token: str) -> User | None:
    """The user holding ``token`` now (``api.users.holder``), asked on the process's own
    connection (``Services.lookups``: with the questions of the requests that arrived
    with it, without stopping the event loop on PostgreSQL); through the directory's
    pooled connections if that one cannot be used."""
    now = services.ledger.clock()
    row = await services.lookups().user(hash_token(token))
    if row is None:
        return services.users.authenticate(token, now=now)
    return holder(row, now=now)


def permitted(action: Action) -> Any:
    """A route's user, once the permission table lets its role perform ``action``.

    As a dependency it is resolved before the route's query and body are validated, so
    a role that may not perform ``action`` is refused 403 whatever it sent: a malformed
    parameter (422) tells it nothing about a route it may not use.
    """

    async def permitted_user(user: CurrentUser) -> User:
        require(user, action)
        return user

    return Depends(permitted_user)


def require(user: User, action: Action) -> None:
    """Refuse with 403 unless the permission table (``ledger.permissions``) lets the
    user's role perform ``action`` (a command type, or one of the table's named actions
    such as ``BUILD_SNAPSHOT``). Commands need not ask: ``HazardLedger.execute`` does."""
    try:
        permissions.require(user.role, action)
    except permissions.NotPermitted as refused:
        raise Problem(403, "forbidden", refused.message("zh"), refused.message("en")) from None


def in_scope(user: User, *, region_code: str, sector: str, enterprise_code: str) -> None:
    """Answer 404 for anything outside the user's jurisdiction."""
    if not user.sees(region_code=region_code, sector=sector, enterprise_code=enterprise_code):
        raise Problem(404, "not-found")


#: The user of a statistics read (READ_STATISTICS), refused 403 before its parameters.
StatisticsReader = Annotated[User, permitted(READ_STATISTICS)]
#: The user of an accountability review (REVIEW).
Reviewer = Annotated[User, permitted(REVIEW)]
#: The user who starts a read-model snapshot (BUILD_SNAPSHOT).
SnapshotBuilder = Annotated[User, permitted(BUILD_SNAPSHOT)]
