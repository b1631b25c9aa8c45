"""Snapshots "as known at" a moment, built on request for the lists and statistics."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import quote

from .conftest import Api, report


def wait_ready(api: Api, known_at: str) -> dict[str, object]:
    for _ in range(200):
        status = api.get("auditor", "/snapshots").json()
        if status["state"] in ("ready", "failed"):
            assert status["known_at"] == known_at
            return status
        time.sleep(0.05)
    raise AssertionError("the snapshot never finished")


def test_a_snapshot_answers_the_register_as_it_was_known(api: Api) -> None:
    first = report(api)
    between = (api.clock.now + timedelta(minutes=30)).isoformat()
    api.clock.advance(hours=1)
    report(api)
    missing = api.get("auditor", f"/register?known_at={quote(between)}")
    assert missing.status_code == 409
    assert missing.json()["type"].endswith("snapshot-missing")

    started = api.post("auditor", "/snapshots", {"known_at": between})
    assert started.status_code == 202, started.text
    assert wait_ready(api, between)["state"] == "ready"
    then = api.get("auditor", f"/register?known_at={quote(between)}")
    assert then.status_code == 200, then.text
    assert [item["case_id"] for item in then.json()["items"]] == [first]
    assert api.get("auditor", "/register").status_code in (200, 503)


def test_snapshots_are_for_officials_and_need_a_time_zone(api: Api) -> None:
    assert api.post("enterprise", "/snapshots", {"known_at": api.now()}).status_code == 403
    naive = api.post("auditor", "/snapshots", {"known_at": "2026-03-01T00:00:00"})
    assert naive.status_code == 422
