"""Every read honours the viewer's scope and the moment asked about (issue 14's read bugs).

Each test here failed before the read layer: findings and linked actions ignored
``known_at``; trend and rankings counted other sectors for a sector-limited user; the
register filtered by sector after paging; the review showed another sector's case of a
shared enterprise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from projections.follower import Follower
from projections.queries import decode_cursor
from projections.registry import all_projections

from .conftest import FACTORY, RESTAURANT, Api, hazard_body, report


def _catch_up(api: Api, known_at: datetime | None = None) -> None:
    follower = Follower(api.ledger, all_projections())
    try:
        if known_at is None:
            follower.catch_up()
        else:
            follower.rebuild(known_at=known_at)
    finally:
        follower.close()


def _get(api: Api, who: str, path: str, **params: Any) -> Any:
    return api.client.get(path, params=params, headers=api.headers(who))


def _report(api: Api, sector: str, code: str = FACTORY) -> str:
    body = hazard_body(api, code)
    body["sector"] = sector
    r = api.post("inspector", "/hazards", body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _not_found_body(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    body.pop("instance", None)  # the path asked for, which names the id
    return body


def test_findings_and_linked_actions_as_known_at_a_moment(api: Api) -> None:
    case_id = report(api)
    t = api.now
    api.post("inspector", f"/hazards/{case_id}/grade", {"occurred_at": t(), "grade": "general"})
    api.post(
        "inspector",
        f"/hazards/{case_id}/assign",
        {
            "occurred_at": t(),
            "department": "县住建局",
            "deadline": t(days=10),
            "requirements": "改",
        },
    )
    before = api.clock.advance(days=1)
    api.clock.advance(days=1)
    api.post(
        "department2",
        f"/hazards/{case_id}/rectification",
        {"occurred_at": t(), "measures": "代企业报告：已改管", "completed_at": t()},
    )
    api.post(
        "inspector",
        f"/hazards/{case_id}/verify",
        {"occurred_at": t(), "accepted": True, "opinion": "合格"},
    )
    closed = api.post("department2", f"/hazards/{case_id}/close", {"occurred_at": t()})
    assert closed.status_code == 200, closed.text  # closed by the one who reported it
    api.clock.advance(days=3)
    letter = api.post(
        "inspector",
        "/enforcement",
        {
            "occurred_at": t(),
            "kind": "warning_letter",
            "document_number": "静警〔2026〕9号",
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "department": "县住建局",
            "legal_basis": "《安全生产法》",
            "case_ids": [case_id],
        },
    )
    assert letter.status_code == 201, letter.text
    now = {f["rule"] for f in _get(api, "auditor", f"/hazards/{case_id}/findings").json()}
    assert "AUD-SELF-VERIFY" in now
    then = _get(api, "auditor", f"/hazards/{case_id}/findings", known_at=before.isoformat())
    assert then.status_code == 200
    assert "AUD-SELF-VERIFY" not in {f["rule"] for f in then.json()}
    assert len(_get(api, "auditor", f"/hazards/{case_id}/actions").json()) == 1
    actions_then = _get(api, "auditor", f"/hazards/{case_id}/actions", known_at=before.isoformat())
    assert actions_then.json() == []
    timeline_then = _get(
        api, "auditor", f"/hazards/{case_id}/timeline", known_at=before.isoformat()
    )
    assert "Closed" not in {e["event"] for e in timeline_then.json()}


def test_before_a_case_was_recorded_it_is_not_found_like_a_random_id(api: Api) -> None:
    moment = api.clock.now
    api.clock.advance(hours=1)
    case_id = report(api)
    for path in ("", "/timeline", "/findings", "/actions"):
        early = _get(api, "auditor", f"/hazards/{case_id}{path}", known_at=moment.isoformat())
        random = _get(api, "auditor", f"/hazards/{uuid4()}{path}", known_at=moment.isoformat())
        assert early.status_code == random.status_code == 404, path
        assert _not_found_body(early) == _not_found_body(random), path


def test_out_of_scope_reads_look_like_random_ids(api: Api) -> None:
    fire = _report(api, "fire")
    for path in ("", "/timeline", "/findings", "/actions"):
        theirs = _get(api, "department", f"/hazards/{fire}{path}")
        random = _get(api, "department", f"/hazards/{uuid4()}{path}")
        assert theirs.status_code == random.status_code == 404, path
        assert _not_found_body(theirs) == _not_found_body(random), path


def test_trend_and_rankings_count_only_the_users_sectors(api: Api) -> None:
    _report(api, "city_gas", RESTAURANT)
    _report(api, "fire")
    _report(api, "fire")
    _catch_up(api)
    month = api.clock.now.strftime("%Y-%m")

    def found(who: str) -> tuple[int, int, int]:
        trend = _get(api, who, "/statistics/trend").json()["months"][-1]["hazards_found"]
        ranking = _get(api, who, "/rankings", month=month, by="region").json()["rows"]
        monthly = _get(api, who, "/reports/monthly", month=month).json()["totals"]
        return trend, sum(r["hazards_found"] for r in ranking), monthly["hazards_found"]

    assert found("government") == (3, 3, 3)
    assert found("department") == (1, 1, 1)  # city_gas only


def test_trend_and_rankings_as_known_at_a_snapshot(api: Api) -> None:
    _report(api, "city_gas", RESTAURANT)
    cut = api.clock.now
    api.clock.advance(days=40)
    _report(api, "city_gas", RESTAURANT)
    _catch_up(api)
    _catch_up(api, known_at=cut)
    month = cut.strftime("%Y-%m")
    trend = _get(api, "government", "/statistics/trend", known_at=cut.isoformat()).json()
    assert trend["months"][-1]["month"] == month  # not the later month of the second hazard
    assert sum(m["hazards_found"] for m in trend["months"]) == 1
    live = _get(api, "government", "/statistics/trend").json()
    assert sum(m["hazards_found"] for m in live["months"]) == 2
    ranking = _get(api, "government", "/rankings", month=month, known_at=cut.isoformat())
    assert ranking.status_code == 200
    missing = _get(api, "government", "/rankings", month=month, known_at=api.now())
    assert missing.status_code == 409  # no snapshot for that moment


def test_register_pages_are_full_after_scope_and_cursors_stay_in_scope(api: Api) -> None:
    gas = set()
    for sector in ("city_gas", "fire", "city_gas", "fire", "fire"):
        api.clock.advance(minutes=5)
        case_id = _report(api, sector)
        if sector == "city_gas":
            gas.add(case_id)
    _catch_up(api)
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = _get(api, "department", "/register", **params).json()
        assert len(page["items"]) == 1 or (not page["items"] and page["next_cursor"] is None)
        seen += [r["case_id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert decode_cursor(cursor)[1] in gas  # a cursor names only what the user sees
    assert set(seen) == gas and len(seen) == len(gas)


def test_review_leaves_out_another_sectors_case_of_a_shared_enterprise(api: Api) -> None:
    gas = _report(api, "city_gas")
    fire = _report(api, "fire")
    incident = api.now(hours=1)
    full = _get(api, "government", "/review", enterprise=FACTORY, incident_at=incident)
    assert fire in full.text and gas in full.text
    limited = _get(api, "department", "/review", enterprise=FACTORY, incident_at=incident)
    assert limited.status_code == 200
    assert gas in limited.text
    assert fire not in limited.text
    assert (
        _get(api, "enterprise", "/review", enterprise=RESTAURANT, incident_at=incident).status_code
        == 403
    )
