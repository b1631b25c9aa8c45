"""The requests of issue 18 that gave a 500 answer a 4xx problem, on both stores.

Far dates and times without a zone in query moments, ``details`` nested 300 deep,
integers over 64 bits, lone surrogates and NUL in text, a non-ASCII or endless
``If-Match``, an overlong ``Idempotency-Key``: each is a ``application/problem+json``
4xx naming the field, and nothing is recorded. A 500 that still happens is a problem
without internals, logged on the server.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.problems import MEDIA_TYPE

from .conftest import RESTAURANT, Api, hazard_body, report

FAR_FUTURE = "9999-12-31T23:59:59-14:00"
FAR_PAST = "0001-01-01T00:00:00+14:00"
NO_ZONE = "2026-03-03T09:00:00"
JSON = {"content-type": "application/json"}


@pytest.fixture
def raw(api: Api) -> Iterator[TestClient]:
    """A client that answers what a real client would see (no exception re-raised)."""
    with TestClient(api.client.app, raise_server_exceptions=False) as client:
        yield client


def events(api: Api) -> int:
    return api.ledger.recorder.max_notification_id() or 0


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    body: dict[str, Any] = response.json()
    return body


def fields(body: dict[str, Any]) -> set[str]:
    return {v["field"] for v in body.get("violations", ())}


@pytest.mark.parametrize("moment", [FAR_FUTURE, FAR_PAST, NO_ZONE])
@pytest.mark.parametrize(
    ("path", "parameter", "who"),
    [
        ("/register", "found_from", "inspector"),
        ("/register", "found_to", "inspector"),
        ("/register", "known_at", "inspector"),
        ("/register", "valid_at", "inspector"),
        ("/reports/monthly?month=2026-03", "valid_at", "government"),
        (f"/review?enterprise={RESTAURANT}", "incident_at", "government"),
        ("/hazards/{case}", "known_at", "inspector"),
        ("/hazards/{case}", "valid_at", "inspector"),
        ("/hazards/{case}/timeline", "known_at", "inspector"),
        ("/hazards/{case}/findings", "valid_at", "inspector"),
    ],
)
def test_query_moments_out_of_range_or_without_zone_are_named_4xx(
    api: Api, raw: TestClient, path: str, parameter: str, who: str, moment: str
) -> None:
    url, _, query = path.format(case=report(api)).partition("?")
    params = dict([query.split("=")]) if query else {}
    params[parameter] = moment
    r = raw.get(url, params=params, headers=api.headers(who))
    body = problem(r, 422)
    assert fields(body) == {parameter}
    rules = {v["rule"] for v in body["violations"]}
    zone = f"{parameter.upper()}_TIMEZONE"
    assert rules == ({zone} if moment == NO_ZONE else {"MOMENT_OUT_OF_RANGE"})
    english = raw.get(url, params=params, headers=api.headers(who, **{"Accept-Language": "en"}))
    assert parameter in english.json()["violations"][0]["message"]


def _nested(depth: int) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for _ in range(depth - 1):
        document = {"a": document}
    return document


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"x": _nested(300)}, "details"),
        ({"n": 2**64}, "details.n"),
        ({"n": -(2**70)}, "details.n"),
        ({"note": "a\x00b"}, "details.note"),
        ({"blob": ["x" * 1000] * 100}, "details"),
    ],
)
def test_poison_details_are_refused_naming_the_field(
    api: Api, raw: TestClient, extra: dict[str, Any], field: str
) -> None:
    before = events(api)
    body = hazard_body(api)
    body["details"] = {**body["details"], **extra}
    r = raw.post("/hazards", content=_json(body), headers=api.headers("inspector", **JSON))
    assert field in fields(problem(r, 422))
    assert events(api) == before


def _json(body: dict[str, Any]) -> bytes:
    """The body as Python's encoder writes it: integers of any width, lone surrogates
    escaped (orjson would refuse to write either)."""
    return json.dumps(body).encode()


def test_lone_surrogates_and_nul_in_text_are_refused(api: Api, raw: TestClient) -> None:
    before = events(api)
    body = hazard_body(api)
    body["details"] = {**body["details"], "note": "\ud800"}
    # json.dumps escapes the lone surrogate as \\ud800, as a careless client would send it.
    r = raw.post("/hazards", content=_json(body), headers=api.headers("inspector", **JSON))
    assert fields(problem(r, 422)) == {"details.note"}
    r = api.post("inspector", "/hazards", {**hazard_body(api), "location": "后\x00厨"})
    assert fields(problem(r, 422)) == {"location"}
    assert events(api) == before


def with_header(api: Api, who: str, name: str, value: bytes) -> dict[bytes, bytes]:
    """``who``'s headers and one more, as raw bytes (a client may send any octets)."""
    headers = {k.encode(): v.encode() for k, v in api.headers(who).items()}
    return {**headers, name.encode(): value}


@pytest.mark.parametrize(
    "tag", [b"\xc2\xb2", b"\xff", b"9" * 5000, str(2**64).encode(), b'"-1"', b'W/"3a"']
)
def test_if_match_that_is_not_a_version_is_a_400(api: Api, raw: TestClient, tag: bytes) -> None:
    case_id = report(api)
    before = events(api)
    r = raw.post(
        f"/hazards/{case_id}/grade",
        json={"occurred_at": api.now(), "grade": "general"},
        headers=with_header(api, "inspector", "if-match", tag),
    )
    assert fields(problem(r, 400)) == {"If-Match"}
    assert events(api) == before


@pytest.mark.parametrize("key", [b"k" * 256, b"", "键".encode(), b"a b", b"\xff"])
def test_idempotency_key_is_bounded(api: Api, raw: TestClient, key: bytes) -> None:
    before = events(api)
    r = raw.post(
        "/hazards",
        json=hazard_body(api),
        headers=with_header(api, "inspector", "idempotency-key", key),
    )
    assert fields(problem(r, 400)) == {"Idempotency-Key"}
    assert events(api) == before
    ok = api.post("inspector", "/hazards", hazard_body(api), **{"Idempotency-Key": "k" * 255})
    assert ok.status_code == 201


def test_poison_moments_in_commands_are_refused(api: Api, raw: TestClient) -> None:
    case_id = report(api)
    graded = api.post(
        "inspector", f"/hazards/{case_id}/grade", {"occurred_at": api.now(), "grade": "general"}
    )
    assert graded.status_code == 200, graded.text
    before = events(api)
    r = raw.post(
        f"/hazards/{case_id}/assign",
        json={
            "occurred_at": api.now(),
            "department": "县住建局",
            "deadline": FAR_FUTURE,
            "requirements": "更换",
        },
        headers=api.headers("department"),
    )
    assert fields(problem(r, 422)) == {"deadline"}
    assert events(api) == before


def test_a_500_is_a_problem_without_internals_and_is_logged(
    api: Api, raw: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals /srv/ledger.db password=hunter2")

    api.client.app.add_api_route("/broken-for-test", broken)  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR, logger="api.problems"):
        r = raw.get("/broken-for-test", headers=api.headers("inspector"))
    body = problem(r, 500)
    assert body["type"].endswith(":internal-error")
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert body["reference"] in r.text
    logged = [rec for rec in caplog.records if body["reference"] in rec.getMessage()]
    assert logged and logged[0].exc_info is not None
