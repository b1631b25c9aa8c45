"""Walk a hazard case to a named situation, and try any command on it.

The transition table in ``test_hazard_transitions`` is written against these names:
``SITUATIONS`` says how each situation is reached (a list of command names applied in
order to a fresh case), ``COMMANDS`` says how each command is issued with arguments
that are valid in themselves, so that a refusal can only come from the case's state.
Every step happens one hour after the previous one on the ledger's clock, and its
business time is the clock's "now".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from ledger.application import HazardLedger
from ledger.errors import NotFound
from ledger.events import LedgerAggregate
from ledger.identity import Actor, Role
from tests.conftest import FakeClock
from tests.support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    GOVERNMENT,
    INSPECTOR,
    PLAN,
    RESTAURANT_CODE,
    register_restaurant,
    report_case,
)

DEPARTMENT_NAME = "静宁县住房和城乡建设局"
CITY_OFFICE = Actor("gov-101", "赵敏", Role.GOVERNMENT, "平凉市安委办")

Issue = Callable[[HazardLedger, FakeClock, UUID], int]


def _deadline_after(ledger: HazardLedger, case_id: UUID, clock: FakeClock) -> Any:
    current = ledger.case(case_id).deadline
    return (current or clock.now) + timedelta(days=10)


COMMANDS: dict[str, Issue] = {
    "grade_general": lambda led, clk, cid: led.grade_hazard(
        INSPECTOR, clk.now, cid, grade="general"
    ),
    "grade_major": lambda led, clk, cid: led.grade_hazard(
        INSPECTOR, clk.now, cid, grade="major", criteria=["GAS-06"], catalogue_edition="2023"
    ),
    "rectify_on_spot": lambda led, clk, cid: led.rectify_on_spot(
        INSPECTOR, clk.now, cid, measures="当场拆除穿墙软管", evidence=["sha256:aa"]
    ),
    "assign": lambda led, clk, cid: led.assign_rectification(
        INSPECTOR,
        clk.now,
        cid,
        department=DEPARTMENT_NAME,
        deadline=clk.now + timedelta(days=15),
        requirements="改为金属管道，加装泄漏报警装置",
    ),
    "file_plan": lambda led, clk, cid: led.file_plan(ENTERPRISE_USER, clk.now, cid, plan=PLAN),
    "interim_controls": lambda led, clk, cid: led.record_interim_controls(
        ENTERPRISE_USER, clk.now, cid, controls="停用后厨燃气，专人值守"
    ),
    "extend_deadline": lambda led, clk, cid: led.extend_deadline(
        DEPARTMENT,
        clk.now,
        cid,
        new_deadline=_deadline_after(led, cid, clk),
        reason="设备到货延迟",
        approver="李明",
    ),
    "list_county": lambda led, clk, cid: led.list_for_supervision(
        GOVERNMENT, clk.now, cid, level="county", authority="静宁县安委会"
    ),
    "list_city": lambda led, clk, cid: led.list_for_supervision(
        CITY_OFFICE, clk.now, cid, level="city", authority="平凉市安委会"
    ),
    "delist": lambda led, clk, cid: led.delist(GOVERNMENT, clk.now, cid),
    "escalate": lambda led, clk, cid: led.escalate(
        GOVERNMENT, clk.now, cid, level="city", reason="逾期未整改"
    ),
    "report_rectification": lambda led, clk, cid: led.report_rectification(
        ENTERPRISE_USER,
        clk.now,
        cid,
        measures="更换为金属管道并安装报警装置",
        completed_at=clk.now - timedelta(minutes=30),
        evidence=["sha256:bb"],
    ),
    "file_assessment": lambda led, clk, cid: led.file_assessment(
        ENTERPRISE_USER, clk.now, cid, summary="隐患已消除，申请验收"
    ),
    "verify_accept": lambda led, clk, cid: led.verify_rectification(
        DEPARTMENT, clk.now, cid, accepted=True, opinion="整改到位"
    ),
    "verify_reject": lambda led, clk, cid: led.verify_rectification(
        DEPARTMENT, clk.now, cid, accepted=False, opinion="报警装置未联动，退回"
    ),
    "verify_by_reporter": lambda led, clk, cid: led.verify_rectification(
        ENTERPRISE_USER, clk.now, cid, accepted=True, opinion="自查合格"
    ),
    "close": lambda led, clk, cid: led.close_hazard(DEPARTMENT, clk.now, cid),
    "reopen": lambda led, clk, cid: led.reopen_hazard(
        INSPECTOR, clk.now, cid, reason="复查发现隐患复发"
    ),
    "dismiss": lambda led, clk, cid: led.dismiss_false_alarm(
        INSPECTOR, clk.now, cid, reason="现场核查为探测器误报"
    ),
}

_GRADED_MAJOR = ["grade_major"]
_ASSIGNED_LISTED = ["grade_major", "file_plan", "assign", "list_county"]
_REPORTED_LISTED = [*_ASSIGNED_LISTED, "report_rectification"]
_VERIFIED_LISTED = [*_REPORTED_LISTED, "file_assessment", "verify_accept"]

#: How each situation is reached from a freshly reported case.
SITUATIONS: dict[str, list[str]] = {
    "reported": [],
    "graded": ["grade_general"],
    "graded_major": _GRADED_MAJOR,
    "graded_major_listed": [*_GRADED_MAJOR, "list_county"],
    "assigned": ["grade_general", "assign"],
    "assigned_major_no_plan": [*_GRADED_MAJOR, "assign"],
    "assigned_major": [*_GRADED_MAJOR, "file_plan", "assign"],
    "assigned_listed": _ASSIGNED_LISTED,
    "rejected": ["grade_general", "assign", "report_rectification", "verify_reject"],
    "rectification_reported": ["grade_general", "assign", "report_rectification"],
    "rectification_reported_listed": _REPORTED_LISTED,
    "assessment_filed": [*_REPORTED_LISTED, "file_assessment"],
    "verified": ["grade_general", "assign", "report_rectification", "verify_accept"],
    "verified_listed": _VERIFIED_LISTED,
    "closed": ["grade_general", "assign", "report_rectification", "verify_accept", "close"],
    "closed_on_spot": ["grade_general", "rectify_on_spot"],
    "closed_listed": [*_VERIFIED_LISTED, "close"],
    "delisted": [*_VERIFIED_LISTED, "close", "delist"],
    "reopened": ["grade_general", "rectify_on_spot", "reopen"],
    "reopened_listed": [*_VERIFIED_LISTED, "close", "reopen"],
    "sensor_reported": [],
    "dismissed": ["dismiss"],
}

#: Situations of a case a sensor reported (the others were found on a grid patrol).
SENSOR_SITUATIONS = frozenset({"sensor_reported", "dismissed"})


def step(ledger: HazardLedger, clock: FakeClock, case_id: UUID, command: str) -> int:
    """Issue ``command`` one hour after the previous step."""
    clock.advance(hours=1)
    return COMMANDS[command](ledger, clock, case_id)


def new_case(ledger: HazardLedger, clock: FakeClock, sensor: bool = False) -> UUID:
    """A freshly reported case at the restaurant (registered on first use): found on a
    grid patrol, or raised by a gas-leak sensor."""
    try:
        ledger.enterprise(RESTAURANT_CODE)
    except NotFound:
        register_restaurant(ledger, clock.now)
    clock.advance(minutes=1)
    if not sensor:
        return report_case(ledger, clock.now)
    return ledger.report_hazard(
        INSPECTOR,
        clock.now,
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        location="后厨",
        description="可燃气体泄漏报警器报警",
        source="sensor",
        details={"leak_alarm_installed": True},
    )


def walk_to(ledger: HazardLedger, clock: FakeClock, situation: str) -> UUID:
    case_id = new_case(ledger, clock, sensor=situation in SENSOR_SITUATIONS)
    for command in SITUATIONS[situation]:
        step(ledger, clock, case_id, command)
    return case_id


@dataclass(frozen=True)
class Footprint:
    """What a refused command must leave exactly as it was."""

    version: int
    events: int
    stored_rows: int
    max_notification_id: int | None
    state: dict[str, Any]


def case_state(case: Any) -> dict[str, Any]:
    """An aggregate's state for comparison: its attributes minus pending events."""
    return {k: v for k, v in vars(case).items() if k != "_pending_events"}


def footprint(ledger: HazardLedger, aggregate_id: UUID) -> Footprint:
    aggregate: LedgerAggregate = ledger.repository.get(aggregate_id)
    rows = ledger.recorder.select_notifications(start=None, limit=1_000_000)
    return Footprint(
        version=aggregate.version,
        events=len(ledger.history(aggregate_id)),
        stored_rows=len(rows),
        max_notification_id=ledger.recorder.max_notification_id(),
        state=case_state(aggregate),
    )
