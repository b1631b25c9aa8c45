"""Sectors over HTTP: what is loaded, grading advice, and sector refusals as problems."""

from __future__ import annotations

from .conftest import RESTAURANT, Api, hazard_body, report


def test_plugins_lists_sectors_and_their_catalogues(api: Api) -> None:
    r = api.get("auditor", "/plugins")
    assert r.status_code == 200
    body = r.json()
    sectors = {s["code"]: s for s in body["sectors"]}
    assert set(sectors) == {"chemicals", "city_gas", "construction", "fire", "special_equipment"}
    gas = sectors["city_gas"]
    assert gas["name_zh"] == "城镇燃气" and gas["department"]
    assert [(c["standard"], c["count"]) for c in gas["catalogues"]] == [("建城规〔2023〕4号", 22)]
    assert {p["name"] for p in body["plugins"]} == set(sectors)
    assert "ledger_validate" in next(p for p in body["plugins"] if p["name"] == "city_gas")["hooks"]
    assert api.client.get("/plugins").status_code == 401


def test_suggestions_for_a_case(api: Api) -> None:
    body = {**hazard_body(api), "description": "燃气立管设置在卫生间内"}
    case_id = api.post("inspector", "/hazards", body).json()["id"]
    r = api.get("department", f"/hazards/{case_id}/suggestions")
    assert r.status_code == 200
    found = r.json()["suggestions"]
    assert [s["code"] for s in found] == ["GAS-19"]
    assert "卫生间" in found[0]["text_zh"] and found[0]["gist_en"]
    assert api.get("far_inspector", f"/hazards/{case_id}/suggestions").status_code == 404


def test_a_sector_refusal_is_a_bilingual_problem_and_records_nothing(api: Api) -> None:
    before = api.ledger.recorder.max_notification_id()
    body = {**hazard_body(api), "details": {"premises": "restaurant"}}
    zh = api.post("inspector", "/hazards", body)
    en = api.post("inspector", "/hazards", body, **{"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 422
    assert zh.json()["violations"][0]["field"] == "details.leak_alarm_installed"
    assert "报警" in zh.json()["violations"][0]["message"]
    assert "leak alarm" in en.json()["violations"][0]["message"]
    assert api.ledger.recorder.max_notification_id() == before


def test_a_major_grade_citing_an_unknown_criterion_is_refused(api: Api) -> None:
    case_id = report(api)
    r = api.post(
        "department",
        f"/hazards/{case_id}/grade",
        {"occurred_at": api.now(), "grade": "major", "criteria": ["GAS-99"]},
    )
    assert r.status_code == 422, r.text
    assert r.json()["violations"][0]["rule"] == "CRITERION_UNKNOWN"
    ok = api.post(
        "department",
        f"/hazards/{case_id}/grade",
        {"occurred_at": api.now(), "grade": "major", "criteria": ["GAS-06"]},
    )
    assert ok.status_code in (200, 201), ok.text
    assert api.get("department", f"/hazards/{case_id}").json()["enterprise_code"] == RESTAURANT
