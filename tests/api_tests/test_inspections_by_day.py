"""Today's inspections (GET /inspections?date=): the day in Beijing time, the hazards
each found, one inspector's own, the viewer's scope, and bounded date ranges."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

from projections.follower import Follower
from projections.registry import builtin_projections

from .conftest import FACTORY, RESTAURANT, Api, hazard_body

BEIJING = timezone(timedelta(hours=8))


def _inspect(api: Api, who: str, code: str, *, hours: float = 0) -> str:
    r = api.post(
        who,
        "/inspections",
        {
            "occurred_at": api.now(hours=hours),
            "enterprise_code": code,
            "sector": "city_gas",
            "inspection_type": "routine",
            "team": ["张建国"],
            "location": "后厨",
        },
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _catch_up(api: Api) -> None:
    follower = Follower(api.ledger, builtin_projections())
    try:
        follower.catch_up()
    finally:
        follower.close()


def _ids(api: Api, who: str, query: str) -> list[Any]:
    r = api.get(who, f"/inspections?{query}")
    assert r.status_code == 200, r.text
    return [row["inspection_id"] for row in r.json()]


def test_todays_inspections_of_an_inspector_with_the_hazards_found(api: Api) -> None:
    today = api.clock.now.astimezone(BEIJING).date()
    mine = _inspect(api, "inspector", RESTAURANT)
    theirs = _inspect(api, "department", FACTORY)
    earlier = _inspect(api, "inspector", RESTAURANT, hours=-48)
    found = api.post("inspector", "/hazards", {**hazard_body(api), "inspection_id": mine})
    assert found.status_code == 201, found.text
    _catch_up(api)

    day = f"date={today.isoformat()}"
    assert set(_ids(api, "inspector", day)) == {mine, theirs}
    assert _ids(api, "inspector", f"{day}&inspector=insp") == [mine]
    (row,) = api.get("inspector", f"/inspections?{day}&inspector=insp").json()
    assert row["hazards_found"] == 1 and row["team"] == ["张建国"]
    assert row["day"] == today.isoformat() and row["enterprise_name"] == "城关镇某餐馆"
    # an enterprise sees its own inspections only
    assert _ids(api, "enterprise", day) == [mine]
    # a span of days, both ends included
    span = f"date={(today - timedelta(days=2)).isoformat()}&to={today.isoformat()}"
    assert set(_ids(api, "inspector", span)) == {mine, theirs, earlier}


def test_a_date_range_runs_forward_and_spans_at_most_a_month(api: Api) -> None:
    _catch_up(api)
    backwards = api.get("inspector", "/inspections?date=2026-03-10&to=2026-03-01")
    too_long = api.get("inspector", "/inspections?date=2026-01-01&to=2026-03-01")
    assert backwards.status_code == too_long.status_code == 422
    assert "31天" in too_long.json()["detail"]
    assert api.get("inspector", "/inspections").status_code == 422  # the day is required
