"""Every HTTP route of the service, in a table that says which property covers it.

``READ_ROUTES`` (GET) and ``WRITE_ROUTES`` (POST) are what the time, scope and write
properties walk; ``EXEMPT`` names the few routes no property applies to, each with the
reason. ``test_route_coverage`` fails when the application has a route in none of them,
so a new route cannot escape the properties by being forgotten here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReadRoute:
    """A GET route: what its path names, whether it must answer ``known_at``, and
    whether it answers it from a read-model snapshot (built first) or from events."""

    names: str
    """What the path or the required query names: case, enterprise, inspection, action,
    or "" for list routes."""
    time: bool = True
    read_model: bool = False
    why_not_time: str = ""


READ_ROUTES: dict[str, ReadRoute] = {
    "/hazards/{case_id}": ReadRoute("case"),
    "/hazards/{case_id}/timeline": ReadRoute("case"),
    "/hazards/{case_id}/actions": ReadRoute("case"),
    "/hazards/{case_id}/findings": ReadRoute("case"),
    "/hazards/{case_id}/suggestions": ReadRoute("case"),
    "/hazards/{case_id}/proofs": ReadRoute("case"),
    "/hazards/{case_id}/bundle": ReadRoute("case"),
    "/checkpoints": ReadRoute(""),
    "/checkpoints/latest": ReadRoute(""),
    "/checkpoint": ReadRoute(""),
    "/enterprises/{credit_code}": ReadRoute("enterprise"),
    "/inspections/{inspection_id}": ReadRoute("inspection"),
    "/enforcement/{action_id}": ReadRoute("action"),
    "/review": ReadRoute("enterprise"),
    "/register": ReadRoute("", read_model=True),
    "/reports/monthly": ReadRoute("", read_model=True),
    "/statistics/trend": ReadRoute("", read_model=True),
    "/rankings": ReadRoute("", read_model=True),
    "/measures": ReadRoute("", read_model=True),
    "/inspections": ReadRoute("", read_model=True),
    "/risk-points": ReadRoute("", read_model=True),
    "/public-reports": ReadRoute("", read_model=True),
    "/register/count": ReadRoute("", read_model=True),
    "/register/export": ReadRoute("", read_model=True),
    "/reports/campaign/sources": ReadRoute("", read_model=True),
    "/reports/campaign/listings": ReadRoute("", read_model=True),
    "/reports/campaign/enforcement": ReadRoute("", read_model=True),
    "/reports/campaign/effort": ReadRoute("", read_model=True),
    "/reports/campaign/accidents": ReadRoute("", read_model=True),
}


@dataclass(frozen=True)
class WriteRoute:
    """A POST route: the command it records and every id (or scope-deciding value) its
    path or body names."""

    command: str
    slots: tuple[str, ...]
    """path:<name> for a path parameter, body:<field> for a body field."""
    versioned: bool = True
    """A command on an existing aggregate: ``If-Match`` must be honoured."""


def _case_step(command: str) -> WriteRoute:
    return WriteRoute(command, ("path:case_id",))


WRITE_ROUTES: dict[str, WriteRoute] = {
    "/enterprises": WriteRoute(
        "register_enterprise", ("body:region_code", "body:sectors"), versioned=False
    ),
    "/enterprises/{credit_code}/principal": WriteRoute("change_principal", ("path:credit_code",)),
    "/responsibilities": WriteRoute(
        "assign_responsibility", ("body:region_code", "body:sector"), versioned=False
    ),
    "/inspections": WriteRoute(
        "record_inspection", ("body:enterprise_code", "body:sector"), versioned=False
    ),
    "/hazards": WriteRoute(
        "report_hazard",
        ("body:enterprise_code", "body:sector", "body:inspection_id"),
        versioned=False,
    ),
    "/hazards/{case_id}/grade": _case_step("grade_hazard"),
    "/hazards/{case_id}/rectify-on-spot": _case_step("rectify_on_spot"),
    "/hazards/{case_id}/assign": _case_step("assign_rectification"),
    "/hazards/{case_id}/plan": _case_step("file_plan"),
    "/hazards/{case_id}/interim-controls": _case_step("record_interim_controls"),
    "/hazards/{case_id}/extend": _case_step("extend_deadline"),
    "/hazards/{case_id}/list": _case_step("list_for_supervision"),
    "/hazards/{case_id}/delist": _case_step("delist"),
    "/hazards/{case_id}/escalate": _case_step("escalate"),
    "/hazards/{case_id}/rectification": _case_step("report_rectification"),
    "/hazards/{case_id}/assessment": _case_step("file_assessment"),
    "/hazards/{case_id}/verify": _case_step("verify_rectification"),
    "/hazards/{case_id}/close": _case_step("close_hazard"),
    "/hazards/{case_id}/reopen": _case_step("reopen_hazard"),
    "/hazards/{case_id}/dismiss": _case_step("dismiss_false_alarm"),
    "/enforcement": WriteRoute(
        "issue_action",
        ("body:enterprise_code", "body:sector", "body:case_ids"),
        versioned=False,
    ),
    "/enforcement/{action_id}/execute": WriteRoute("execute_action", ("path:action_id",)),
    "/enforcement/{action_id}/lift": WriteRoute("lift_action", ("path:action_id",)),
    "/enforcement/{action_id}/revoke": WriteRoute("revoke_action", ("path:action_id",)),
    "/enforcement/{action_id}/observed-activity": WriteRoute(
        "record_observed_activity", ("path:action_id", "body:inspection_id")
    ),
    "/accidents": WriteRoute(
        "record_accident", ("body:enterprise_code", "body:sector"), versioned=False
    ),
}

#: The generated world has no risk points or public reports yet; these routes' scope,
#: known_at, If-Match and refusals are held by tests/api_tests/test_risk_and_report_routes.py.
_RISK_AND_REPORTS = "risk points and public reports: covered by their own route tests"

EXEMPT: dict[tuple[str, str], str] = {
    ("GET", "/health"): "liveness for load balancers, unauthenticated; no ledger content",
    ("GET", "/metrics"): "operators' counters, no ledger content",
    ("GET", "/me"): "the caller's own account",
    ("GET", "/plugins"): "installed sector plugins and catalogues: public reference data",
    ("GET", "/labels"): "the label catalogue: public reference data, no ledger content",
    ("POST", "/evidence"): "stores a file and records no event; the command citing it is checked",
    ("GET", "/evidence/{sha256}"): "names a file hash, seen through its citing cases' scope "
    "(tests/evidence_tests: out of scope answered exactly like an unknown hash)",
    ("GET", "/evidence/{sha256}/page"): "as /evidence/{sha256}, a smaller photo",
    ("GET", "/p/{leaf_hash}"): "a printed paper's short link: public like /checkpoint, named by "
    "128 bits of leaf hash, its answer proves itself (tests/document_tests/test_short_links.py)",
    ("POST", "/verify-print"): "judges the uploaded paper with the server's trusted keys; "
    "records nothing and names no id (tests/document_tests/test_short_links.py)",
    ("GET", "/verify"): "the static page that scans a paper's QR code (it calls /verify-print)",
    ("GET", "/snapshots"): "state of the snapshot builder, no ledger content",
    ("POST", "/snapshots"): "builds read-model tables; records no event, names no id",
    ("POST", "/bundles/verify"): "checks the bundle in the request body; reads no ledger",
    ("GET", "/users"): "accounts, not ledger content; administrators only (MANAGE_USERS)",
    ("POST", "/users"): "creates an account, records no event; administrators only",
    ("POST", "/users/{username}/revoke"): "account token management; administrators only",
    ("POST", "/users/{username}/reissue"): "account token management; administrators only",
    ("GET", "/field"): "the static phone page (it calls the routes above)",
    ("GET", "/risk-points/{risk_point_id}"): _RISK_AND_REPORTS,
    ("POST", "/risk-points"): _RISK_AND_REPORTS,
    ("POST", "/risk-points/{risk_point_id}/reassess"): _RISK_AND_REPORTS,
    ("POST", "/risk-points/{risk_point_id}/controls"): _RISK_AND_REPORTS,
    ("POST", "/risk-points/{risk_point_id}/controls/retire"): _RISK_AND_REPORTS,
    ("POST", "/risk-points/{risk_point_id}/failed-controls"): _RISK_AND_REPORTS,
    ("GET", "/public-reports/{report_id}"): _RISK_AND_REPORTS,
    ("POST", "/public-reports"): _RISK_AND_REPORTS,
    ("POST", "/public-reports/{report_id}/verify"): _RISK_AND_REPORTS,
    ("POST", "/public-reports/{report_id}/founded"): _RISK_AND_REPORTS,
    ("POST", "/public-reports/{report_id}/unfounded"): _RISK_AND_REPORTS,
    ("POST", "/public-reports/{report_id}/reward"): _RISK_AND_REPORTS,
    ("POST", "/public-reports/{report_id}/identity"): _RISK_AND_REPORTS,
    ("POST", "/public-reports/{report_id}/identity/erase"): _RISK_AND_REPORTS,
    ("GET", "/openapi.json"): "the API description",
    ("GET", "/docs"): "the API description",
    ("GET", "/docs/oauth2-redirect"): "the API description",
    ("GET", "/redoc"): "the API description",
    ("GET", "/"): "the static web page (it calls the routes above)",
    ("MOUNT", "/static"): "the web page's static files",
}


def app_routes(routes: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, through included routers of any depth."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            context = getattr(route, "include_context", None)
            inner = prefix + str(getattr(context, "prefix", "") or "")
            yield from app_routes(original.routes, inner)
            continue
        methods = getattr(route, "methods", None)
        path = getattr(route, "path", None)
        if path is None:
            continue
        if methods is None:  # a mount (the static web page): walk inside when it has routes
            sub = getattr(route, "routes", None) or []
            if sub:
                yield from app_routes(sub, prefix + path)
            else:
                yield ("MOUNT", prefix + path)
            continue
        for method in sorted(methods):
            if method != "HEAD":
                yield (method, prefix + path)
