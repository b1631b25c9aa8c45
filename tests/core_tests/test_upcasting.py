"""Events stored by an earlier release still load: upcasting, and old data kept honest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import orjson
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from ledger.application import HazardLedger
from ledger.errors import RuleViolated
from ledger.hazard import HazardCase
from ledger.identity import Actor
from tests.conftest import FakeClock
from tests.core_tests.walk import walk_to
from tests.support import DEPARTMENT, ENTERPRISE_USER


def _insert_v1_rectification(ledger: HazardLedger, case_id: UUID, at: Any, measures: str) -> None:
    """Write a RectificationReported as release 1 stored it: no evidence, no class_version."""
    state = {
        "actor": {
            "id": ENTERPRISE_USER.id,
            "name": ENTERPRISE_USER.name,
            "role": ENTERPRISE_USER.role.value,
            "organisation": ENTERPRISE_USER.organisation,
        },
        "occurred_at": at.isoformat(),
        "timestamp": at.isoformat(),
        "justification": None,
        "measures": measures,
        "completed_at": (at - timedelta(hours=1)).isoformat(),
    }
    ledger.recorder.insert_events(
        [
            StoredEvent(
                originator_id=case_id,
                originator_version=ledger.case(case_id).version + 1,
                topic=get_topic(HazardCase.RectificationReported),
                state=orjson.dumps(state),
            )
        ]
    )


def test_v1_rectification_report_loads_with_no_evidence(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = walk_to(ledger, clock, "assigned")
    clock.advance(hours=1)
    _insert_v1_rectification(ledger, case_id, clock.now, "更换金属管道")

    fresh = HazardLedger(ledger.store, clock=clock)
    try:
        event = fresh.history(case_id)[-1]
        assert isinstance(event, HazardCase.RectificationReported)
        assert event.evidence == ()
        assert event.measures == "更换金属管道"
        assert event.completed_at == clock.now - timedelta(hours=1)
        assert event.actor == ENTERPRISE_USER and isinstance(event.actor, Actor)
        case = fresh.case(case_id)
        assert case.status == "rectification_reported"
        assert case.rectification_evidence == ()
        assert case.rectification_reporter == ENTERPRISE_USER.id
        # The upcast case carries on like any other.
        clock.advance(hours=1)
        fresh.verify_rectification(DEPARTMENT, clock.now, case_id, accepted=True, opinion="合格")
        clock.advance(hours=1)
        fresh.close_hazard(DEPARTMENT, clock.now, case_id)
        assert fresh.case(case_id).status == "closed"
        # The v1 row itself is never rewritten: upcasting happens on reading.
        stored = fresh.recorder.select_events(case_id)
        assert "class_version" not in orjson.loads(stored[-3].state)
        assert b'"evidence"' not in stored[-3].state
    finally:
        fresh.close()


def test_old_rectification_without_measures_cannot_be_closed(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    """Seed 001: closures approved without measures. Old data may hold such a report;
    the ledger loads it, but refuses to close on it."""
    case_id = walk_to(ledger, clock, "assigned")
    clock.advance(hours=1)
    _insert_v1_rectification(ledger, case_id, clock.now, "")
    clock.advance(hours=1)
    ledger.verify_rectification(DEPARTMENT, clock.now, case_id, accepted=True, opinion="同意")
    version = ledger.case(case_id).version
    clock.advance(hours=1)
    with pytest.raises(RuleViolated) as refused:
        ledger.close_hazard(DEPARTMENT, clock.now, case_id)
    assert [v.rule for v in refused.value.violations] == ["CLOSE_WITHOUT_MEASURES"]
    assert ledger.case(case_id).version == version
