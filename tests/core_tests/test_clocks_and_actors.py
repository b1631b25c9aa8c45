"""Both clocks and the actor on every event; bitemporal cuts; overdue derived."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ledger.application import HazardLedger
from ledger.errors import RuleViolated
from ledger.hazard import Status
from tests.conftest import FakeClock
from tests.support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    INSPECTOR,
    assigned_case,
    register_restaurant,
    report_case,
)


def test_business_time_from_caller_recording_time_from_ledger(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    happened = clock.now - timedelta(days=2)
    case_id = report_case(ledger, happened)
    event = ledger.history(case_id)[0]
    assert event.occurred_at == happened
    assert event.timestamp == clock.now  # the ledger's clock, not the caller's


def test_future_business_time_is_refused(ledger: HazardLedger, clock: FakeClock) -> None:
    register_restaurant(ledger, clock.now)
    with pytest.raises(RuleViolated) as refused:
        report_case(ledger, clock.now + timedelta(minutes=6))
    assert refused.value.violations[0].rule == "OCCURRED_AT_IN_FUTURE"
    report_case(ledger, clock.now + timedelta(minutes=4))  # within the clock skew


def test_late_entry_needs_and_keeps_a_justification(ledger: HazardLedger, clock: FakeClock) -> None:
    code = register_restaurant(ledger, clock.now)
    three_weeks_ago = clock.now - timedelta(days=21)
    with pytest.raises(RuleViolated) as refused:
        report_case(ledger, three_weeks_ago)
    assert refused.value.violations[0].rule == "LATE_ENTRY_NEEDS_JUSTIFICATION"
    assert refused.value.violations[0].field == "justification"
    case_id = ledger.report_hazard(
        INSPECTOR,
        three_weeks_ago,
        enterprise_code=code,
        sector="city_gas",
        location="后厨",
        description="补录的检查发现",
        source="grid_patrol",
        justification="纸质检查记录补录",
    )
    event = ledger.history(case_id)[0]
    assert event.justification == "纸质检查记录补录"
    assert event.timestamp - event.occurred_at == timedelta(days=21)


def test_every_event_carries_its_actor_after_reload(
    ledger: HazardLedger, store_url: str, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    clock.advance(days=3)
    ledger.report_rectification(
        ENTERPRISE_USER, clock.now, case_id, measures="已整改", completed_at=clock.now
    )
    clock.advance(days=1)
    ledger.verify_rectification(DEPARTMENT, clock.now, case_id, accepted=True, opinion="合格")
    fresh = HazardLedger(store_url, clock=clock)
    try:
        actors = [(type(e).__name__, e.actor) for e in fresh.history(case_id)]
    finally:
        fresh.close()
    assert actors == [
        ("Reported", INSPECTOR),
        ("Graded", INSPECTOR),
        ("Assigned", INSPECTOR),
        ("RectificationReported", ENTERPRISE_USER),
        ("Verified", DEPARTMENT),
    ]


def test_known_at_and_valid_at_are_prefixes(ledger: HazardLedger, clock: FakeClock) -> None:
    t0 = clock.now
    case_id = assigned_case(ledger, t0)  # reported, graded, assigned at t0, recorded at t0
    clock.advance(days=10)
    # Rectified on day 5, but typed in on day 10 (late, within the threshold).
    ledger.report_rectification(
        ENTERPRISE_USER,
        t0 + timedelta(days=5),
        case_id,
        measures="已整改",
        completed_at=t0 + timedelta(days=5),
    )
    known_day7 = ledger.case_at(case_id, known_at=t0 + timedelta(days=7))
    valid_day7 = ledger.case_at(case_id, valid_at=t0 + timedelta(days=7))
    both = ledger.case_at(case_id, known_at=t0 + timedelta(days=7), valid_at=t0 + timedelta(days=7))
    assert known_day7 is not None and valid_day7 is not None and both is not None
    assert known_day7.status is Status.ASSIGNED  # not yet known on day 7
    assert valid_day7.status is Status.RECTIFICATION_REPORTED  # but it had happened
    assert both.status is Status.ASSIGNED
    assert ledger.case_at(case_id, known_at=t0 - timedelta(seconds=1)) is None
    assert ledger.case_at(case_id, version=2) is not None
    assert ledger.case_at(case_id, version=2).status is Status.GRADED  # type: ignore[union-attr]


def test_overdue_is_derived_never_stored(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, clock.now)
    case = ledger.case(case_id)
    assert case.deadline is not None
    assert not case.is_overdue(case.deadline)
    assert case.is_overdue(case.deadline + timedelta(days=3))
    assert case.overdue_days(case.deadline + timedelta(days=3, hours=1)) == 3
    assert all("overdue" not in type(e).__name__.lower() for e in ledger.history(case_id))
