"""ETags name the version a client acts on next (``If-Match``): a record's read sends
its version, and a command's answer the version it recorded — a retried command
(``Idempotency-Key``) answers the original's, even after the record moved on."""

from __future__ import annotations

from .conftest import RESTAURANT, Api, hazard_body


def test_an_idempotent_replay_answers_the_original_etag(api: Api) -> None:
    key = {"Idempotency-Key": "report-once-1"}
    first = api.post("inspector", "/hazards", hazard_body(api), **key)
    assert first.status_code == 201 and first.headers["etag"] == '"1"', first.text
    case = first.json()["id"]
    grade = {"occurred_at": api.now(), "grade": "general"}
    graded = api.post("inspector", f"/hazards/{case}/grade", grade, **{"Idempotency-Key": "g-1"})
    assert graded.headers["etag"] == '"2"'
    moved = api.post(
        "inspector",
        f"/hazards/{case}/rectify-on-spot",
        {"occurred_at": api.now(), "measures": "当场更换软管"},
        **{"If-Match": '"2"'},
    )
    assert moved.status_code == 200 and moved.headers["etag"] == '"3"', moved.text

    again = api.post("inspector", f"/hazards/{case}/grade", grade, **{"Idempotency-Key": "g-1"})
    assert again.headers["idempotent-replay"] == "true"
    assert (again.status_code, again.json(), again.headers["etag"]) == (200, graded.json(), '"2"')
    replayed = api.post("inspector", "/hazards", hazard_body(api), **key)
    assert replayed.headers.get("idempotent-replay") == "true", replayed.text
    assert (replayed.status_code, replayed.headers["etag"]) == (201, '"1"')


def test_an_enterprise_read_sends_the_version_if_match_names(api: Api) -> None:
    read = api.get("government", f"/enterprises/{RESTAURANT}")
    assert read.status_code == 200 and read.headers["etag"] == f'"{read.json()["version"]}"'
    change = {"occurred_at": api.now(), "principal": {"id": "p-new", "name": "新负责人"}}
    path = f"/enterprises/{RESTAURANT}/principal"
    changed = api.post("government", path, change, **{"If-Match": read.headers["etag"]})
    assert changed.status_code == 200, changed.text
    after = api.get("government", f"/enterprises/{RESTAURANT}")
    assert after.headers["etag"] == changed.headers["etag"] != read.headers["etag"]
    stale = api.post("government", path, change, **{"If-Match": read.headers["etag"]})
    assert stale.status_code in (409, 412), stale.text


def test_an_enforcement_action_read_sends_its_version(api: Api) -> None:
    issued = api.post(
        "inspector",
        "/enforcement",
        {
            "occurred_at": api.now(),
            "kind": "warning_letter",
            "document_number": "静应急〔2026〕002号",
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "department": "县住建局",
            "legal_basis": "《中华人民共和国安全生产法》",
        },
    )
    assert issued.status_code == 201, issued.text
    read = api.get("inspector", f"/enforcement/{issued.json()['id']}")
    assert read.headers["etag"] == issued.headers["etag"] == f'"{read.json()["version"]}"'
