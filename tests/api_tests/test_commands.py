"""Commands over HTTP: actor from the token, problems, idempotency, stale writes."""

from __future__ import annotations

from uuid import UUID

from .conftest import Api, hazard_body, report


def test_actor_comes_from_the_token_not_the_body(api: Api) -> None:
    body = hazard_body(api)
    body["actor"] = {"id": "someone-else", "name": "冒名", "role": "admin"}
    r = api.post("inspector", "/hazards", body)
    assert r.status_code == 422
    assert any(v["field"] == "actor" for v in r.json()["violations"])
    case_id = report(api)
    event = api.ledger.history(UUID(case_id))[0]
    assert event.actor.id == "insp" and event.actor.name == "张建国"
    assert event.timestamp == api.clock.now


def test_rule_violation_is_a_bilingual_problem_and_records_nothing(api: Api) -> None:
    case_id = report(api)
    body = {"occurred_at": api.now(), "grade": "major"}
    zh = api.post("inspector", f"/hazards/{case_id}/grade", body)
    en = api.post(
        "inspector", f"/hazards/{case_id}/grade", body, **{"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert zh.status_code == en.status_code == 422
    assert zh.headers["content-type"] == "application/problem+json"
    assert zh.json()["violations"][0]["rule"] == "MAJOR_NEEDS_CRITERION"
    assert zh.json()["violations"][0]["field"] == "criteria"
    assert "重大" in zh.json()["violations"][0]["message"]
    assert "major hazard" in en.json()["violations"][0]["message"]
    assert zh.json()["recorded"] is False
    assert len(api.ledger.history(UUID(case_id))) == 1


def test_malformed_request_names_the_field(api: Api) -> None:
    body = hazard_body(api)
    body["occurred_at"] = "2026-03-03T09:00:00"  # no time zone
    r = api.post("inspector", "/hazards", body)
    assert r.status_code == 422
    assert any(v["field"] == "occurred_at" for v in r.json()["violations"])


def test_idempotency_key_records_once(api: Api) -> None:
    body = hazard_body(api)
    first = api.post("inspector", "/hazards", body, **{"Idempotency-Key": "abc-1"})
    again = api.post("inspector", "/hazards", body, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("idempotent-replay") == "true"
    before = api.ledger.recorder.max_notification_id()
    other = dict(body, location="前厅")
    clash = api.post("inspector", "/hazards", other, **{"Idempotency-Key": "abc-1"})
    assert clash.status_code == 422
    assert api.ledger.recorder.max_notification_id() == before


def test_refused_command_releases_its_idempotency_key(api: Api) -> None:
    case_id = report(api)
    bad = {"occurred_at": api.now(), "grade": "major"}
    assert (
        api.post(
            "inspector", f"/hazards/{case_id}/grade", bad, **{"Idempotency-Key": "g1"}
        ).status_code
        == 422
    )
    good = {"occurred_at": api.now(), "grade": "general"}
    assert (
        api.post(
            "inspector", f"/hazards/{case_id}/grade", good, **{"Idempotency-Key": "g1"}
        ).status_code
        == 200
    )


def test_stale_writes_are_refused(api: Api) -> None:
    case_id = report(api)
    ok = api.post(
        "inspector",
        f"/hazards/{case_id}/grade",
        {"occurred_at": api.now(), "grade": "general", "expected_version": 1},
    )
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"'
    stale = api.post(
        "inspector",
        f"/hazards/{case_id}/grade",
        {"occurred_at": api.now(), "grade": "general", "expected_version": 1},
    )
    assert stale.status_code == 409
    stale_header = api.post(
        "inspector",
        f"/hazards/{case_id}/grade",
        {"occurred_at": api.now(), "grade": "general"},
        **{"If-Match": '"1"'},
    )
    assert stale_header.status_code == 412
    assert len(api.ledger.history(UUID(case_id))) == 2


def test_known_at_and_timeline(api: Api) -> None:
    case_id = report(api)
    t_reported = api.clock.now
    api.clock.advance(hours=1)
    api.post(
        "inspector", f"/hazards/{case_id}/grade", {"occurred_at": api.now(), "grade": "general"}
    )
    now = api.get("auditor", f"/hazards/{case_id}").json()
    then = api.client.get(
        f"/hazards/{case_id}",
        params={"known_at": t_reported.isoformat()},
        headers=api.headers("auditor"),
    ).json()
    assert now["status"] == "graded" and then["status"] == "reported"
    timeline = api.get("auditor", f"/hazards/{case_id}/timeline").json()
    assert [e["event"] for e in timeline] == ["Reported", "Graded"]
    assert timeline[0]["actor_id"] == "insp"


#: Routes anyone may read without a token, and why.
PUBLIC = {
    "/health": "a load balancer's probe",
    "/metrics": "the monitoring scrape",
    "/checkpoint": "a transparency log's tree head is public: it reveals a size and a hash",
    "/labels": "the names of codes, needed on the sign-in page before anyone signs in",
    "/p/{leaf_hash}": "a printed paper's short link: 128 bits of leaf hash, a self-proving answer",
    "/verify-print": "anyone holding a paper may check it; it records nothing and reads no case",
}


def test_openapi_documents_security_and_errors(api: Api) -> None:
    doc = api.client.get("/openapi.json").json()
    assert "BearerToken" in doc["components"]["securitySchemes"]
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if path in PUBLIC:
                continue
            assert op.get("security"), f"{method} {path} lacks security"
            assert "401" in op["responses"], f"{method} {path} lacks 401"
            # A bundle check and a file upload are not commands: nothing can conflict.
            if method == "post" and path not in ("/bundles/verify", "/evidence"):
                assert {"403", "409", "422"} <= set(op["responses"]), f"{method} {path}"
