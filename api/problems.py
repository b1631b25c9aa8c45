"""RFC 9457 problem details, in the reader's language.

Every refusal the service gives is ``application/problem+json`` with a stable ``type``,
a ``title`` and ``detail`` in Chinese or English (by ``Accept-Language``, Chinese by
default), and, for broken rules, a ``violations`` list naming each rule and field. A
refused command has recorded nothing; the body says so.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from uuid import uuid4

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ledger.bounds import OutOfBounds, moment_violations
from ledger.errors import ConcurrentChange, NotFound, PluginError, RuleViolated

_log = logging.getLogger(__name__)

PROBLEM_BASE = "urn:hazard-ledger:problem:"
MEDIA_TYPE = "application/problem+json"

_TITLES: dict[str, tuple[str, str]] = {
    "rule-violated": (
        "命令违反规则，未记录任何内容",
        "The command broke a rule; nothing was recorded",
    ),
    "invalid-request": (
        "请求格式不正确，未记录任何内容",
        "The request is malformed; nothing was recorded",
    ),
    "not-found": ("未找到", "Not found"),
    "snapshot-missing": (
        "尚无该时点的读模型快照",
        "No read-model snapshot for that moment",
    ),
    "read-model-not-ready": ("读模型尚未就绪", "The read model is not ready"),
    "snapshot-busy": (
        "另一时点的快照正在生成",
        "A snapshot at another moment is being built",
    ),
    "plugin-failed": (
        "行业插件出错，命令未记录",
        "A sector plugin failed; nothing was recorded",
    ),
    "conflict": (
        "记录已被他人修改，请刷新后重试",
        "The record changed under you; reload and retry",
    ),
    "precondition-failed": (
        "版本不匹配，记录已被他人修改",
        "Version mismatch: the record has changed",
    ),
    "unauthenticated": ("需要登录（Bearer 令牌）", "Authentication required (bearer token)"),
    "forbidden": ("当前角色无权执行此操作", "Your role may not do this"),
    "internal-error": ("服务器内部错误", "Internal server error"),
    "too-large": ("请求体过大", "The request body is too large"),
    "idempotency-mismatch": (
        "同一幂等键已用于不同的请求",
        "This Idempotency-Key was used for a different request",
    ),
}


def language(request: Request) -> str:
    """``en`` when the reader prefers English, else ``zh``."""
    best, best_q = "zh", -1.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, q = part.strip().partition(";q=")
        if not tag:
            continue
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if weight > best_q:
            best, best_q = ("en" if tag.lower().startswith("en") else "zh"), weight
    return best


class Problem(Exception):
    """An HTTP problem raised by a route or dependency."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail_zh: str = "",
        detail_en: str = "",
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail_en or kind)
        self.status = status
        self.kind = kind
        self.detail_zh = detail_zh
        self.detail_en = detail_en
        self.headers = headers or {}
        self.extra = extra or {}


def problem_response(request: Request, problem: Problem) -> Response:
    lang = language(request)
    zh_title, en_title = _TITLES.get(problem.kind, (problem.kind, problem.kind))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + problem.kind,
        "title": en_title if lang == "en" else zh_title,
        "status": problem.status,
        "instance": request.url.path,
    }
    detail = problem.detail_en if lang == "en" else problem.detail_zh
    if detail:
        body["detail"] = detail
    body.update(problem.extra)
    if isinstance(body.get("violations"), list):
        body["violations"] = [_localised(v, lang) for v in body["violations"]]
    return Response(
        orjson.dumps(body),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers={"content-language": lang, **problem.headers},
    )


def _localised(violation: Any, lang: str) -> Any:
    """A violation given in both languages, with its ``message`` in the reader's."""
    if isinstance(violation, dict) and "message" not in violation and "message_zh" in violation:
        return {**violation, "message": violation["message_en" if lang == "en" else "message_zh"]}
    return violation


def from_rule_violated(error: RuleViolated, lang: str) -> Problem:
    violations = [
        {"rule": v.rule, "field": v.field, "message": v.message(lang)} for v in error.violations
    ]
    return Problem(
        422,
        "rule-violated",
        "；".join(v.message_zh for v in error.violations),
        "; ".join(v.message_en for v in error.violations),
        extra={"violations": violations, "recorded": False},
    )


def _violations(err: Mapping[str, Any], lang: str) -> list[dict[str, str]]:
    """The violations one request-validation error stands for: a value outside the
    ledger's bounds (``ledger.bounds``, raised while parsing) keeps its rule and its
    bilingual message; any other parse error is named by its type."""
    cause = err.get("ctx", {}).get("error")
    name = ".".join(str(p) for p in err.get("loc", ())[1:])
    if isinstance(cause, OutOfBounds) and cause.moment is not None and name:
        # The parser learns the parameter's name only here: judge the moment as it.
        cause = OutOfBounds(moment_violations(name, cause.moment) or cause.violations)
    if isinstance(cause, RuleViolated):
        return [
            {"rule": v.rule, "field": v.field, "message": v.message(lang)} for v in cause.violations
        ]
    msg = str(err.get("msg", ""))
    zh = f"字段格式不正确：{msg}"
    if err.get("type") == "extra_forbidden":  # ids of new records among them: the server's
        msg, zh = "field not allowed", "不接受该字段"
    return [
        {
            "rule": "REQUEST_" + str(err.get("type", "invalid")).upper(),
            "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
            "message": msg if lang == "en" else zh,
        }
    ]


def install(app: Any) -> None:
    """Map domain and framework errors to problem details."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return problem_response(request, exc)

    async def on_rule(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RuleViolated)
        return problem_response(request, from_rule_violated(exc, language(request)))

    async def on_not_found(request: Request, exc: Exception) -> Response:
        return problem_response(request, Problem(404, "not-found"))

    async def on_conflict(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConcurrentChange)
        status, kind = (
            (412, "precondition-failed")
            if request.headers.get("if-match")
            else (
                409,
                "conflict",
            )
        )
        return problem_response(
            request, Problem(status, kind, exc.message_zh, str(exc), extra={"recorded": False})
        )

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        lang = language(request)
        violations = [violation for err in exc.errors() for violation in _violations(err, lang)]
        return problem_response(
            request,
            Problem(422, "invalid-request", extra={"violations": violations, "recorded": False}),
        )

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        kind = {404: "not-found", 401: "unauthenticated", 403: "forbidden"}.get(
            exc.status_code, "http-error"
        )
        return problem_response(
            request, Problem(exc.status_code, kind, str(exc.detail), str(exc.detail))
        )

    async def on_plugin(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PluginError)
        return problem_response(
            request,
            Problem(
                500,
                "plugin-failed",
                exc.message("zh"),
                exc.message("en"),
                extra={"plugin": exc.plugin, "recorded": False},
            ),
        )

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # The exception and its traceback go to the server's log only: the body names
        # no internals, just a reference to find the log entry by.
        reference = uuid4().hex[:12]
        _log.error(
            "unhandled error %s on %s %s",
            reference,
            request.method,
            request.url.path,
            exc_info=exc,
        )
        return problem_response(
            request,
            Problem(
                500,
                "internal-error",
                f"服务器内部错误，已记录（编号 {reference}），请联系管理员",
                f"internal server error, logged as {reference}; contact the administrator",
                extra={"reference": reference},
            ),
        )

    app.add_exception_handler(Exception, on_unexpected)
    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(PluginError, on_plugin)
    app.add_exception_handler(RuleViolated, on_rule)
    app.add_exception_handler(NotFound, on_not_found)
    app.add_exception_handler(ConcurrentChange, on_conflict)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
