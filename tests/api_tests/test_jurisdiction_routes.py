"""Over HTTP: an enterprise at township level, an unknown township refused in both
languages with nothing recorded, an accident recorded and reviewed by its id."""

from __future__ import annotations

from api.review.render import to_markdown
from ledger.codes import make_credit_code

from .conftest import FACTORY, Api

MILL = make_credit_code("91620826MA71TWNM0")


def _register(api: Api, region: str, **headers: str) -> object:
    return api.post(
        "admin",
        "/enterprises",
        {
            "occurred_at": api.now(minutes=-5),
            "credit_code": MILL,
            "name": "甘沟镇某面粉厂",
            "region_code": region,
            "sectors": ["city_gas"],
            "principal": {"id": "p-mill", "name": "张三"},
        },
        **headers,
    )


def test_a_township_code_is_accepted_and_an_unknown_one_refused_in_both_languages(
    api: Api,
) -> None:
    before = api.ledger.recorder.max_notification_id()
    refused = _register(api, "620826199")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    body = refused.json()  # type: ignore[attr-defined]
    text = str(body)
    assert "REGION_TOWNSHIP_UNKNOWN" in text and "region_code" in text
    assert "乡镇" in text and "620826199" in text
    english = str(_register(api, "620826199", **{"Accept-Language": "en"}).json())  # type: ignore[attr-defined]
    assert "township code '620826199'" in english
    assert api.ledger.recorder.max_notification_id() == before
    assert _register(api, "620826107201").status_code == 201  # type: ignore[attr-defined]
    assert api.ledger.enterprise(MILL).region_code == "620826107201"


def test_an_accident_is_recorded_and_the_review_starts_from_it(api: Api) -> None:
    body = {
        "occurred_at": api.now(hours=-3),
        "enterprise_code": FACTORY,
        "sector": "city_gas",
        "place": "后厨",
        "description": "液化气爆燃",
        "deaths": 0,
        "serious_injuries": 12,
        "direct_loss": "300000.00",
    }
    assert api.post("inspector", "/accidents", body).status_code == 403  # not theirs to record
    assert api.post("far_inspector", "/accidents", body).status_code == 403
    created = api.post("department", "/accidents", body)
    assert created.status_code == 201, created.text
    accident_id = created.json()["id"]
    review = api.get("auditor", f"/review?accident={accident_id}")
    assert review.status_code == 200, review.text
    report = review.json()
    assert report["accident"]["level"] == "larger"  # 12 seriously injured: 10 or more
    assert report["enterprise"]["credit_code"] == FACTORY
    assert report["incident_at"] == report["accident"]["happened_at"]
    assert "较大事故" in to_markdown(report, "zh")
    md = api.get("auditor", f"/review?accident={accident_id}&format=md&lang=en")
    assert md.status_code == 200 and "Accident: relatively large accident" in md.text
    # Out of the department's sectors, or unknown: not found, the same answer.
    gas_only = api.post(
        "department",
        "/accidents",
        {**body, "sector": "fire"},
    )
    assert gas_only.status_code in (403, 404)
    far = api.get("far_inspector", f"/review?accident={accident_id}")
    unknown = api.get("far_inspector", "/review?accident=00000000-0000-0000-0000-000000000000")
    assert far.status_code == unknown.status_code == 404
    assert api.get("auditor", "/review").status_code == 422
