"""Ids of new records are the server's to choose over HTTP (issue 14: no answer may tell
an out-of-scope id from a random one).

A create route that accepted a client-chosen id answered 409 when the id was taken by a
record in any scope and 201 for a random one, revealing that the id exists somewhere.
Every create route now refuses an id field (422, the field named, nothing recorded),
the same whether the id is taken or not; trusted callers (the Python API, the workbook
importer, the demo) keep choosing theirs through the command objects.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest

from ledger import commands as c

from .conftest import FAR_AWAY, RESTAURANT, Api, hazard_body, report

#: Every command field that names the record the command creates.
CREATED_IDS: dict[type[c.Command], str] = {
    c.RecordInspection: "inspection_id",
    c.ReportHazard: "case_id",
    c.IssueAction: "action_id",
    c.AddMeasure: "measure_id",
    c.RegisterRiskPoint: "risk_point_id",
    c.ReceivePublicReport: "report_id",
    c.FindReportFounded: "case_id",
    c.RecordAccident: "accident_id",
}
#: Optional id fields that name an existing record (scope-checked by ``names()``).
REFERENCES = {(c.ReportHazard, "inspection_id"), (c.RecordObservedActivity, "inspection_id")}
#: Commands with a created id and no HTTP route at all.
NO_ROUTE = {c.AddMeasure: "measures are recorded through the Python API and the CLI only"}


def _public_report(api: Api) -> str:
    r = api.post(
        "department",
        "/public-reports",
        {
            "occurred_at": api.now(),
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "channel": "hotline",
            "content": "餐馆燃气泄漏",
        },
    )
    assert r.status_code == 201, r.text
    rid = str(r.json()["id"])
    verified = api.post(
        "inspector", f"/public-reports/{rid}/verify", {"occurred_at": api.now(), "findings": "查实"}
    )
    assert verified.is_success, verified.text
    return rid


Request = tuple[str, str, dict[str, Any]]  # who, path, body


def _hazard(api: Api) -> Request:
    return "inspector", "/hazards", hazard_body(api)


def _inspection(api: Api) -> Request:
    body = {"enterprise_code": RESTAURANT, "sector": "city_gas", "inspection_type": "routine"}
    return "inspector", "/inspections", {"occurred_at": api.now(), **body, "team": ["张建国"]}


def _action(api: Api) -> Request:
    return (
        "inspector",
        "/enforcement",
        {
            "occurred_at": api.now(),
            "kind": "warning_letter",
            "document_number": "静应急〔2026〕001号",
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "department": "县住建局",
            "legal_basis": "《中华人民共和国安全生产法》",
        },
    )


def _accident(api: Api) -> Request:
    return (
        "department",
        "/accidents",
        {
            "occurred_at": api.now(),
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "place": "后厨",
            "description": "燃气爆燃",
        },
    )


def _risk_point(api: Api) -> Request:
    return (
        "department",
        "/risk-points",
        {
            "occurred_at": api.now(),
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "name": "后厨燃气灶区",
            "location": "后厨",
            "level": "general",
            "controls": ["泄漏报警"],
        },
    )


def _received(api: Api) -> Request:
    body = {"enterprise_code": RESTAURANT, "sector": "city_gas", "channel": "hotline"}
    return "department", "/public-reports", {"occurred_at": api.now(), **body, "content": "泄漏"}


def _founded(api: Api) -> Request:
    rid = _public_report(api)
    body = {"reasons": "属实", "location": "后厨", "description": "燃气泄漏"}
    return "department", f"/public-reports/{rid}/founded", {"occurred_at": api.now(), **body}


#: Each create route: the command it records, its created-id field, a valid request.
CREATE_ROUTES: dict[str, tuple[type[c.Command], Callable[[Api], Request]]] = {
    "POST /hazards": (c.ReportHazard, _hazard),
    "POST /inspections": (c.RecordInspection, _inspection),
    "POST /enforcement": (c.IssueAction, _action),
    "POST /accidents": (c.RecordAccident, _accident),
    "POST /risk-points": (c.RegisterRiskPoint, _risk_point),
    "POST /public-reports": (c.ReceivePublicReport, _received),
    "POST /public-reports/{report_id}/founded": (c.FindReportFounded, _founded),
}


def test_every_created_id_field_is_known_and_every_creating_command_has_its_route() -> None:
    """A new command with an optional id must be placed here, so its route is checked."""
    commands = [k for k in vars(c).values() if isinstance(k, type) and issubclass(k, c.Command)]
    for command in commands:
        for f in dataclasses.fields(command):
            if f.default is None and re.fullmatch(r"UUID \| None", str(f.type)):
                assert CREATED_IDS.get(command) == f.name or (command, f.name) in REFERENCES, (
                    f"{command.__name__}.{f.name}: a created id or a reference? list it here"
                )
    routed = {command for command, _ in CREATE_ROUTES.values()}
    assert routed | set(NO_ROUTE) == set(CREATED_IDS)


@pytest.mark.parametrize("route", sorted(CREATE_ROUTES))
def test_no_create_route_documents_an_id_field(api: Api, route: str) -> None:
    command, _ = CREATE_ROUTES[route]
    method, path = route.split(" ")
    document = api.client.get("/openapi.json").json()
    ref = document["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]
    schema = document["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[1]]
    assert CREATED_IDS[command] not in schema["properties"]
    assert schema.get("additionalProperties") is False


@pytest.mark.parametrize("route", sorted(CREATE_ROUTES))
def test_a_client_chosen_id_is_refused_alike_whether_taken_or_not(api: Api, route: str) -> None:
    command, build = CREATE_ROUTES[route]
    field = CREATED_IDS[command]
    taken = report(api, "far_inspector", FAR_AWAY)  # a record outside the writer's county
    random = str(uuid4())
    answers = []
    for chosen in (taken, random):
        who, path, body = build(api)
        before = api.ledger.recorder.max_notification_id()
        r = api.post(who, path, {**body, field: chosen}, **{"Accept-Language": "en"})
        assert api.ledger.recorder.max_notification_id() == before, f"{route}: recorded"
        assert r.status_code == 422, f"{route} {field}={chosen}: {r.status_code} {r.text}"
        violations = r.json()["violations"]
        assert [(v["field"], v["message"]) for v in violations] == [(field, "field not allowed")]
        answers.append(r.text.replace(chosen, "<id>").replace(path, "<path>"))
        assert api.post(who, path, body).is_success, f"{route} without {field}"
    assert answers[0] == answers[1]
