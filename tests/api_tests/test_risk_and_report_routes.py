"""Risk points and public reports over HTTP, on both stores: scope, If-Match, refusals in
both languages, and the reporter's identity opened only for the receiving roles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from projections.follower import Follower
from projections.registry import builtin_projections

from .conftest import FACTORY, FAR_AWAY, RESTAURANT, Api


@pytest.fixture
def keyed(api: Api, tmp_path: Path) -> Api:
    api.ledger.integrity.use_key_directory(tmp_path / "keys")
    return api


def _catch_up(api: Api) -> None:
    follower = Follower(api.ledger, builtin_projections())
    try:
        follower.catch_up()
    finally:
        follower.close()


def _risk_point(api: Api, who: str = "department", code: str = RESTAURANT) -> Any:
    return api.post(
        who,
        "/risk-points",
        {
            "occurred_at": api.now(),
            "enterprise_code": code,
            "sector": "city_gas",
            "name": "后厨燃气灶区",
            "location": "后厨",
            "level": "major",
            "controls": ["泄漏报警", "每日检查"],
            "hazard_source_level": 3,
            "responsible_principal": {"id": "p1", "name": "王五"},
            "responsible_technical": {"id": "p2", "name": "李工"},
            "responsible_operational": {"id": "p3", "name": "赵班长"},
        },
    )


def test_risk_points_over_http_with_if_match_and_scope(keyed: Api) -> None:
    api = keyed
    created = _risk_point(api)
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    assert _risk_point(api, code=FAR_AWAY).status_code == 404  # outside the county
    stale = api.post(
        "department",
        f"/risk-points/{rid}/controls",
        {"occurred_at": api.now(), "description": "加装切断阀"},
        **{"If-Match": '"7"'},
    )
    assert stale.status_code in (409, 412)
    added = api.post(
        "department",
        f"/risk-points/{rid}/controls",
        {"occurred_at": api.now(), "description": "加装切断阀"},
        **{"If-Match": '"1"'},
    )
    assert added.status_code == 200, added.text
    shown = api.get("department", f"/risk-points/{rid}").json()
    assert [k["id"] for k in shown["controls"]] == ["C1", "C2", "C3"]
    assert shown["hazard_source"]["level"] == 3
    assert api.get("far_inspector", f"/risk-points/{rid}").status_code == 404
    _catch_up(api)
    listed = api.get("government", "/risk-points").json()
    assert [(p["risk_point_id"], p["colour"]) for p in listed] == [(rid, "red")]
    assert api.get("far_inspector", "/risk-points").json() == []


def test_a_bad_level_is_refused_in_both_languages_and_records_nothing(keyed: Api) -> None:
    api = keyed
    before = api.ledger.recorder.max_notification_id()
    r = api.client.post(
        "/risk-points/00000000-0000-0000-0000-000000000001/reassess",
        json={"occurred_at": api.now(), "level": "major", "reason": "x"},
        headers=api.headers("department"),
    )
    assert r.status_code == 404
    assert api.ledger.recorder.max_notification_id() == before


def _report(api: Api, code: str = RESTAURANT) -> str:
    r = api.post(
        "department",
        "/public-reports",
        {
            "occurred_at": api.now(),
            "enterprise_code": code,
            "sector": "city_gas",
            "channel": "hotline",
            "content": "餐馆燃气泄漏",
            "reporter_name": "钱举报",
            "reporter_phone": "13700000000",
        },
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_founded_report_opens_a_case_and_the_identity_is_for_the_department_only(
    keyed: Api,
) -> None:
    api = keyed
    rid = _report(api)
    assert api.post(
        "inspector", f"/public-reports/{rid}/verify", {"occurred_at": api.now(), "findings": "查实"}
    ).is_success
    founded = api.post(
        "department",
        f"/public-reports/{rid}/founded",
        {"occurred_at": api.now(), "reasons": "属实", "location": "后厨", "description": "泄漏"},
    )
    assert founded.status_code == 200, founded.text
    report = api.get("department", f"/public-reports/{rid}").json()
    case = api.get("department", f"/hazards/{report['case_id']}").json()
    assert case["source"] == "public_report"
    assert "13700000000" not in str(report)

    for who in ("inspector", "auditor", "enterprise", "admin"):
        refused = api.post(
            who,
            f"/public-reports/{rid}/identity",
            {"occurred_at": api.now(), "purpose": "想看"},
            **{"Accept-Language": "en"},
        )
        assert refused.status_code in (403, 404), (who, refused.text)
        if refused.status_code == 403:
            assert "identity" in refused.json()["detail"]
    zh = api.post(
        "inspector", f"/public-reports/{rid}/identity", {"occurred_at": api.now(), "purpose": "x"}
    )
    assert "举报人" in zh.json()["detail"]
    version = api.get("department", f"/public-reports/{rid}").json()["version"]
    assert version == report["version"]  # nothing recorded by the refusals

    shown = api.post(
        "department",
        f"/public-reports/{rid}/identity",
        {"occurred_at": api.now(), "purpose": "核查需联系举报人"},
    )
    assert shown.status_code == 200, shown.text
    assert shown.json()["phone"] == "13700000000"
    assert shown.headers["cache-control"] == "no-store"
    after = api.get("department", f"/public-reports/{rid}").json()
    assert after["identity_reads"] == 1

    erased = api.post(
        "department",
        f"/public-reports/{rid}/identity/erase",
        {"occurred_at": api.now(), "reason": "举报人申请删除"},
    )
    assert erased.status_code == 200, erased.text
    gone = api.post(
        "department", f"/public-reports/{rid}/identity", {"occurred_at": api.now(), "purpose": "x"}
    )
    assert gone.status_code == 422 and "IDENTITY_ERASED" in gone.text


def test_public_reports_are_not_listed_for_enterprises_nor_outside_scope(keyed: Api) -> None:
    api = keyed
    rid = _report(api)
    _report(api, code=FACTORY)
    _catch_up(api)
    assert len(api.get("government", "/public-reports").json()) == 2
    assert api.get("far_inspector", "/public-reports").json() == []
    assert api.get("enterprise", "/public-reports").status_code == 403
    assert api.get("enterprise", f"/public-reports/{rid}").status_code == 404
    assert api.get("far_inspector", f"/public-reports/{rid}").status_code == 404
