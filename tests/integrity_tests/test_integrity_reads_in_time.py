"""Integrity reads honour ``known_at`` like every read: the bundle as known at T holds
only the events recorded by T, proven against the log as it stood at T; checkpoint
lists as of T hold only the checkpoints issued by T; a case not yet recorded is 404."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from api.app import Settings, create_app
from api.users import User
from ledger.application import HazardLedger
from ledger.identity import Role
from ledger.integrity.bundle import verify_bundle
from tests.conftest import FakeClock
from tests.support import ENTERPRISE_USER, assigned_case, report_case

AUDITOR = User("aud", "孙审", Role.AUDITOR, "市纪委监委", "")


class Reader:
    def __init__(self, client: TestClient, token: str) -> None:
        self.client, self.token = client, token

    def get(self, path: str, known_at: datetime | None = None) -> Any:
        params = {} if known_at is None else {"known_at": known_at.isoformat()}
        return self.client.get(
            path, params=params, headers={"Authorization": f"Bearer {self.token}"}
        )


@pytest.fixture
def reader(keyed_ledger: HazardLedger, store_url: str, clock: FakeClock) -> Iterator[Reader]:
    app = create_app(Settings(store=store_url, clock=clock, follow=False), ledger=keyed_ledger)
    with TestClient(app) as client:
        token = app.state.services.users.add(AUDITOR, now=clock.now)
        yield Reader(client, token)


def test_bundles_and_checkpoints_as_known_at_a_moment(
    keyed_ledger: HazardLedger, reader: Reader, clock: FakeClock
) -> None:
    log = keyed_ledger.integrity
    case_id = assigned_case(keyed_ledger, clock.now)
    assigned = log.tree_head()[0]
    case_events = len(log.entries(case_id))
    before_first = clock.advance(hours=1)
    clock.advance(hours=1)
    first = log.issue_checkpoint()
    after_first = clock.advance(hours=1)
    clock.advance(hours=1)
    keyed_ledger.report_rectification(
        ENTERPRISE_USER, clock.now, case_id, measures="已改管", completed_at=clock.now
    )
    rectified = clock.advance(hours=1)
    later_case = report_case(keyed_ledger, clock.advance(hours=1))
    clock.advance(hours=1)
    second = log.issue_checkpoint()
    now = clock.advance(hours=1)

    def sizes(moment: datetime | None) -> list[int]:
        r = reader.get("/checkpoints", moment)
        assert r.status_code == 200, r.text
        return [c["tree_size"] for c in r.json()]

    assert sizes(before_first) == []
    assert sizes(after_first) == sizes(rectified) == [first.tree_size]
    assert sizes(now) == sizes(None) == [first.tree_size, second.tree_size]
    assert reader.get("/checkpoints/latest", before_first).status_code == 404
    assert reader.get("/checkpoint", before_first).status_code == 404
    latest = reader.get("/checkpoints/latest", after_first).json()
    assert latest["tree_size"] == first.tree_size
    assert reader.get("/checkpoint", rectified).text == log.note_for(first).text()
    assert reader.get("/checkpoint").text == log.note_for(second).text()

    def bundle(of: object, moment: datetime | None) -> dict[str, Any]:
        r = reader.get(f"/hazards/{of}/bundle", moment)
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        outcome = verify_bundle(orjson.dumps(data))
        assert outcome.ok, outcome.problems_en
        return data

    # known at a moment before any checkpoint: the events of then, under that tree head
    early = bundle(case_id, before_first)
    assert len(early["events"]) == case_events
    assert f"\n{assigned}\n" in early["checkpoint"]
    # after the first checkpoint: its events, under the checkpoint issued by then
    middle = bundle(case_id, after_first)
    assert len(middle["events"]) == case_events
    assert middle["checkpoint"] == log.note_for(first).text()
    # the rectification recorded after it: proven against the log as it stood then
    assert len(bundle(case_id, rectified)["events"]) == case_events + 1
    assert len(bundle(case_id, None)["events"]) == case_events + 1
    # a case not recorded yet at T is not found, as for an id nobody used
    assert reader.get(f"/hazards/{later_case}/bundle", rectified).status_code == 404
    bundle(later_case, now)
    # answering for an earlier moment stored no checkpoint
    assert sizes(None) == [first.tree_size, second.tree_size]
    assert sizes(rectified - timedelta(microseconds=1)) == [first.tree_size]
