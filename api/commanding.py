"""The one path every command route takes: body to command, idempotency, one ledger call.

A route parses its body (a schema of ``api.schemas`` whose fields are the command's)
and hands ``run_command`` the command type, the body and the ids its path names. Here
the command object is built (``to_command``), ``If-Match`` decides its expected version,
and the ledger judges it with the user's actor and scope: permission, scope on every id
it names, the sector rules, the state machine. A refusal maps to its problem (403, 404,
409/412, 422) and records nothing. The command goes through the process's
``GroupCommitter`` (``ledger.group_commit``): requests arriving together share one
durable commit, and each is answered only after it, with exactly what
``HazardLedger.execute`` would have answered it alone.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from fastapi import Request
from pydantic import BaseModel
from starlette.responses import Response

from ledger.bounds import INT64_MAX
from ledger.commands import ChangePrincipal, Command, OnRecord
from ledger.enterprise import Person
from ledger.errors import LedgerError
from ledger.hazard import RectificationPlan
from ledger.idempotency import IdempotencyRecord, KeyAlreadyAnswered
from ledger.permissions import NotPermitted

from .problems import Problem
from .schemas import PersonBody, PlanBody
from .services import Services
from .users import User

#: Nested bodies and the domain values they stand for.
_VALUES: dict[type[BaseModel], type[Any]] = {PersonBody: Person, PlanBody: RectificationPlan}


#: An Idempotency-Key: visible ASCII, at most this long (a UUID is 36).
IDEMPOTENCY_KEY_MAX = 255


def _bad_header(header: str, rule: str, zh: str, en: str) -> Problem:
    violation = {"rule": rule, "field": header, "message_zh": zh, "message_en": en}
    return Problem(
        400, "invalid-request", zh, en, extra={"violations": [violation], "recorded": False}
    )


def expected_version(request: Request, body_value: int | None) -> int | None:
    """The version the caller acted on: ``If-Match: "3"`` or the body's field.

    Only ASCII digits that fit the version column are a version: anything else
    (non-ASCII digits, thousands of them) is a malformed header, never a server error.
    """
    header = request.headers.get("if-match")
    if header:
        tag = header.strip().removeprefix("W/").strip('"')
        if not (tag.isascii() and tag.isdigit() and len(tag) <= 19 and int(tag) <= INT64_MAX):
            raise _bad_header(
                "If-Match",
                "IF_MATCH_NOT_A_VERSION",
                'If-Match 应为案卷版本号，例如 "3"',
                'If-Match must be a case version such as "3"',
            )
        return int(tag)
    return body_value


def idempotency_key(request: Request) -> str | None:
    """The request's ``Idempotency-Key``, if it sent one: 1 to ``IDEMPOTENCY_KEY_MAX``
    visible ASCII characters (it is stored and compared, so it is bounded like any text)."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not (0 < len(key) <= IDEMPOTENCY_KEY_MAX and all("!" <= ch <= "~" for ch in key)):
        raise _bad_header(
            "Idempotency-Key",
            "IDEMPOTENCY_KEY_MALFORMED",
            f"Idempotency-Key 须为 1 至 {IDEMPOTENCY_KEY_MAX} 个可见 ASCII 字符（例如 UUID）",
            f"Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters "
            "(a UUID, say)",
        )
    return key


def _value(value: Any) -> Any:
    if isinstance(value, BaseModel) and type(value) in _VALUES:
        return _VALUES[type(value)](**value.model_dump())
    return value


def to_command(
    request: Request, command_type: type[Command], body: BaseModel, **ids: Any
) -> Command:
    """The command ``body`` asks for: its fields are the command's, the path adds the
    ids, and ``If-Match`` (on a command that acts on an existing record) its version.

    A command that creates a record has no current version to match: ``If-Match``
    there (other than ``*``) is a precondition that cannot hold, so it is refused (412).
    """
    values = {name: _value(getattr(body, name)) for name in type(body).model_fields}
    if issubclass(command_type, OnRecord | ChangePrincipal):
        values["expected_version"] = expected_version(request, values.get("expected_version"))
    elif request.headers.get("if-match", "*").strip() != "*":
        raise Problem(
            412,
            "precondition-failed",
            "该命令新建记录，没有可匹配的版本（If-Match）",
            "this command creates a record: there is no version for If-Match to match",
        )
    return command_type(**values, **ids)


async def run_command(
    request: Request,
    services: Services,
    user: User,
    command_type: type[Command],
    body: BaseModel,
    *,
    status: int = 200,
    **ids: Any,
) -> Response:
    """Record the command ``body`` (and the path's ``ids``) asks for, as ``user``, in the
    user's scope; answer ``{"id", "version"}`` with the new version as ETag."""
    command = to_command(request, command_type, body, **ids)
    key = idempotency_key(request)
    record: IdempotencyRecord | None = None
    if key:
        fingerprint = services.idempotency.fingerprint(
            request.method, request.url.path, await request.body()
        )
        record = IdempotencyRecord(user.username, key, fingerprint, status)
        earlier = services.idempotency.claim(user.username, key, fingerprint)
        if earlier is not None:
            return _replay(record, earlier)
    # The answer is stored under the key by the commit that records the command; the
    # request waits for that commit without holding the event loop. Shielded: a client
    # that goes away does not withdraw a command already handed over (nor leave its key
    # claimed), as it could not while the write ran on the loop.
    try:
        committed = services.committer.submit_async(
            command, user.actor, user.scope, idempotency=record
        )
        recorded = await asyncio.shield(committed)
    except KeyAlreadyAnswered as answered:  # another attempt finished first
        mine = answered.record
        earlier = services.idempotency.claim(mine.username, mine.key, mine.fingerprint)
        assert earlier is not None  # an answered key is never freed
        return _replay(mine, earlier)
    except Exception as error:
        if isinstance(error, LedgerError | Problem):
            services.metrics.commands_refused += 1
        if key:
            services.idempotency.release(user.username, key)
        if isinstance(error, NotPermitted):
            raise Problem(403, "forbidden", error.message("zh"), error.message("en")) from None
        raise
    services.metrics.commands_recorded += 1
    result = {"id": str(recorded.id), "version": recorded.version}
    return Response(
        orjson.dumps(result),
        status_code=status,
        media_type="application/json",
        headers={"etag": _etag(result)},
    )


def _replay(record: IdempotencyRecord, earlier: dict[str, Any]) -> Response:
    """The answer a request whose key was used before gets: the stored one, or a
    refusal when the key names another request or its first attempt is still running."""
    if earlier["request_hash"] != record.fingerprint:
        raise Problem(422, "idempotency-mismatch")
    if earlier["status"] is None:
        raise Problem(
            409,
            "conflict",
            "同一请求正在处理中，请稍后重试",
            "the same request is still being processed; retry shortly",
        )
    stored = str(earlier["body"]).encode()
    return Response(
        stored,
        status_code=int(earlier["status"]),
        media_type="application/json",
        headers={"idempotent-replay": "true", "etag": _etag(orjson.loads(stored))},
    )


def _etag(result: dict[str, Any]) -> str:
    """The ETag of a command's answer: the version it recorded (a replay answers the
    original's, so a retried write and the first one tell the client the same)."""
    return f'"{result["version"]}"'
