"""Read models over HTTP, narrowed to each user's jurisdiction."""

from __future__ import annotations

from uuid import UUID

from projections.follower import Follower
from projections.registry import all_projections

from .conftest import FACTORY, RESTAURANT, Api, report


def _catch_up(api: Api) -> None:
    follower = Follower(api.ledger, all_projections())
    try:
        follower.catch_up()
    finally:
        follower.close()


def test_register_is_scoped(api: Api) -> None:
    mine = report(api, code=RESTAURANT)
    theirs = report(api, code=FACTORY)
    _catch_up(api)
    ids = {r["case_id"] for r in api.get("auditor", "/register").json()["items"]}
    assert {mine, theirs} <= ids
    own = {r["case_id"] for r in api.get("enterprise", "/register").json()["items"]}
    assert own == {mine}
    assert api.get("far_inspector", "/register").json()["items"] == []
    narrowed = api.client.get(
        "/register", params={"region": "620825"}, headers=api.headers("inspector")
    ).json()
    assert narrowed["items"] == []  # outside the inspector's county: nothing, not an error


def test_monthly_report_and_ranking(api: Api) -> None:
    case_id = report(api)
    api.post(
        "inspector", f"/hazards/{case_id}/grade", {"occurred_at": api.now(), "grade": "general"}
    )
    _catch_up(api)
    month = api.clock.now.strftime("%Y-%m")
    r = api.client.get(
        "/reports/monthly", params={"month": month}, headers=api.headers("government")
    )
    assert r.status_code == 200
    assert r.json()["totals"]["hazards_found"] == 1
    gas_only = api.client.get(
        "/reports/monthly", params={"month": month}, headers=api.headers("department")
    ).json()
    assert {s["sector"] for s in gas_only["sectors"]} <= {"city_gas"}
    denied = api.client.get(
        "/reports/monthly", params={"month": month}, headers=api.headers("enterprise")
    )
    assert denied.status_code == 403
    ranking = api.client.get(
        "/rankings", params={"month": month}, headers=api.headers("government")
    )
    assert ranking.status_code == 200 and isinstance(ranking.json()["rows"], list)
    trend = api.client.get("/statistics/trend", headers=api.headers("government")).json()
    assert trend["months"][-1]["hazards_found"] == 1


def test_case_findings_and_linked_actions(api: Api) -> None:
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
            "requirements": "整改",
        },
    )
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
    assert closed.status_code == 200, closed.text
    r = api.post(
        "inspector",
        "/enforcement",
        {
            "occurred_at": t(),
            "kind": "warning_letter",
            "document_number": "静警〔2026〕1号",
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "department": "县住建局",
            "legal_basis": "《安全生产法》",
            "case_ids": [case_id],
        },
    )
    assert r.status_code == 201, r.text
    _catch_up(api)
    findings = api.get("auditor", f"/hazards/{case_id}/findings").json()
    assert "AUD-SELF-VERIFY" in {f["rule"] for f in findings}
    actions = api.get("auditor", f"/hazards/{case_id}/actions").json()
    assert [a["document_number"] for a in actions] == ["静警〔2026〕1号"]
    assert api.get("far_inspector", f"/hazards/{case_id}/findings").status_code == 404
    assert UUID(case_id)


def test_linked_actions_name_the_device_or_part_of_the_site_they_stop(api: Api) -> None:
    case_id = report(api)
    orders = {"静停〔2026〕1号": {"device_code": "3110620820190001"}, "静停〔2026〕2号": {}}
    orders["静停〔2026〕3号"] = {"site_part": "二楼后厨"}
    for number, covers in orders.items():
        r = api.post(
            "inspector",
            "/enforcement",
            {
                "occurred_at": api.now(),
                "kind": "stop_work",
                "document_number": number,
                "enterprise_code": RESTAURANT,
                "sector": "city_gas",
                "department": "县住建局",
                "legal_basis": "《安全生产法》",
                "case_ids": [case_id],
                **covers,
            },
        )
        assert r.status_code == 201, r.text
    actions = api.get("auditor", f"/hazards/{case_id}/actions").json()
    assert sorted((a["document_number"], a["device_code"], a["site_part"]) for a in actions) == [
        ("静停〔2026〕1号", "3110620820190001", ""),
        ("静停〔2026〕2号", "", ""),
        ("静停〔2026〕3号", "", "二楼后厨"),
    ]
