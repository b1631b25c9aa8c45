"""The hottest write, a hazard report, answered before FastAPI's request machinery.

Grid patrols, sensor alarms and field inspections all report hazards: it is the command
that arrives most often and in bursts. FastAPI routes each request through every
declared route, solves the route's dependencies and validates the body; for a report
that cost more than judging and recording the command. ``HotWrites`` takes
``POST /hazards`` itself when the request is an ordinary one — a bearer token that
someone holds, a JSON body that parses and validates under the route's own schema, no
``If-Match`` and no query string — and then does exactly what the route does: the same
``run_command`` (idempotency, the command built by ``to_command``, the ledger's one
``execute`` through the group committer), and for a refusal the application's own
exception handlers. Anything else — no token or an unknown one, a body that does not
parse or validate — goes on, body and all, to the full application, which gives the
documented answer and error. The route stays declared in FastAPI, so the OpenAPI
document and the behaviour are one. See decision record 0037 (and 0015 for reads).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledger import commands as c

from .commanding import run_command
from .hot_reads import bearer_token
from .schemas import ReportHazard
from .users import hash_token, holder

REPORT_PATH = "/hazards"


class HotWrites:
    """ASGI middleware: the report route's work, without FastAPI's routing and
    dependency solving."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._route: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == REPORT_PATH
            and not scope["query_string"]
            and _ordinary_headers(scope)
        ):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        replay = _replaying(body, receive)
        unexpected = None
        try:
            response = await self._report(scope, body, replay)
        except Exception as error:
            response, unexpected = await _handled(scope["app"], Request(scope, replay), error)
        if response is None:
            await self.app(scope, replay, send)
            return
        scope["route"] = self._report_route(scope)  # for the request counter
        await response(scope, replay, send)
        if unexpected is not None:
            # As Starlette's ServerErrorMiddleware does: answered, then raised on to
            # the server, which logs it.
            raise unexpected

    async def _report(self, scope: Scope, body: bytes, receive: Receive) -> Response | None:
        services: Any = getattr(scope["app"].state, "services", None)
        token = bearer_token(scope)
        if services is None or token is None:
            return None
        try:
            # Starlette's own parser (``Request.json``): orjson would read an integer
            # wider than 64 bits as a float, where the route sees the integer.
            data = json.loads(body)
            report = ReportHazard.model_validate(data) if isinstance(data, dict) else None
        except Exception:  # the full application gives this request its answer
            return None
        if report is None:
            return None
        row = await services.lookups().user(hash_token(token))
        user = None if row is None else holder(row, now=services.ledger.clock())
        if user is None:
            return None
        request = Request(scope, receive)
        return await run_command(request, services, user, c.ReportHazard, report, status=201)

    def _report_route(self, scope: Scope) -> Any:
        if self._route is None:
            for route in scope["app"].router.routes:
                if route.matches(scope)[0] is Match.FULL:
                    self._route = route
                    break
        return self._route


def _ordinary_headers(scope: Scope) -> bool:
    """A JSON body, and no precondition (``If-Match`` on a create is the route's 412)."""
    json = False
    for name, value in scope["headers"]:
        if name == b"if-match":
            return False
        if name == b"content-type":
            json = value.split(b";", 1)[0].strip().lower() == b"application/json"
    return json


async def _read_body(receive: Receive) -> bytes:
    """The whole body (``BodyLimit``, outside, bounds it and answers 413 itself)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, then what the connection gives."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _handled(
    app: Any, request: Request, error: Exception
) -> tuple[Response, Exception | None]:
    """The answer the application's exception handlers give ``error``, as Starlette
    looks them up (the first class of its MRO with a handler), and the error itself if
    only the catch-all handler took it: that one's error goes on to the server."""
    handlers = app.exception_handlers
    for cls in type(error).__mro__:
        handler = handlers.get(cls)
        if handler is not None:
            response: Response = await handler(request, error)
            return response, error if cls in (Exception, BaseException) else None
    raise error
