"""Commands whose state is right but whose content breaks a rule: named and unrecorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from ledger.application import HazardLedger
from ledger.errors import NotFound, RuleViolated
from tests.conftest import FakeClock
from tests.core_tests.walk import DEPARTMENT_NAME, footprint, new_case, walk_to
from tests.support import DEPARTMENT, ENTERPRISE_USER, GOVERNMENT, INSPECTOR, PLAN

Attempt = Callable[[HazardLedger, datetime, UUID], Any]


def _plan_without(*parts: str) -> Any:
    return replace(PLAN, **dict.fromkeys(parts, "  "))


BAD: list[tuple[str, str, Attempt, set[str]]] = [
    (
        "major without criterion",
        "reported",
        lambda led, t, c: led.grade_hazard(INSPECTOR, t, c, grade="major", criteria=[" "]),
        {"MAJOR_NEEDS_CRITERION"},
    ),
    (
        "unknown grade",
        "reported",
        lambda led, t, c: led.grade_hazard(INSPECTOR, t, c, grade="severe"),
        {"GRADE_UNKNOWN"},
    ),
    (
        "on the spot without measures",
        "graded",
        lambda led, t, c: led.rectify_on_spot(INSPECTOR, t, c, measures=" "),
        {"MEASURES_REQUIRED"},
    ),
    (
        "assignment to the enterprise alone",
        "graded",
        lambda led, t, c: led.assign_rectification(
            INSPECTOR, t, c, department="", deadline=t + timedelta(days=5), requirements="整改"
        ),
        {"DUAL_ASSIGNMENT_REQUIRED"},
    ),
    (
        "assignment with nothing filled",
        "graded",
        lambda led, t, c: led.assign_rectification(
            INSPECTOR, t, c, department=" ", deadline=t, requirements=""
        ),
        {"DUAL_ASSIGNMENT_REQUIRED", "FIELD_REQUIRED", "DEADLINE_NOT_AFTER_ASSIGNMENT"},
    ),
    (
        "naive deadline",
        "graded",
        lambda led, t, c: led.assign_rectification(
            INSPECTOR,
            t,
            c,
            department=DEPARTMENT_NAME,
            deadline=(t + timedelta(days=5)).replace(tzinfo=None),
            requirements="整改",
        ),
        {"DEADLINE_TIMEZONE"},
    ),
    (
        "plan missing two parts",
        "graded_major",
        lambda led, t, c: led.file_plan(
            ENTERPRISE_USER, t, c, plan=_plan_without("funds_and_materials", "safety_and_emergency")
        ),
        {"PLAN_PART_MISSING"},
    ),
    (
        "rectification without measures",
        "assigned",
        lambda led, t, c: led.report_rectification(
            ENTERPRISE_USER, t, c, measures=None, completed_at=t
        ),
        {"RECTIFICATION_NEEDS_MEASURES"},
    ),
    (
        "rectification with blank measures",
        "assigned",
        lambda led, t, c: led.report_rectification(
            ENTERPRISE_USER, t, c, measures="  ", completed_at=t
        ),
        {"RECTIFICATION_NEEDS_MEASURES"},
    ),
    (
        "rectification without completion time",
        "assigned",
        lambda led, t, c: led.report_rectification(
            ENTERPRISE_USER, t, c, measures="已整改", completed_at=None
        ),
        {"RECTIFICATION_NEEDS_COMPLETION_TIME"},
    ),
    (
        "rectification completed after its report",
        "assigned",
        lambda led, t, c: led.report_rectification(
            ENTERPRISE_USER, t, c, measures="已整改", completed_at=t + timedelta(hours=1)
        ),
        {"COMPLETION_AFTER_REPORT"},
    ),
    (
        "major rectification without plan or measures",
        "assigned_major_no_plan",
        lambda led, t, c: led.report_rectification(
            ENTERPRISE_USER, t, c, measures="", completed_at=None
        ),
        {"RECTIFICATION_NEEDS_MEASURES", "RECTIFICATION_NEEDS_COMPLETION_TIME", "MAJOR_NEEDS_PLAN"},
    ),
    (
        "extension not later",
        "assigned",
        lambda led, t, c: led.extend_deadline(
            DEPARTMENT, t, c, new_deadline=led.case(c).deadline or t, reason="延期", approver="李明"
        ),
        {"EXTENSION_NOT_LATER"},
    ),
    (
        "extension without reason and approver",
        "assigned",
        lambda led, t, c: led.extend_deadline(
            DEPARTMENT, t, c, new_deadline=t + timedelta(days=60), reason=" ", approver=""
        ),
        {"FIELD_REQUIRED"},
    ),
    (
        "unknown listing level",
        "graded_major",
        lambda led, t, c: led.list_for_supervision(
            GOVERNMENT, t, c, level="township", authority="镇安委会"
        ),
        {"LISTING_LEVEL_UNKNOWN"},
    ),
    (
        "listing without authority",
        "graded_major",
        lambda led, t, c: led.list_for_supervision(GOVERNMENT, t, c, level="county", authority=""),
        {"FIELD_REQUIRED"},
    ),
    (
        "verification without opinion",
        "rectification_reported",
        lambda led, t, c: led.verify_rectification(DEPARTMENT, t, c, accepted=True, opinion=" "),
        {"FIELD_REQUIRED"},
    ),
    (
        "assessment without summary",
        "rectification_reported_listed",
        lambda led, t, c: led.file_assessment(ENTERPRISE_USER, t, c, summary=""),
        {"FIELD_REQUIRED"},
    ),
    (
        "reopen without reason",
        "closed",
        lambda led, t, c: led.reopen_hazard(INSPECTOR, t, c, reason=""),
        {"FIELD_REQUIRED"},
    ),
    (
        "escalation without reason",
        "assigned",
        lambda led, t, c: led.escalate(GOVERNMENT, t, c, level="city", reason=""),
        {"FIELD_REQUIRED"},
    ),
    (
        "interim controls without text",
        "assigned",
        lambda led, t, c: led.record_interim_controls(ENTERPRISE_USER, t, c, controls=" "),
        {"FIELD_REQUIRED"},
    ),
    (
        "step dated before the previous one",
        "assigned",
        lambda led, t, c: led.report_rectification(
            ENTERPRISE_USER,
            t - timedelta(hours=2),
            c,
            measures="已整改",
            completed_at=t - timedelta(hours=3),
        ),
        {"OCCURRED_AT_BEFORE_PREVIOUS_STEP"},
    ),
    (
        "step dated in the future",
        "graded",
        lambda led, t, c: led.escalate(
            GOVERNMENT, t + timedelta(minutes=6), c, level="city", reason="逾期"
        ),
        {"OCCURRED_AT_IN_FUTURE"},
    ),
    (
        "step without time zone",
        "graded",
        lambda led, t, c: led.escalate(
            GOVERNMENT, t.replace(tzinfo=None), c, level="city", reason="逾期"
        ),
        {"OCCURRED_AT_TIMEZONE"},
    ),
    (
        "naive business time against an aware deadline",
        "graded",
        lambda led, t, c: led.assign_rectification(
            INSPECTOR,
            t.replace(tzinfo=None),
            c,
            department=DEPARTMENT_NAME,
            deadline=t + timedelta(days=5),
            requirements="整改",
        ),
        {"OCCURRED_AT_TIMEZONE"},
    ),
    (
        "naive business time against an aware completion time",
        "assigned",
        lambda led, t, c: led.report_rectification(
            ENTERPRISE_USER, t.replace(tzinfo=None), c, measures="已整改", completed_at=t
        ),
        {"OCCURRED_AT_TIMEZONE"},
    ),
    (
        "naive new deadline",
        "assigned",
        lambda led, t, c: led.extend_deadline(
            DEPARTMENT,
            t,
            c,
            new_deadline=(t + timedelta(days=60)).replace(tzinfo=None),
            reason="延期",
            approver="李明",
        ),
        {"NEW_DEADLINE_TIMEZONE"},
    ),
    (
        "naive completion time",
        "assigned",
        lambda led, t, c: led.report_rectification(
            ENTERPRISE_USER, t, c, measures="已整改", completed_at=t.replace(tzinfo=None)
        ),
        {"COMPLETED_AT_TIMEZONE"},
    ),
]


@pytest.mark.parametrize(
    ("situation", "attempt", "rules"),
    [b[1:] for b in BAD],
    ids=[b[0] for b in BAD],
)
def test_bad_content_is_refused_and_named(
    ledger: HazardLedger, clock: FakeClock, situation: str, attempt: Attempt, rules: set[str]
) -> None:
    case_id = walk_to(ledger, clock, situation)
    before = footprint(ledger, case_id)
    clock.advance(hours=1)
    with pytest.raises(RuleViolated) as refused:
        attempt(ledger, clock.now, case_id)
    assert {v.rule for v in refused.value.violations} == rules
    assert all(v.field and v.message_zh and v.message_en for v in refused.value.violations)
    assert footprint(ledger, case_id) == before


def test_plan_names_each_missing_part(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = walk_to(ledger, clock, "graded_major")
    with pytest.raises(RuleViolated) as refused:
        ledger.file_plan(
            ENTERPRISE_USER,
            clock.advance(hours=1),
            case_id,
            plan=_plan_without("funds_and_materials", "safety_and_emergency"),
        )
    assert [v.field for v in refused.value.violations] == [
        "plan.funds_and_materials",
        "plan.safety_and_emergency",
    ]
    assert "经费和物资的落实" in refused.value.violations[0].message_zh


def test_report_with_unknown_source_and_blank_fields(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = new_case(ledger, clock)
    rows = ledger.recorder.max_notification_id()
    with pytest.raises(RuleViolated) as refused:
        ledger.report_hazard(
            INSPECTOR,
            clock.now,
            enterprise_code=ledger.case(case_id).enterprise_code,
            sector="city_gas",
            location=" ",
            description="",
            source="rumour",
        )
    found = {(v.rule, v.field) for v in refused.value.violations}
    assert found == {
        ("FIELD_REQUIRED", "location"),
        ("FIELD_REQUIRED", "description"),
        ("SOURCE_UNKNOWN", "source"),
    }
    assert ledger.recorder.max_notification_id() == rows


def test_rejected_verification_sends_the_case_back_and_a_new_report_is_verified(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = walk_to(ledger, clock, "rejected")
    case = ledger.case(case_id)
    assert case.status == "assigned" and case.verified_by == DEPARTMENT.id
    clock.advance(hours=1)
    ledger.report_rectification(
        ENTERPRISE_USER, clock.now, case_id, measures="加装联动切断阀", completed_at=clock.now
    )
    clock.advance(hours=1)
    ledger.verify_rectification(DEPARTMENT, clock.now, case_id, accepted=True, opinion="合格")
    clock.advance(hours=1)
    ledger.close_hazard(DEPARTMENT, clock.now, case_id)
    closed = ledger.case(case_id)
    assert closed.status == "closed" and closed.measures == "加装联动切断阀"
    assert [type(e).__name__ for e in ledger.history(case_id)] == [
        "Reported",
        "Graded",
        "Assigned",
        "RectificationReported",
        "Verified",
        "RectificationReported",
        "Verified",
        "Closed",
    ]


def test_a_hazard_and_its_inspection_are_saved_together_or_not_at_all(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    code = ledger.case(new_case(ledger, clock)).enterprise_code
    inspection_id = ledger.record_inspection(
        INSPECTOR,
        clock.now,
        enterprise_code=code,
        sector="city_gas",
        inspection_type="unannounced",
        team=["张建国", "专家甲"],
    )
    clock.advance(hours=1)
    case_id = ledger.report_hazard(
        INSPECTOR,
        clock.now,
        enterprise_code=code,
        sector="city_gas",
        location="储气间",
        description="气瓶未固定",
        source="unannounced_inspection",
        inspection_id=inspection_id,
    )
    inspection = ledger.inspection(inspection_id)
    assert inspection.hazard_ids == (case_id,)
    # One save: the report and the link are the last two rows, with consecutive ids.
    *_, first, second = ledger.recorder.select_notifications(start=None, limit=1_000_000)
    assert second.id == first.id + 1
    assert {first.topic.rsplit(".", 1)[-1], second.topic.rsplit(".", 1)[-1]} == {
        "Reported",
        "HazardFound",
    }
    rows = ledger.recorder.max_notification_id()
    with pytest.raises(NotFound):
        ledger.report_hazard(
            INSPECTOR,
            clock.now,
            enterprise_code=code,
            sector="city_gas",
            location="储气间",
            description="气瓶未固定",
            source="unannounced_inspection",
            inspection_id=UUID(int=1),
        )
    assert ledger.recorder.max_notification_id() == rows
