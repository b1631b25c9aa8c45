"""The one path every command route takes: permission, idempotency, one ledger call.

Routes stay thin: they parse the body, then hand ``run_command`` a closure that makes a
single call into the application with the authenticated actor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import orjson
from fastapi import Request
from starlette.responses import Response

from ledger.errors import LedgerError

from .problems import Problem
from .security import require
from .services import Services
from .users import User


def expected_version(request: Request, body_value: int | None) -> int | None:
    """The version the caller acted on: ``If-Match: "3"`` or the body's field."""
    header = request.headers.get("if-match")
    if header:
        tag = header.strip().removeprefix("W/").strip('"')
        if not tag.isdigit():
            raise Problem(
                400,
                "invalid-request",
                'If-Match 应为案卷版本号，例如 "3"',
                'If-Match must be a case version such as "3"',
            )
        return int(tag)
    return body_value


async def run_command(
    request: Request,
    user: User,
    action: str,
    call: Callable[[], dict[str, Any]],
    *,
    status: int = 200,
) -> Response:
    services: Services = request.app.state.services
    require(user, action)
    key = request.headers.get("idempotency-key")
    if key:
        fingerprint = services.idempotency.fingerprint(
            request.method, request.url.path, await request.body()
        )
        earlier = services.idempotency.claim(user.username, key, fingerprint)
        if earlier is not None:
            if earlier["request_hash"] != fingerprint:
                raise Problem(422, "idempotency-mismatch")
            if earlier["status"] is None:
                raise Problem(
                    409,
                    "conflict",
                    "同一请求正在处理中，请稍后重试",
                    "the same request is still being processed; retry shortly",
                )
            return Response(
                str(earlier["body"]).encode(),
                status_code=int(earlier["status"]),
                media_type="application/json",
                headers={"idempotent-replay": "true"},
            )
    try:
        result = call()
    except Exception as error:
        if isinstance(error, LedgerError | Problem):
            services.metrics.commands_refused += 1
        if key:
            services.idempotency.release(user.username, key)
        raise
    services.metrics.commands_recorded += 1
    if key:
        services.idempotency.complete(user.username, key, status, result)
    headers = {"etag": f'"{result["version"]}"'} if "version" in result else {}
    return Response(
        orjson.dumps(result), status_code=status, media_type="application/json", headers=headers
    )


async def run_step(
    request: Request,
    user: User,
    action: str,
    aggregate_id: UUID,
    body: Any,
    **fields: Any,
) -> Response:
    """A command on an existing aggregate: the ledger method named ``action`` is called
    with the actor, the body's business time, expected version and justification."""
    services: Services = request.app.state.services
    method = getattr(services.ledger, action)
    version = expected_version(request, body.expected_version)

    def call() -> dict[str, Any]:
        new_version = method(
            user.actor,
            body.occurred_at,
            aggregate_id,
            expected_version=version,
            justification=body.justification,
            **fields,
        )
        return {"id": str(aggregate_id), "version": new_version}

    return await run_command(request, user, action, call, status=200)
