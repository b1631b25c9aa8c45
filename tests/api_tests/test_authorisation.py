"""Who may do what, where: the role matrix in and out of scope."""

from __future__ import annotations

import pytest

from .conftest import FAR_AWAY, RESTAURANT, Api, hazard_body, report

# The expected matrix, written out independently of the service's own table.
CAN_REPORT = {"inspector", "department2", "government"}
CAN_GRADE = {"inspector", "department2"}
CAN_CLOSE = {"department2"}
CAN_LIST = {"government"}


@pytest.mark.parametrize("who", ["inspector", "department2", "government", "auditor", "admin"])
def test_report_hazard_by_role(api: Api, who: str) -> None:
    r = api.post(who, "/hazards", hazard_body(api))
    assert (r.status_code == 201) == (who in CAN_REPORT), r.text
    if who not in CAN_REPORT:
        assert r.status_code == 403
        assert r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("who", ["inspector", "department2", "government", "auditor", "admin"])
def test_grade_by_role(api: Api, who: str) -> None:
    case_id = report(api)
    r = api.post(who, f"/hazards/{case_id}/grade", {"occurred_at": api.now(), "grade": "general"})
    assert (r.status_code == 200) == (who in CAN_GRADE), r.text
    if who not in CAN_GRADE:
        assert r.status_code == 403


@pytest.mark.parametrize("who", ["inspector", "department2", "government", "auditor"])
def test_close_and_list_by_role(api: Api, who: str) -> None:
    case_id = report(api)
    r = api.post(who, f"/hazards/{case_id}/close", {"occurred_at": api.now()})
    # Allowed roles reach the state machine (422: nothing to close yet); others get 403.
    assert r.status_code == (422 if who in CAN_CLOSE else 403), r.text
    r = api.post(
        who,
        f"/hazards/{case_id}/list",
        {"occurred_at": api.now(), "level": "county", "authority": "县安委办"},
    )
    assert r.status_code == (422 if who in CAN_LIST else 403), r.text


def test_auditor_reads_but_cannot_write(api: Api) -> None:
    case_id = report(api)
    assert api.get("auditor", f"/hazards/{case_id}").status_code == 200
    assert api.get("auditor", f"/hazards/{case_id}/timeline").status_code == 200
    r = api.post(
        "auditor", f"/hazards/{case_id}/grade", {"occurred_at": api.now(), "grade": "general"}
    )
    assert r.status_code == 403
    assert len(api.ledger.history(__import__("uuid").UUID(case_id))) == 1


def test_enterprise_cannot_see_another_enterprises_case(api: Api) -> None:
    case_id = report(api)  # at the restaurant
    mine = api.get("enterprise", f"/hazards/{case_id}")
    assert mine.status_code == 200
    theirs = api.get("other_enterprise", f"/hazards/{case_id}")
    missing = api.get("other_enterprise", "/hazards/00000000-0000-0000-0000-000000000000")
    assert theirs.status_code == missing.status_code == 404
    body_theirs, body_missing = theirs.json(), missing.json()
    body_theirs.pop("instance"), body_missing.pop("instance")
    assert body_theirs == body_missing  # nothing reveals that the case exists


def test_enterprise_user_reports_only_own_self_inspection(api: Api) -> None:
    assert (
        api.post("enterprise", "/hazards", hazard_body(api, source="self_inspection")).status_code
        == 201
    )
    assert (
        api.post("enterprise", "/hazards", hazard_body(api, source="grid_patrol")).status_code
        == 403
    )
    r = api.post("other_enterprise", "/hazards", hazard_body(api, RESTAURANT, "self_inspection"))
    assert r.status_code == 404


def test_inspector_outside_region(api: Api) -> None:
    case_id = report(api)
    assert api.get("far_inspector", f"/hazards/{case_id}").status_code == 404
    r = api.post(
        "far_inspector", f"/hazards/{case_id}/grade", {"occurred_at": api.now(), "grade": "general"}
    )
    assert r.status_code == 404
    assert api.post("far_inspector", "/hazards", hazard_body(api, FAR_AWAY)).status_code == 201
    assert api.post("inspector", "/hazards", hazard_body(api, FAR_AWAY)).status_code == 404


def test_department_limited_to_its_sectors(api: Api) -> None:
    r = api.post("admin", "/hazards", hazard_body(api))
    assert r.status_code == 403  # admins do not report hazards
    case_id = report(api)
    assert api.get("department", f"/hazards/{case_id}").status_code == 200  # city_gas
    body = hazard_body(api)
    body["sector"] = "fire"
    fire_id = api.post("inspector", "/hazards", body).json()["id"]
    assert api.get("department", f"/hazards/{fire_id}").status_code == 404


def test_unauthenticated_and_bad_tokens(api: Api) -> None:
    case_id = report(api)
    r = api.client.get(f"/hazards/{case_id}")
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = api.client.get(f"/hazards/{case_id}", headers={"Authorization": "Bearer hl_nope"})
    assert r.status_code == 401
    from api.users import directory_for

    # Another process's revocation (a fresh directory on the same store) takes effect
    # at this process's very next request ...
    assert api.get("inspector", f"/hazards/{case_id}").status_code == 200
    directory_for(api.ledger).revoke("insp", now=api.clock.now)
    users = api.client.app.state.services.users  # type: ignore[attr-defined]
    assert api.get("inspector", f"/hazards/{case_id}").status_code == 401
    # ... and a revocation in this process takes effect at once.
    assert api.get("government", f"/hazards/{case_id}").status_code == 200
    users.revoke("gov", now=api.clock.now)
    assert api.get("government", f"/hazards/{case_id}").status_code == 401
