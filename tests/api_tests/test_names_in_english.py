"""Real answers carry every name they send in Chinese in English too, on both stores:
risk points, public reports and the accountability review (a case's state, an
enforcement action's kind, an accident's level)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from api.labels import labels
from projections.follower import Follower
from projections.registry import builtin_projections

from .conftest import RESTAURANT, Api

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _ok(response: Any) -> Any:
    assert response.is_success, response.text
    return response.json()


def _post(api: Api, who: str, path: str, body: dict[str, Any], hours: float = -6) -> Any:
    return _ok(api.post(who, path, {"occurred_at": api.now(hours=hours), **body}))


def chinese_names(body: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every ``<name>_zh`` field of every object in ``body``: (path, object, name)."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key.endswith("_zh"):
                yield f"{where}.{key}", body, key.removesuffix("_zh")
            yield from chinese_names(value, f"{where}.{key}")
    elif isinstance(body, list):
        for i, item in enumerate(body):
            yield from chinese_names(item, f"{where}[{i}]")


#: Fields that name a code (messages and reasons quote what people typed, in Chinese).
CODE_NAMES = {"level", "colour", "hazard_source_level", "status", "kind"}


def assert_named_in_english(body: Any) -> int:
    """Each Chinese text has an English one beside it (null only with the Chinese one);
    a code's English name is words without Chinese characters. Returns how many code
    names were checked."""
    checked = 0
    for where, holder, name in chinese_names(body):
        if name == "text":  # a criterion's official wording, with its English gist
            continue
        assert f"{name}_en" in holder, f"{where}: no {name}_en"
        zh, en = holder[f"{name}_zh"], holder[f"{name}_en"]
        assert (zh is None) == (en is None), (where, zh, en)
        if name in CODE_NAMES:
            if en is not None:
                assert en.strip() and not CJK.search(en), (where, en)
            checked += 1
    return checked


def test_risk_points_public_reports_and_the_review_send_english_names(api: Api) -> None:
    person = {"id": "p1", "name": "王五"}
    point = _post(
        api,
        "department",
        "/risk-points",
        {
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "name": "后厨燃气灶区",
            "location": "后厨",
            "level": "larger",
            "controls": ["泄漏报警"],
            "hazard_source_level": 2,
            "responsible_principal": person,
            "responsible_technical": person,
            "responsible_operational": person,
        },
    )["id"]
    _post(
        api,
        "department",
        "/risk-points",
        {
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "name": "储瓶间",
            "location": "院内",
            "level": "low",
            "controls": ["每日巡查"],
        },
    )
    report = _post(
        api,
        "department",
        "/public-reports",
        {
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "channel": "hotline",
            "content": "餐馆燃气泄漏",
            "reporter_name": "钱举报",
            "reporter_phone": "13700000000",
        },
    )["id"]
    _post(api, "inspector", f"/public-reports/{report}/verify", {"findings": "查实"})
    _post(
        api,
        "department",
        f"/public-reports/{report}/founded",
        {"reasons": "属实", "location": "后厨", "description": "泄漏"},
    )
    _post(
        api,
        "inspector",
        "/enforcement",
        {
            "kind": "stop_work",
            "document_number": "静住建〔2026〕007号",
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "department": "县住建局",
            "legal_basis": "《中华人民共和国安全生产法》",
        },
    )
    accident = _post(
        api,
        "department",
        "/accidents",
        {
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "place": "后厨",
            "description": "液化气爆燃",
            "deaths": 3,
        },
        hours=-1,
    )["id"]
    follower = Follower(api.ledger, builtin_projections())
    try:
        follower.catch_up()
    finally:
        follower.close()

    listed = _ok(api.get("government", "/risk-points"))
    shown = _ok(api.get("department", f"/risk-points/{point}"))
    reports = _ok(api.get("department", "/public-reports"))
    one_report = _ok(api.get("department", f"/public-reports/{report}"))
    review = _ok(api.get("auditor", f"/review?accident={accident}"))
    checked = sum(
        assert_named_in_english(body) for body in (listed, shown, reports, one_report, review)
    )
    # 2 risk points × 3 names, 2 on the one point, a status per report answer, a case's
    # state, an action's kind, the accident's level
    assert checked == 6 + 2 + 1 + 1 + 1 + 1 + 1

    by_name = {p["name"]: p for p in listed}
    larger = by_name["后厨燃气灶区"]
    assert (larger["level_zh"], larger["level_en"]) == ("较大风险", "larger risk")
    assert (larger["colour_zh"], larger["colour_en"]) == ("橙", "orange")
    assert (larger["hazard_source_level_zh"], larger["hazard_source_level_en"]) == (
        "二级",
        "class 2",
    )
    low = by_name["储瓶间"]
    assert low["hazard_source_level_zh"] is None and low["hazard_source_level_en"] is None
    assert (shown["level_en"], shown["colour_en"]) == ("larger risk", "orange")
    assert reports[0]["status"] == one_report["status"] == "founded"
    assert reports[0]["status_en"] == one_report["status_en"] == "found true"
    state = review["hazards"][0]["state_at_incident"]
    assert state["status_en"] == labels("en").name("status", state["status"])
    assert state["status_en"] != state["status"]
    action = review["enforcement"][0]
    assert (action["kind_zh"], action["kind_en"]) == ("停工停产", "stop-work order")
    assert (review["accident"]["level_zh"], review["accident"]["level_en"]) == (
        "较大事故",
        "relatively large accident",
    )
