"""Two clocks on every event, and the actor of every step, as stored.

Business time (``occurred_at``) comes from the caller and is kept; recording time
(``timestamp``) comes from the ledger's clock only. Every check reloads through a new
application on the same store, so what is asserted is what an auditor will read.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from ledger.application import HazardLedger
from ledger.enterprise import Person
from ledger.errors import RuleViolated
from ledger.events import CLOCK_SKEW, LATE_ENTRY_THRESHOLD
from ledger.hazard import HazardCase
from ledger.identity import Actor, Role
from tests.conftest import FakeClock
from tests.core_tests.walk import CITY_OFFICE, DEPARTMENT_NAME, footprint, new_case
from tests.support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    GOVERNMENT,
    INSPECTOR,
    OTHER_OFFICIAL,
    PLAN,
    RESTAURANT_CODE,
    register_restaurant,
)


@pytest.fixture
def reread(ledger: HazardLedger, clock: FakeClock) -> Iterator[HazardLedger]:
    """A second application on the same store, as a later reader would open it."""
    app = HazardLedger(ledger.store, clock=clock)
    yield app
    app.close()


def _report(ledger: HazardLedger, clock: FakeClock, occurred_at: datetime, **kw: Any) -> UUID:
    return ledger.report_hazard(
        INSPECTOR,
        occurred_at,
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        location="储气间",
        description="气瓶未固定",
        source="grid_patrol",
        **kw,
    )


def test_business_time_is_kept_and_recording_time_is_the_ledgers(
    ledger: HazardLedger, clock: FakeClock, reread: HazardLedger
) -> None:
    register_restaurant(ledger, clock.now)
    found = clock.now - timedelta(days=3, hours=5)
    case_id = _report(ledger, clock, found)
    recorded = clock.now
    clock.advance(hours=2)
    graded_at = clock.now - timedelta(minutes=40)
    ledger.grade_hazard(INSPECTOR, graded_at, case_id, grade="general")

    reported, graded = reread.history(case_id)
    assert (reported.occurred_at, reported.timestamp) == (found, recorded)
    assert (graded.occurred_at, graded.timestamp) == (graded_at, clock.now)
    assert reported.justification is None
    case = reread.case(case_id)
    assert case.found_at == found and case.last_occurred_at == graded_at


def test_no_command_lets_the_caller_set_the_recording_time() -> None:
    for name in dir(HazardLedger):
        method = getattr(HazardLedger, name)
        if callable(method) and not name.startswith("_"):
            params = inspect.signature(method).parameters
            assert "timestamp" not in params and "recorded_at" not in params, name


def test_future_business_time_beyond_the_skew_is_refused(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    before = ledger.recorder.max_notification_id()
    with pytest.raises(RuleViolated) as refused:
        _report(ledger, clock, clock.now + CLOCK_SKEW + timedelta(seconds=1))
    assert [v.rule for v in refused.value.violations] == ["OCCURRED_AT_IN_FUTURE"]
    assert ledger.recorder.max_notification_id() == before
    # Within the skew a slightly fast client clock is tolerated.
    case_id = _report(ledger, clock, clock.now + CLOCK_SKEW)
    assert ledger.history(case_id)[0].occurred_at == clock.now + CLOCK_SKEW


def test_late_entry_needs_a_justification_which_is_kept(
    ledger: HazardLedger, clock: FakeClock, reread: HazardLedger
) -> None:
    register_restaurant(ledger, clock.now - LATE_ENTRY_THRESHOLD)
    late = clock.now - LATE_ENTRY_THRESHOLD - timedelta(minutes=1)
    before = ledger.recorder.max_notification_id()
    for blank in (None, "", "   "):
        with pytest.raises(RuleViolated) as refused:
            _report(ledger, clock, late, justification=blank)
        assert [v.rule for v in refused.value.violations] == ["LATE_ENTRY_NEEDS_JUSTIFICATION"]
        assert refused.value.violations[0].field == "justification"
    assert ledger.recorder.max_notification_id() == before
    # Exactly at the threshold no justification is needed.
    _report(ledger, clock, clock.now - LATE_ENTRY_THRESHOLD)
    why = "纸质检查记录于三周后补录"
    case_id = _report(ledger, clock, late, justification=why)
    (event,) = reread.history(case_id)
    assert event.justification == why and event.occurred_at == late
    assert event.timestamp == clock.now


def test_known_at_and_valid_at_cut_the_history_at_the_right_prefix(
    ledger: HazardLedger, clock: FakeClock, reread: HazardLedger
) -> None:
    t0 = clock.now
    ledger.register_enterprise(
        INSPECTOR,
        t0 - timedelta(days=20),
        credit_code=RESTAURANT_CODE,
        name="静宁县某某餐馆",
        region_code="620826",
        sectors=["city_gas"],
        principal=Person("p-001", "王五"),
        justification="纸质台账补录",
    )
    # Found ten days ago on paper, typed in now.
    case_id = _report(ledger, clock, t0 - timedelta(days=10), justification="纸质台账补录")
    clock.advance(days=1)
    ledger.grade_hazard(INSPECTOR, clock.now, case_id, grade="general")
    clock.advance(days=1)
    ledger.assign_rectification(
        INSPECTOR,
        clock.now,
        case_id,
        department=DEPARTMENT_NAME,
        deadline=clock.now + timedelta(days=15),
        requirements="固定气瓶",
    )
    # Rectified on day 3, reported on day 5.
    clock.advance(days=3)
    ledger.report_rectification(
        ENTERPRISE_USER,
        t0 + timedelta(days=3),
        case_id,
        measures="加装链条固定",
        completed_at=t0 + timedelta(days=3),
    )

    def version(state: HazardCase | None) -> int | None:
        return None if state is None else state.version

    day3 = t0 + timedelta(days=3, hours=1)
    assert version(reread.case_at(case_id, valid_at=day3)) == 4
    assert version(reread.case_at(case_id, known_at=day3)) == 3
    assert version(reread.case_at(case_id, known_at=day3, valid_at=day3)) == 3
    assert version(reread.case_at(case_id, known_at=clock.now, valid_at=t0)) == 1
    assert version(reread.case_at(case_id, valid_at=t0 - timedelta(days=5))) == 1
    assert version(reread.case_at(case_id, known_at=t0 - timedelta(seconds=1))) is None
    assert version(reread.case_at(case_id, valid_at=t0 - timedelta(days=11))) is None
    assert version(reread.case_at(case_id, version=2)) == 2
    as_known = reread.case_at(case_id, known_at=day3)
    assert as_known is not None and as_known.status == "assigned"
    assert as_known.is_overdue(t0 + timedelta(days=18))
    now = reread.case_at(case_id)
    assert now is not None and now.status == "rectification_reported"
    assert not now.is_overdue(t0 + timedelta(days=18))


def test_overdue_is_derived_from_the_deadline_never_stored(
    ledger: HazardLedger, clock: FakeClock, reread: HazardLedger
) -> None:
    case_id = new_case(ledger, clock)
    ledger.grade_hazard(INSPECTOR, clock.now, case_id, grade="general")
    deadline = clock.now + timedelta(days=15)
    ledger.assign_rectification(
        INSPECTOR,
        clock.now,
        case_id,
        department=DEPARTMENT_NAME,
        deadline=deadline,
        requirements="固定气瓶",
    )
    case = reread.case(case_id)
    assert not case.is_overdue(deadline)
    assert case.is_overdue(deadline + timedelta(seconds=1))
    assert case.overdue_days(deadline + timedelta(days=4, hours=3)) == 4
    assert case.overdue_days(deadline - timedelta(days=1)) == 0
    # Time passing records nothing; only commands do.
    clock.advance(days=40)
    before = footprint(reread, case_id)
    assert reread.case(case_id).is_overdue(clock.now)
    assert footprint(reread, case_id) == before
    assert not any("overdue" in k for k in vars(reread.case(case_id)))
    ledger.extend_deadline(
        DEPARTMENT,
        clock.now,
        case_id,
        new_deadline=clock.now + timedelta(days=10),
        reason="设备到货延迟",
        approver="李明",
    )
    assert not reread.case(case_id).is_overdue(clock.now)
    assert reread.case(case_id).is_overdue(clock.now + timedelta(days=11))


def test_every_event_carries_the_actor_who_issued_it(
    ledger: HazardLedger, clock: FakeClock, reread: HazardLedger
) -> None:
    case_id = new_case(ledger, clock)
    steps: list[tuple[Actor, str]] = []

    def do(actor: Actor, command: str, **kw: object) -> None:
        clock.advance(hours=1)
        getattr(ledger, command)(actor, clock.now, case_id, **kw)
        steps.append((actor, command))

    do(INSPECTOR, "grade_hazard", grade="major", criteria=["GAS-06"])
    do(GOVERNMENT, "list_for_supervision", level="county", authority="静宁县安委会")
    do(ENTERPRISE_USER, "file_plan", plan=PLAN)
    do(
        INSPECTOR,
        "assign_rectification",
        department=DEPARTMENT_NAME,
        deadline=clock.now + timedelta(days=30),
        requirements="按方案整改",
    )
    do(CITY_OFFICE, "list_for_supervision", level="city", authority="平凉市安委会")
    do(
        DEPARTMENT,
        "extend_deadline",
        new_deadline=clock.now + timedelta(days=60),
        reason="工程量大",
        approver="李明",
    )
    do(ENTERPRISE_USER, "report_rectification", measures="新建库房", completed_at=clock.now)
    do(ENTERPRISE_USER, "file_assessment", summary="评估合格")
    do(OTHER_OFFICIAL, "verify_rectification", accepted=True, opinion="验收合格")
    do(DEPARTMENT, "close_hazard")
    do(GOVERNMENT, "delist")

    history = reread.history(case_id)
    assert history[0].actor == INSPECTOR
    assert [e.actor for e in history[1:]] == [actor for actor, _ in steps]
    for event in history:
        assert isinstance(event.actor, Actor) and isinstance(event.actor.role, Role)
    assert {e.actor.id for e in history} == {
        "insp-001",
        "gov-003",
        "ent-001",
        "gov-101",
        "dept-007",
        "dept-008",
    }
    case = reread.case(case_id)
    assert case.reported_by == INSPECTOR.id
    assert case.rectification_reporter == ENTERPRISE_USER.id
    assert case.verified_by == OTHER_OFFICIAL.id and case.closed_by == DEPARTMENT.id
