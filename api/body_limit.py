"""One bound on every HTTP request body, before anything reads or parses it.

A command body is JSON of a few kilobytes; without a bound an 80 MB body was read into
memory and parsed before any rule could refuse it. ``BodyLimit`` (a plain ASGI
middleware, so it costs nothing per request beyond a header lookup) refuses a body
larger than its route's bound with 413 problem details: at once when ``Content-Length``
declares too much, else as soon as the bytes streamed in pass the bound.

The few routes that take files carry their own, larger bound here, a little above the
limit their own reader enforces, so that their own refusal (with its own message) still
answers a file just over it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledger.integrity.bundle import MAX_BUNDLE_BYTES

from .evidence import LIMIT_BYTES as EVIDENCE_BYTES
from .problems import Problem, problem_response
from .routes.print_links import MAX_UPLOAD_BYTES as PAPER_BYTES

MIB = 1024 * 1024

#: Every request body: a command's JSON is far smaller.
JSON_BODY_BYTES = MIB

#: Routes that take a file, with the bound on their whole body: their reader's own
#: limit, plus room for the multipart framing and the one byte that tells "too large".
FILE_BODY_BYTES: dict[tuple[str, str], int] = {
    ("POST", "/evidence"): EVIDENCE_BYTES + MIB,
    ("POST", "/verify-print"): PAPER_BYTES + MIB,
    ("POST", "/bundles/verify"): MAX_BUNDLE_BYTES + MIB,
}


def body_bound(method: str, path: str) -> int:
    """The most bytes a request to ``path`` may carry."""
    return FILE_BODY_BYTES.get((method, path), JSON_BODY_BYTES)


class _TooLarge(Exception):
    """Raised into the application when the streamed body passes its bound."""


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class BodyLimit:
    """Refuse a request body larger than ``body_bound`` of its route (413)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bound = body_bound(scope["method"], scope["path"])
        declared = _declared_length(scope)
        if declared is not None and declared > bound:
            await self._refuse(scope, bound, send)
            return
        received = 0
        exceeded = False
        answered = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > bound:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # A framework may turn the interrupted read into its own error answer:
            # once the bound is passed, the answer is ours.
            nonlocal answered
            if exceeded:
                if not answered:
                    answered = True
                    await self._refuse(scope, bound, send)
                return
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            if answered:
                return
            answered = True
            await self._refuse(scope, bound, send)

    @staticmethod
    async def _refuse(scope: Scope, bound: int, send: Send) -> None:
        size = f"{bound / MIB:g} MB" if bound >= MIB else f"{bound} bytes"
        problem = Problem(
            413,
            "too-large",
            f"请求体超过 {size} 上限，未读取、未记录任何内容",
            f"the request body is larger than the {size} limit; nothing was read or recorded",
        )

        async def no_body() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        response = problem_response(Request(scope, no_body), problem)
        await response(scope, no_body, send)
