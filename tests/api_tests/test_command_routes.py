"""Command routes over the one command path: If-Match everywhere, the body's ids scoped."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import FACTORY, FAR_AWAY, RESTAURANT, Api, hazard_body, report


def _events(api: Api) -> int:
    return api.ledger.recorder.max_notification_id() or 0


def _principal(api: Api, person: str) -> dict[str, Any]:
    return {"occurred_at": api.now(), "principal": {"id": person, "name": "新负责人"}}


def test_change_principal_honours_if_match(api: Api) -> None:
    path = f"/enterprises/{RESTAURANT}/principal"
    before = _events(api)
    stale = api.post("admin", path, _principal(api, "p-2"), **{"If-Match": '"7"'})
    assert stale.status_code == 412, stale.text
    assert _events(api) == before
    fresh = api.post("admin", path, _principal(api, "p-2"), **{"If-Match": '"1"'})
    assert fresh.status_code == 200 and fresh.headers["etag"] == '"2"', fresh.text


def test_if_match_on_a_command_that_creates_cannot_hold(api: Api) -> None:
    before = _events(api)
    r = api.post("inspector", "/hazards", hazard_body(api), **{"If-Match": '"1"'})
    assert r.status_code == 412, r.text
    assert _events(api) == before


@pytest.mark.parametrize(
    ("kind", "status"),
    [("self_inspection", 201), ("county_verification", 403), ("unannounced", 403)],
)
def test_enterprise_user_records_only_self_inspections(api: Api, kind: str, status: int) -> None:
    body = {
        "occurred_at": api.now(),
        "enterprise_code": RESTAURANT,
        "sector": "city_gas",
        "inspection_type": kind,
        "team": ["王五"],
    }
    before = _events(api)
    r = api.post("enterprise", "/inspections", body)
    assert r.status_code == status, r.text
    assert _events(api) == before + (1 if status == 201 else 0)


def test_inspection_sector_in_the_body_is_scoped(api: Api) -> None:
    """A city-gas department at a fire-and-gas enterprise cannot record a fire inspection."""
    body = {
        "occurred_at": api.now(),
        "enterprise_code": FACTORY,
        "sector": "fire",
        "inspection_type": "routine",
        "team": ["李明"],
    }
    before = _events(api)
    assert api.post("department", "/inspections", body).status_code == 404
    assert _events(api) == before
    body["sector"] = "city_gas"
    assert api.post("department", "/inspections", body).status_code == 201


def test_hazard_linked_to_another_countys_inspection_writes_nothing(api: Api) -> None:
    far = api.post(
        "far_inspector",
        "/inspections",
        {
            "occurred_at": api.now(),
            "enterprise_code": FAR_AWAY,
            "sector": "city_gas",
            "inspection_type": "routine",
            "team": ["吴远"],
        },
    )
    assert far.status_code == 201, far.text
    body = hazard_body(api) | {"inspection_id": far.json()["id"]}
    before = _events(api)
    linked = api.post("inspector", "/hazards", body)
    unused = api.post(
        "inspector", "/hazards", body | {"inspection_id": "00000000-0000-0000-0000-000000000001"}
    )
    assert linked.status_code == unused.status_code == 404
    assert {**linked.json(), "instance": ""} == {**unused.json(), "instance": ""}
    assert _events(api) == before
    assert report(api)  # the same body without the link is recorded
