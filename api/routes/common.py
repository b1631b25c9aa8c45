"""Error responses shared by the routes, declared so that OpenAPI documents them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Violation(BaseModel):
    rule: str
    field: str
    message: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    instance: str | None = None
    detail: str | None = None
    violations: list[Violation] | None = None
    recorded: bool | None = None


def problem_response_doc(description: str) -> dict[str, Any]:
    """The OpenAPI entry for a problem-details response."""
    return _problem(description)


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "model": ProblemDetails,
        "content": {"application/problem+json": {}},
    }


READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _problem("Missing, unknown, expired or revoked token"),
    404: _problem("Not found, or outside your jurisdiction"),
    422: _problem("Malformed request"),
}

ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    400: _problem("Malformed If-Match"),
    403: _problem("Your role may not perform this command"),
    409: _problem("The record changed under you (stale expected_version), or a retry is in flight"),
    412: _problem("If-Match does not match the current version"),
    422: _problem(
        "The command broke a rule (each violation names rule and field); nothing recorded"
    ),
}
