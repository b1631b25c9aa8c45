"""Replay determinism, by property: any legal life of a case rebuilds to the same state.

A walk draws, at every step, one of the commands that a small reference model says are
legal now (the model restates DOMAIN.md's rules independently of ``ledger.hazard``),
with random texts, random business times moving forward (late entries included, with
their justification) and random recording times. Every legal command must succeed;
every other command tried on the way must be refused without changing the case. At the
end the case rebuilt from the store by a new application, and by ``state_at`` with no
cut, equals the aggregate the last command left in memory, and rebuilding twice gives
the same state.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.errors import RuleViolated
from ledger.events import LATE_ENTRY_THRESHOLD, LedgerAggregate
from ledger.hazard import Grade, HazardCase, ListingLevel, RectificationPlan, Source, Status
from tests.conftest import FakeClock
from tests.core_tests.walk import case_state, new_case
from tests.support import DEPARTMENT, ENTERPRISE_USER, GOVERNMENT, INSPECTOR, OTHER_OFFICIAL

COMMANDS = (
    "grade_general",
    "grade_major",
    "rectify_on_spot",
    "assign",
    "file_plan",
    "interim_controls",
    "extend_deadline",
    "list",
    "delist",
    "escalate",
    "report_rectification",
    "file_assessment",
    "verify_accept",
    "verify_reject",
    "close",
    "reopen",
)
CONTROLS: Any = ("Cc",)
NEXT_LEVEL = {None: "county", "county": "city", "city": "province", "province": None}
OFFICIALS = (INSPECTOR, DEPARTMENT, OTHER_OFFICIAL, GOVERNMENT)

words = st.text(
    st.characters(codec="utf-8", exclude_categories=CONTROLS), min_size=1, max_size=12
).filter(lambda s: bool(s.strip()))


def legal_commands(case: HazardCase) -> list[str]:
    """The reference model: what may be done to this case now."""
    s = case.status
    major = case.grade == Grade.MAJOR
    listed = case.listing_level is not None and case.delisted_at is None
    is_open = s not in (Status.CLOSED, Status.DISMISSED)
    legal = []
    if s == Status.REPORTED and case.source == Source.SENSOR:
        legal.append("dismiss")  # 误报核销: a sensor's alarm, before grading
    if s in (Status.REPORTED, Status.GRADED, Status.REOPENED):
        legal.append("grade_major")
        if not listed:
            legal.append("grade_general")
    if s in (Status.GRADED, Status.REOPENED):
        legal.append("assign")
        if case.grade == Grade.GENERAL:
            legal.append("rectify_on_spot")
    if is_open and major and s not in (Status.REPORTED, Status.VERIFIED):
        legal.append("file_plan")
    if is_open:
        legal += ["interim_controls", "escalate"]
    if s == Status.ASSIGNED and case.deadline is not None:
        legal.append("extend_deadline")
    if is_open and s != Status.REPORTED and major and NEXT_LEVEL[case.listing_level]:
        legal.append("list")
    if s == Status.CLOSED and listed:
        legal.append("delist")
    if s == Status.ASSIGNED and (not major or case.plan is not None):
        legal.append("report_rectification")
    if s == Status.RECTIFICATION_REPORTED:
        if listed:
            legal.append("file_assessment")
        if not listed or case.assessment_filed_at is not None:
            legal += ["verify_accept", "verify_reject"]
    if s == Status.VERIFIED:
        legal.append("close")
    if s == Status.CLOSED:
        legal.append("reopen")
    return legal


class CapturingLedger(HazardLedger):
    """The real ledger, keeping the last aggregate each command saved (in memory)."""

    # The library names PostgreSQL tables after the application: keep the ledger's.
    name = HazardLedger.name

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saved: dict[UUID, LedgerAggregate] = {}

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        recordings = super().save(*objs, **kwargs)
        for obj in objs:
            self.saved[obj.id] = obj
        return recordings


def issue(
    ledger: HazardLedger,
    draw: Any,
    case: HazardCase,
    command: str,
    at: datetime,
    justification: str | None,
) -> None:
    """Issue ``command`` with drawn, individually valid arguments."""
    cid = case.id
    official = draw(st.sampled_from(OFFICIALS))
    if command == "grade_general":
        ledger.grade_hazard(official, at, cid, grade="general", justification=justification)
    elif command == "grade_major":
        criteria = draw(st.lists(st.sampled_from(["GAS-01", "GAS-06", "GAS-07"]), min_size=1))
        ledger.grade_hazard(
            official, at, cid, grade="major", criteria=criteria, justification=justification
        )
    elif command == "rectify_on_spot":
        ledger.rectify_on_spot(official, at, cid, measures=draw(words), justification=justification)
    elif command == "assign":
        days = draw(st.integers(min_value=1, max_value=60))
        ledger.assign_rectification(
            official,
            at,
            cid,
            department=draw(words),
            deadline=at + timedelta(days=days),
            requirements=draw(words),
            justification=justification,
        )
    elif command == "file_plan":
        plan = RectificationPlan(*(draw(words) for _ in range(6)))
        ledger.file_plan(ENTERPRISE_USER, at, cid, plan=plan, justification=justification)
    elif command == "interim_controls":
        ledger.record_interim_controls(
            ENTERPRISE_USER, at, cid, controls=draw(words), justification=justification
        )
    elif command == "extend_deadline":
        days = draw(st.integers(min_value=1, max_value=30))
        ledger.extend_deadline(
            DEPARTMENT,
            at,
            cid,
            new_deadline=(case.deadline or at) + timedelta(days=days),
            reason=draw(words),
            approver=draw(words),
            justification=justification,
        )
    elif command == "list":
        level = NEXT_LEVEL[case.listing_level] or "province"
        ledger.list_for_supervision(
            GOVERNMENT,
            at,
            cid,
            level=ListingLevel(level),
            authority=draw(words),
            justification=justification,
        )
    elif command == "delist":
        ledger.delist(GOVERNMENT, at, cid, justification=justification)
    elif command == "escalate":
        ledger.escalate(
            GOVERNMENT, at, cid, level=draw(words), reason=draw(words), justification=justification
        )
    elif command == "report_rectification":
        done = at - timedelta(minutes=draw(st.integers(min_value=0, max_value=600)))
        ledger.report_rectification(
            ENTERPRISE_USER,
            at,
            cid,
            measures=draw(words),
            completed_at=done,
            evidence=draw(st.lists(words, max_size=2)),
            justification=justification,
        )
    elif command == "file_assessment":
        ledger.file_assessment(
            ENTERPRISE_USER, at, cid, summary=draw(words), justification=justification
        )
    elif command in ("verify_accept", "verify_reject"):
        verifier = draw(st.sampled_from((DEPARTMENT, OTHER_OFFICIAL)))
        ledger.verify_rectification(
            verifier,
            at,
            cid,
            accepted=command == "verify_accept",
            opinion=draw(words),
            justification=justification,
        )
    elif command == "close":
        ledger.close_hazard(DEPARTMENT, at, cid, justification=justification)
    elif command == "reopen":
        ledger.reopen_hazard(INSPECTOR, at, cid, reason=draw(words), justification=justification)
    else:  # pragma: no cover
        raise AssertionError(command)


def walk(ledger: HazardLedger, clock: FakeClock, draw: Any, steps: int) -> UUID:
    case_id = new_case(ledger, clock)
    for _ in range(steps):
        case = ledger.case(case_id)
        clock.advance(minutes=draw(st.integers(min_value=1, max_value=60 * 24 * 12)))
        room = min(clock.now - case.last_occurred_at, timedelta(days=9))
        lag = timedelta(minutes=draw(st.integers(0, int(room.total_seconds() // 60))))
        at = clock.now - lag
        justification = draw(words) if lag > LATE_ENTRY_THRESHOLD else None

        illegal = [c for c in COMMANDS if c not in legal_commands(case)]
        if illegal and draw(st.booleans()):
            tried = draw(st.sampled_from(illegal))
            version, events = case.version, len(ledger.history(case_id))
            with pytest.raises(RuleViolated):
                issue(ledger, draw, case, tried, at, justification)
            assert ledger.case(case_id).version == version
            assert len(ledger.history(case_id)) == events

        command = draw(st.sampled_from(legal_commands(case)))
        issue(ledger, draw, case, command, at, justification)
        after = ledger.case(case_id)
        assert after.version == case.version + 1
        assert ledger.history(case_id)[-1].timestamp == clock.now
    return case_id


@pytest.fixture
def capturing(store_url: str, clock: FakeClock) -> Iterator[CapturingLedger]:
    app = CapturingLedger(store_url, clock=clock)
    yield app
    app.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_legal_life_replays_to_the_same_state(
    capturing: CapturingLedger, clock: FakeClock, data: st.DataObject
) -> None:
    steps = data.draw(st.integers(min_value=1, max_value=14), label="steps")
    case_id = walk(capturing, clock, data.draw, steps)
    in_memory = case_state(capturing.saved[case_id])

    fresh = HazardLedger(capturing.store, clock=clock)
    try:
        assert case_state(fresh.case(case_id)) == in_memory
        assert case_state(fresh.case(case_id)) == case_state(fresh.case(case_id))
        rebuilt = fresh.state_at(case_id)
        assert rebuilt is not None and case_state(rebuilt) == in_memory
        # Each prefix replays to what the store returns for that version.
        last = fresh.case(case_id).version
        cut = data.draw(st.integers(min_value=1, max_value=last), label="cut")
        by_version = fresh.case_at(case_id, version=cut)
        known = fresh.case_at(case_id, known_at=fresh.history(case_id)[cut - 1].timestamp)
        assert by_version is not None and known is not None
        assert by_version.version == cut and known.version >= cut
        assert case_state(fresh.case_at(case_id, version=cut)) == case_state(by_version)
    finally:
        fresh.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_illegal_command_is_refused_and_changes_nothing(
    ledger: HazardLedger, clock: FakeClock, data: st.DataObject
) -> None:
    steps = data.draw(st.integers(min_value=0, max_value=8), label="steps")
    case_id = walk(ledger, clock, data.draw, steps)
    case = ledger.case(case_id)
    illegal = [c for c in COMMANDS if c not in legal_commands(case)]
    tried = data.draw(st.sampled_from(illegal), label="illegal")
    clock.advance(hours=1)
    rows = ledger.recorder.max_notification_id()
    before = case_state(case)
    with pytest.raises(RuleViolated) as refused:
        issue(ledger, data.draw, case, tried, clock.now, None)
    assert refused.value.violations
    assert ledger.recorder.max_notification_id() == rows
    assert case_state(ledger.case(case_id)) == before


def test_model_agrees_with_the_transition_table(ledger: HazardLedger, clock: FakeClock) -> None:
    """The two hand-written specifications (model here, table there) say the same."""
    from tests.core_tests.test_hazard_transitions import TABLE
    from tests.core_tests.walk import walk_to

    for situation, row in TABLE.items():
        case = ledger.case(walk_to(ledger, clock, situation))
        from_table = {
            "list" if command.startswith("list_") else command
            for command, outcome in row.items()
            if outcome.islower() and command != "verify_by_reporter"
        }
        assert set(legal_commands(case)) == from_table, situation
