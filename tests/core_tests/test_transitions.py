"""Every command against every status of a hazard case: legal ones move the case,
illegal ones are refused by name and leave the store exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from ledger.application import HazardLedger
from ledger.errors import RuleViolated
from ledger.hazard import RectificationPlan, Status
from tests.conftest import FakeClock
from tests.support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    GOVERNMENT,
    INSPECTOR,
    OTHER_OFFICIAL,
    PLAN,
    register_restaurant,
    report_case,
)

Step = Callable[[HazardLedger, UUID, datetime], Any]

COMMANDS: dict[str, Step] = {
    "grade": lambda lg, c, t: lg.grade_hazard(INSPECTOR, t, c, grade="general"),
    "grade_major": lambda lg, c, t: lg.grade_hazard(
        INSPECTOR, t, c, grade="major", criteria=["GAS-06"]
    ),
    "rectify_on_spot": lambda lg, c, t: lg.rectify_on_spot(INSPECTOR, t, c, measures="当场更换"),
    "assign": lambda lg, c, t: lg.assign_rectification(
        INSPECTOR, t, c, department="县住建局", deadline=t + timedelta(days=15), requirements="整改"
    ),
    "plan": lambda lg, c, t: lg.file_plan(ENTERPRISE_USER, t, c, plan=PLAN),
    "interim": lambda lg, c, t: lg.record_interim_controls(
        ENTERPRISE_USER, t, c, controls="专人看守"
    ),
    "extend": lambda lg, c, t: lg.extend_deadline(
        GOVERNMENT,
        t,
        c,
        new_deadline=t + timedelta(days=60),
        reason="新建库房",
        approver="县安委办主任",
    ),
    "list": lambda lg, c, t: lg.list_for_supervision(
        GOVERNMENT, t, c, level="county", authority="县安委办"
    ),
    "delist": lambda lg, c, t: lg.delist(GOVERNMENT, t, c),
    "escalate": lambda lg, c, t: lg.escalate(GOVERNMENT, t, c, level="city", reason="逾期未改"),
    "report_rectification": lambda lg, c, t: lg.report_rectification(
        ENTERPRISE_USER, t, c, measures="已改为金属管并加装报警器", completed_at=t
    ),
    "assessment": lambda lg, c, t: lg.file_assessment(ENTERPRISE_USER, t, c, summary="自评合格"),
    "verify": lambda lg, c, t: lg.verify_rectification(
        DEPARTMENT, t, c, accepted=True, opinion="合格"
    ),
    "reject": lambda lg, c, t: lg.verify_rectification(
        DEPARTMENT, t, c, accepted=False, opinion="未完成"
    ),
    "close": lambda lg, c, t: lg.close_hazard(DEPARTMENT, t, c),
    "reopen": lambda lg, c, t: lg.reopen_hazard(OTHER_OFFICIAL, t, c, reason="复发"),
}

#: How to reach each starting point, as a list of commands from a fresh report.
PATHS: dict[str, list[str]] = {
    "reported": [],
    "graded": ["grade"],
    "graded_major": ["grade_major"],
    "assigned": ["grade", "assign"],
    "assigned_major": ["grade_major", "plan", "assign"],
    "listed": ["grade_major", "plan", "assign", "list"],
    "rectification_reported": ["grade", "assign", "report_rectification"],
    "listed_reported": ["grade_major", "plan", "assign", "list", "report_rectification"],
    "verified": ["grade", "assign", "report_rectification", "verify"],
    "closed": ["grade", "assign", "report_rectification", "verify", "close"],
    "closed_on_spot": ["grade", "rectify_on_spot"],
    "listed_closed": [
        "grade_major",
        "plan",
        "assign",
        "list",
        "report_rectification",
        "assessment",
        "verify",
        "close",
    ],
    "reopened": ["grade", "assign", "report_rectification", "verify", "close", "reopen"],
}

#: The commands that are legal from each starting point; every other one is refused.
LEGAL: dict[str, set[str]] = {
    "reported": {"grade", "grade_major", "interim", "escalate"},
    "graded": {"grade", "grade_major", "rectify_on_spot", "assign", "interim", "escalate"},
    "graded_major": {"grade", "grade_major", "assign", "plan", "interim", "list", "escalate"},
    "assigned": {"interim", "extend", "escalate", "report_rectification"},
    "assigned_major": {"interim", "extend", "escalate", "report_rectification", "plan", "list"},
    "listed": {"interim", "extend", "escalate", "report_rectification", "plan"},
    "rectification_reported": {"interim", "escalate", "verify", "reject"},
    "listed_reported": {"interim", "escalate", "assessment", "plan"},
    "verified": {"close", "escalate", "interim"},
    "closed": {"reopen"},
    "closed_on_spot": {"reopen"},
    "listed_closed": {"reopen", "delist"},
    "reopened": {"grade", "grade_major", "rectify_on_spot", "assign", "interim", "escalate"},
}


def _walk(ledger: HazardLedger, clock: FakeClock, path: list[str]) -> UUID:
    register_restaurant(ledger, clock.now)
    case_id = report_case(ledger, clock.now)
    for name in path:
        clock.advance(hours=1)
        COMMANDS[name](ledger, case_id, clock.now)
    clock.advance(hours=1)
    return case_id


def _stored(ledger: HazardLedger) -> int:
    return ledger.recorder.max_notification_id() or 0


CASES = [(start, command) for start in PATHS for command in COMMANDS]


@pytest.mark.parametrize(("start", "command"), CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_transition(ledger: HazardLedger, clock: FakeClock, start: str, command: str) -> None:
    case_id = _walk(ledger, clock, PATHS[start])
    before = ledger.case(case_id)
    stored = _stored(ledger)
    if command in LEGAL[start]:
        COMMANDS[command](ledger, case_id, clock.now)
        assert ledger.case(case_id).version == before.version + 1
        assert _stored(ledger) == stored + 1
    else:
        with pytest.raises(RuleViolated) as refused:
            COMMANDS[command](ledger, case_id, clock.now)
        assert refused.value.violations[0].rule
        assert refused.value.violations[0].message_zh and refused.value.violations[0].message_en
        after = ledger.case(case_id)
        assert after.version == before.version and after.status == before.status
        assert _stored(ledger) == stored


def test_named_refusals(ledger: HazardLedger, clock: FakeClock) -> None:
    """The rules the domain names, each refused with its own rule code and field."""
    case_id = _walk(ledger, clock, [])

    def rule_of(step: Callable[[], Any]) -> tuple[str, str]:
        with pytest.raises(RuleViolated) as refused:
            step()
        v = refused.value.violations[0]
        return v.rule, v.field

    t = clock.now
    assert rule_of(
        lambda: ledger.verify_rectification(DEPARTMENT, t, case_id, accepted=True, opinion="x")
    ) == ("ILLEGAL_TRANSITION_VERIFY", "status")
    assert rule_of(lambda: ledger.grade_hazard(INSPECTOR, t, case_id, grade="major")) == (
        "MAJOR_NEEDS_CRITERION",
        "criteria",
    )
    COMMANDS["grade_major"](ledger, case_id, t)
    assert rule_of(
        lambda: ledger.assign_rectification(
            INSPECTOR, t, case_id, department=" ", deadline=t + timedelta(days=1), requirements="x"
        )
    ) == ("DUAL_ASSIGNMENT_REQUIRED", "department")
    COMMANDS["assign"](ledger, case_id, t)
    assert rule_of(lambda: COMMANDS["report_rectification"](ledger, case_id, t)) == (
        "MAJOR_NEEDS_PLAN",
        "plan",
    )
    half_plan = RectificationPlan("目标", "措施", "", "人员", "时限", "预案")
    assert rule_of(lambda: ledger.file_plan(ENTERPRISE_USER, t, case_id, plan=half_plan)) == (
        "PLAN_PART_MISSING",
        "plan.funds_and_materials",
    )
    COMMANDS["plan"](ledger, case_id, t)
    assert rule_of(
        lambda: ledger.report_rectification(
            ENTERPRISE_USER, t, case_id, measures=" ", completed_at=t
        )
    ) == ("RECTIFICATION_NEEDS_MEASURES", "measures")
    assert rule_of(
        lambda: ledger.report_rectification(
            ENTERPRISE_USER, t, case_id, measures="改了", completed_at=None
        )
    ) == ("RECTIFICATION_NEEDS_COMPLETION_TIME", "completed_at")
    assert rule_of(lambda: ledger.close_hazard(DEPARTMENT, t, case_id)) == (
        "CLOSE_WITHOUT_ACCEPTANCE",
        "status",
    )
    ledger.report_rectification(
        DEPARTMENT, t, case_id, measures="代企业报告：已整改到位", completed_at=t
    )
    assert rule_of(
        lambda: ledger.verify_rectification(DEPARTMENT, t, case_id, accepted=True, opinion="合格")
    ) == ("SELF_VERIFICATION", "actor")
    assert rule_of(
        lambda: ledger.verify_rectification(
            OTHER_OFFICIAL, t - timedelta(days=1), case_id, accepted=True, opinion="合格"
        )
    ) == ("OCCURRED_AT_BEFORE_PREVIOUS_STEP", "occurred_at")
    ledger.verify_rectification(OTHER_OFFICIAL, t, case_id, accepted=True, opinion="合格")
    # Closing by the person who reported the rectification is recorded (the audit flags it).
    ledger.close_hazard(DEPARTMENT, t, case_id)
    assert ledger.case(case_id).status is Status.CLOSED
