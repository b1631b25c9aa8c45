"""Authentication (bearer tokens) and authorisation (role and jurisdiction).

A route declares what it needs (``CurrentUser``) and asks ``require(user, action)``
before acting. Scope is checked on the thing acted upon: outside the user's region,
sectors or (for enterprise users) own enterprise, the answer is 404 — the same as for
something that does not exist, so a user cannot probe for cases outside its scope.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ledger.identity import Role

from .problems import Problem
from .services import Services
from .users import User

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="BearerToken",
    description="A token issued by `ledger users add`; it identifies the actor recorded "
    "on every event.",
)

R = Role
#: Which roles may perform which action. Auditors only read; admins manage reference
#: data and users but do not perform inspections or sign-offs in anyone's name.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "register_enterprise": frozenset({R.INSPECTOR, R.DEPARTMENT, R.GOVERNMENT, R.ADMIN}),
    "change_principal": frozenset({R.DEPARTMENT, R.GOVERNMENT, R.ENTERPRISE, R.ADMIN}),
    "assign_responsibility": frozenset({R.GOVERNMENT, R.ADMIN}),
    "record_inspection": frozenset({R.INSPECTOR, R.DEPARTMENT, R.ENTERPRISE}),
    "report_hazard": frozenset({R.INSPECTOR, R.DEPARTMENT, R.GOVERNMENT, R.ENTERPRISE}),
    "grade_hazard": frozenset({R.INSPECTOR, R.DEPARTMENT}),
    "rectify_on_spot": frozenset({R.INSPECTOR, R.DEPARTMENT}),
    "assign_rectification": frozenset({R.INSPECTOR, R.DEPARTMENT, R.GOVERNMENT}),
    "file_plan": frozenset({R.ENTERPRISE, R.DEPARTMENT}),
    "record_interim_controls": frozenset({R.ENTERPRISE, R.DEPARTMENT, R.INSPECTOR}),
    "extend_deadline": frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    "list_for_supervision": frozenset({R.GOVERNMENT}),
    "delist": frozenset({R.GOVERNMENT}),
    "escalate": frozenset({R.GOVERNMENT, R.DEPARTMENT}),
    "report_rectification": frozenset({R.ENTERPRISE, R.DEPARTMENT, R.INSPECTOR}),
    "file_assessment": frozenset({R.ENTERPRISE}),
    "verify_rectification": frozenset({R.DEPARTMENT, R.INSPECTOR}),
    "close_hazard": frozenset({R.DEPARTMENT}),
    "reopen_hazard": frozenset({R.DEPARTMENT, R.INSPECTOR, R.GOVERNMENT}),
    "issue_action": frozenset({R.DEPARTMENT, R.INSPECTOR, R.GOVERNMENT}),
    "execute_action": frozenset({R.DEPARTMENT, R.INSPECTOR}),
    "lift_action": frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    "revoke_action": frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    "add_measure": frozenset({R.GOVERNMENT, R.DEPARTMENT}),
}


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
    services: Services = request.app.state.services
    user = services.users.authenticate(credentials.credentials, now=services.ledger.clock())
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


def require(user: User, action: str) -> None:
    """Refuse with 403 unless the user's role may perform ``action``."""
    if user.role not in PERMISSIONS[action]:
        raise Problem(
            403,
            "forbidden",
            f"角色“{user.role.value}”不能执行“{action}”",
            f"role {user.role.value!r} may not {action}",
        )


def in_scope(user: User, *, region_code: str, sector: str, enterprise_code: str) -> None:
    """Answer 404 for anything outside the user's jurisdiction."""
    if not user.sees(region_code=region_code, sector=sector, enterprise_code=enterprise_code):
        raise Problem(404, "not-found")
