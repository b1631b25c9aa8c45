"""The timeline's fast path answers exactly as the full route, and never stale."""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID

from tests.support import INSPECTOR

from .conftest import Api, report


def full_route(api: Api, who: str, case_id: str) -> object:
    """The same read through FastAPI's route (a query string bypasses the fast path)."""
    far = quote("2100-01-01T00:00:00+00:00")
    return api.get(who, f"/hazards/{case_id}/timeline?known_at={far}").json()


def test_fast_path_matches_the_full_route_and_follows_new_events(api: Api) -> None:
    case_id = report(api)
    fast = api.get("department", f"/hazards/{case_id}/timeline")
    assert fast.status_code == 200
    assert fast.headers["content-type"] == "application/json"
    assert fast.json() == full_route(api, "department", case_id)
    assert len(fast.json()) == 1

    graded = api.post(
        "department",
        f"/hazards/{case_id}/grade",
        {"occurred_at": api.now(), "grade": "general"},
    )
    assert graded.status_code in (200, 201), graded.text
    after = api.get("department", f"/hazards/{case_id}/timeline").json()
    assert [e["event"] for e in after] == ["Reported", "Graded"]
    assert after == full_route(api, "department", case_id)


def test_errors_come_from_the_full_application(api: Api) -> None:
    case_id = report(api)
    api.get("department", f"/hazards/{case_id}/timeline")  # cached now
    out_of_scope = api.get("far_inspector", f"/hazards/{case_id}/timeline")
    assert out_of_scope.status_code == 404
    assert out_of_scope.headers["content-type"].startswith("application/problem+json")
    no_token = api.client.get(f"/hazards/{case_id}/timeline")
    assert no_token.status_code == 401
    bad = api.client.get(f"/hazards/{case_id}/timeline", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    unknown = api.get("department", "/hazards/00000000-0000-0000-0000-000000000000/timeline")
    assert unknown.status_code == 404


def test_fast_reads_are_counted_in_metrics(api: Api) -> None:
    case_id = report(api)
    for _ in range(3):
        api.get("department", f"/hazards/{case_id}/timeline")
    metrics = api.client.get("/metrics").text
    assert 'route="/hazards/{case_id}/timeline",status="200"' in metrics


def test_a_redaction_shows_in_the_next_read(api: Api) -> None:
    """A redaction rewrites an event in place without a new version of the case."""
    case_id = report(api)
    before = api.get("department", f"/hazards/{case_id}/timeline").json()
    assert before[0]["changes"]["description"]
    api.ledger.redact(
        UUID(case_id), 1, fields=["description"], legal_basis="个人信息", actor=INSPECTOR
    )
    after = api.get("department", f"/hazards/{case_id}/timeline").json()
    assert after == full_route(api, "department", case_id)
    assert after[0]["changes"]["description"] != before[0]["changes"]["description"]
