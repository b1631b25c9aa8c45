"""Issue 15, part 2 on both stores: enterprise self-management of general hazards,
consistent grading (categories; a general grade citing a major criterion), device-level
orders with observed activity, and the audit rules that judge them.

Each test drives the one command path (``HazardLedger.execute`` with the actor's role
and scope) and reads the review the way an auditor does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.errors import RuleViolated
from ledger.hazard import HazardCase, Source, Status
from ledger.identity import Actor, Role
from ledger.permissions import NotPermitted
from ledger.review.report import build_review
from ledger.scope import Scope
from plugins import Sectors
from tests.conftest import FakeClock

SECTORS = Sectors.load(load_entry_points=False)
EVERYTHING = Scope.everything()
PLANT = make_credit_code("91620826MA7PLNT10")
OFFICIAL = Actor("dept-1", "李明", Role.DEPARTMENT, "县市场监管局")
OTHER_OFFICIAL = Actor("dept-2", "周强", Role.DEPARTMENT, "县市场监管局")
SAFETY_OFFICER = Actor("ent-1", "王安全", Role.ENTERPRISE, PLANT)
WORKSHOP_HEAD = Actor("ent-2", "赵车间", Role.ENTERPRISE, PLANT)
OWN = Scope(enterprise_code=PLANT)
ELEVATOR = "31106208012345"


@dataclass
class Plant:
    ledger: HazardLedger
    clock: FakeClock

    @property
    def now(self) -> datetime:
        return self.clock.now

    def run(self, command: c.Command, actor: Actor = OFFICIAL, scope: Scope = EVERYTHING) -> UUID:
        self.clock.advance(minutes=5)
        return self.ledger.execute(command, actor, scope).id

    def events(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def self_found(self, description: str = "配电箱门损坏", sector: str = "fire") -> UUID:
        return self.run(
            c.ReportHazard(
                occurred_at=self.now,
                enterprise_code=PLANT,
                sector=sector,
                location="二号车间",
                description=description,
                source="self_inspection",
                details=_details(sector),
            ),
            SAFETY_OFFICER,
            OWN,
        )

    def review(self, at: datetime | None = None) -> list[dict[str, Any]]:
        findings: list[dict[str, Any]] = build_review(
            self.ledger, PLANT, at or self.now + timedelta(minutes=1), scope=EVERYTHING
        )["findings"]
        return findings


def _details(sector: str) -> dict[str, Any]:
    if sector == "special_equipment":
        return {"device_registration_code": ELEVATOR, "device_type": "elevator"}
    if sector == "construction":
        return {"project_name": "厂区扩建工程", "construction_permit_number": "6208262026000123"}
    return {}


def rules(findings: list[dict[str, Any]]) -> list[str]:
    return [f["rule"] for f in findings]


@pytest.fixture
def plant(store_url: str) -> Iterator[Plant]:
    clock = FakeClock(datetime.fromisoformat("2026-03-03T09:00:00+08:00"))
    ledger = HazardLedger(store_url, clock=clock, sectors=SECTORS)
    world = Plant(ledger, clock)
    world.run(
        c.RegisterEnterprise(
            occurred_at=clock.now,
            credit_code=PLANT,
            name="静宁县某机械厂",
            region_code="620826",
            sectors=("fire", "special_equipment", "construction"),
            principal=Person("p-1", "马厂长"),
        )
    )
    yield world
    ledger.close()


def _refused(plant: Plant, command: c.Command, actor: Actor, scope: Scope = OWN) -> Exception:
    before = plant.events()
    with pytest.raises((NotPermitted, RuleViolated)) as caught:
        plant.run(command, actor, scope)
    assert plant.events() == before, "a refusal records nothing"
    return caught.value


# ---- enterprise self-management --------------------------------------------------------------


def test_an_enterprise_grades_rectifies_and_closes_its_own_general_hazard(plant: Plant) -> None:
    case_id = plant.self_found()
    grade = c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="general")
    plant.run(grade, SAFETY_OFFICER, OWN)
    plant.run(
        c.RectifyOnSpot(
            occurred_at=plant.now, case_id=case_id, measures="更换配电箱门锁并加装挡板"
        ),
        SAFETY_OFFICER,
        OWN,
    )
    case = plant.ledger.case(case_id)
    assert case.status is Status.CLOSED and case.self_managed
    assert case.closed_by == SAFETY_OFFICER.id
    closing = list(plant.ledger.events.get(case_id))[-1]  # the event says so itself
    assert isinstance(closing, HazardCase.RectifiedOnSpot) and closing.self_managed
    found = plant.review()
    assert rules(found) == ["AUD-SELF-MANAGED"]
    assert "自行整改销号" in found[0]["message_zh"]


def test_the_department_reopens_and_takes_the_case_over(plant: Plant) -> None:
    case_id = plant.self_found()
    plant.run(
        c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="general"), SAFETY_OFFICER, OWN
    )
    plant.run(
        c.RectifyOnSpot(
            occurred_at=plant.now, case_id=case_id, measures="更换配电箱门锁并加装挡板"
        ),
        SAFETY_OFFICER,
        OWN,
    )
    plant.run(c.ReopenHazard(occurred_at=plant.now, case_id=case_id, reason="复核发现未整改到位"))
    refused = _refused(
        plant,
        c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="general"),
        SAFETY_OFFICER,
    )
    assert "监管部门" in str(getattr(refused, "message_zh", ""))
    plant.run(c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="general"))
    _refused(
        plant,
        c.RectifyOnSpot(occurred_at=plant.now, case_id=case_id, measures="再次更换门锁并加装挡板"),
        SAFETY_OFFICER,
    )
    found = plant.review()
    assert (
        "重新打开或重新定级"
        in next(f for f in found if f["rule"] == "AUD-SELF-MANAGED")["message_zh"]
    )


def test_an_enterprise_may_not_grade_major(plant: Plant) -> None:
    case_id = plant.self_found()
    refused = _refused(
        plant,
        c.GradeHazard(
            occurred_at=plant.now, case_id=case_id, grade="major", criteria=("FIRE-D05",)
        ),
        SAFETY_OFFICER,
    )
    assert isinstance(refused, NotPermitted)
    assert "一般事故隐患" in refused.message_zh and "major" in refused.message_en


def test_an_enterprise_may_not_close_what_an_official_found_or_graded_major(plant: Plant) -> None:
    found_by_official = plant.run(
        c.ReportHazard(
            occurred_at=plant.now,
            enterprise_code=PLANT,
            sector="fire",
            location="仓库",
            description="灭火器过期",
            source="routine_inspection",
        )
    )
    _refused(
        plant,
        c.GradeHazard(occurred_at=plant.now, case_id=found_by_official, grade="general"),
        SAFETY_OFFICER,
    )
    own_major = plant.self_found("有限空间作业无人监护", sector="construction")
    plant.run(
        c.GradeHazard(
            occurred_at=plant.now, case_id=own_major, grade="major", criteria=("CONS-11-2",)
        )
    )
    _refused(
        plant,
        c.AssignRectification(
            occurred_at=plant.now,
            case_id=own_major,
            department="安全科",
            deadline=plant.now + timedelta(days=10),
            requirements="清理安全出口",
        ),
        SAFETY_OFFICER,
    )


#: Who may report a hazard at the plant; only the plant's own people make it self-managed.
REPORTERS = {
    "safety officer": (SAFETY_OFFICER, True),
    "official": (OFFICIAL, False),
    "inspector": (Actor("insp-1", "张建国", Role.INSPECTOR, "城关镇"), False),
    "workbook import": (Actor("import-1", "导入", Role.SYSTEM, PLANT), False),
}
#: Sources a report may name without further fields (public_report needs its report).
NAMED_SOURCES = [s for s in Source if s is not Source.PUBLIC_REPORT]


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(reporter=st.sampled_from(sorted(REPORTERS)), source=st.sampled_from(NAMED_SOURCES))
def test_self_management_follows_who_reported_never_the_source_named(
    plant: Plant, reporter: str, source: Source
) -> None:
    """An official reporting with source "self_inspection" does not hand the case to the
    enterprise: whatever the source, the enterprise grades and closes it itself only when
    one of its own people reported it."""
    actor, own = REPORTERS[reporter]
    if actor.role is Role.ENTERPRISE and source is not Source.SELF_INSPECTION:
        return  # an enterprise reports its own self-inspection only (permissions.check)
    case_id = plant.run(
        c.ReportHazard(
            occurred_at=plant.now,
            enterprise_code=PLANT,
            sector="fire",
            location="仓库",
            description="安全出口堵塞",
            source=source,
        ),
        actor,
        EVERYTHING if actor.role is not Role.ENTERPRISE else OWN,
    )
    grade = c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="general")
    if not own:
        refused = _refused(plant, grade, SAFETY_OFFICER)
        assert isinstance(refused, NotPermitted)
        plant.run(grade)  # the department grades it; the enterprise still may not close it
        on_spot = c.RectifyOnSpot(occurred_at=plant.now, case_id=case_id, measures="清理出口")
        _refused(plant, on_spot, SAFETY_OFFICER)
        return
    plant.run(grade, SAFETY_OFFICER, OWN)
    plant.run(
        c.RectifyOnSpot(occurred_at=plant.now, case_id=case_id, measures="清理安全出口"),
        SAFETY_OFFICER,
        OWN,
    )
    assert plant.ledger.case(case_id).self_managed


def test_the_reporter_is_kept_on_the_case_from_the_reported_event(plant: Plant) -> None:
    by_official = plant.run(
        c.ReportHazard(
            occurred_at=plant.now,
            enterprise_code=PLANT,
            sector="fire",
            location="仓库",
            description="灭火器过期",
            source="self_inspection",
        )
    )
    case = plant.ledger.case(by_official)
    assert (case.reported_by_role, case.reported_by_org) == (Role.DEPARTMENT, OFFICIAL.organisation)
    own = plant.ledger.case(plant.self_found())
    assert (own.reported_by_role, own.reported_by_org) == (Role.ENTERPRISE, PLANT)


def _self_assigned_and_reported(plant: Plant) -> UUID:
    case_id = plant.self_found()
    plant.run(
        c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="general"), SAFETY_OFFICER, OWN
    )
    plant.run(
        c.AssignRectification(
            occurred_at=plant.now,
            case_id=case_id,
            department="二号车间",
            deadline=plant.now + timedelta(days=7),
            requirements="更换配电箱门",
        ),
        SAFETY_OFFICER,
        OWN,
    )
    plant.run(
        c.ReportRectification(
            occurred_at=plant.now,
            case_id=case_id,
            measures="更换配电箱门并加锁",
            completed_at=plant.now,
        ),
        SAFETY_OFFICER,
        OWN,
    )
    return case_id


def test_a_lawful_self_closure_is_no_self_verification(plant: Plant) -> None:
    case_id = _self_assigned_and_reported(plant)
    _refused(
        plant,
        c.VerifyRectification(
            occurred_at=plant.now, case_id=case_id, accepted=True, opinion="合格"
        ),
        SAFETY_OFFICER,
    )
    plant.run(
        c.VerifyRectification(
            occurred_at=plant.now, case_id=case_id, accepted=True, opinion="合格"
        ),
        WORKSHOP_HEAD,
        OWN,
    )
    plant.run(c.CloseHazard(occurred_at=plant.now, case_id=case_id), SAFETY_OFFICER, OWN)
    assert rules(plant.review()) == ["AUD-SELF-MANAGED"]


def test_an_official_closing_what_he_reported_still_is(plant: Plant) -> None:
    case_id = plant.run(
        c.ReportHazard(
            occurred_at=plant.now,
            enterprise_code=PLANT,
            sector="fire",
            location="仓库",
            description="灭火器过期",
            source="routine_inspection",
        )
    )
    plant.run(c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="general"))
    plant.run(
        c.AssignRectification(
            occurred_at=plant.now,
            case_id=case_id,
            department="县消防救援大队",
            deadline=plant.now + timedelta(days=7),
            requirements="更换灭火器",
        )
    )
    plant.run(
        c.ReportRectification(
            occurred_at=plant.now,
            case_id=case_id,
            measures="更换全部过期灭火器",
            completed_at=plant.now,
        )
    )
    plant.run(
        c.VerifyRectification(
            occurred_at=plant.now, case_id=case_id, accepted=True, opinion="合格"
        ),
        OTHER_OFFICIAL,
    )
    plant.run(c.CloseHazard(occurred_at=plant.now, case_id=case_id))
    assert rules(plant.review()) == ["AUD-SELF-VERIFY"]


# ---- consistent grading ----------------------------------------------------------------------


def test_a_general_grade_citing_a_major_criterion_is_refused_quoting_it(plant: Plant) -> None:
    case_id = plant.self_found(sector="construction", description="有限空间作业无人监护")
    refused = _refused(
        plant,
        c.GradeHazard(
            occurred_at=plant.now, case_id=case_id, grade="general", criteria=("CONS-11-2",)
        ),
        OFFICIAL,
        EVERYTHING,
    )
    assert isinstance(refused, RuleViolated)
    (violation,) = [v for v in refused.violations if v.rule == "GENERAL_CITES_MAJOR_CRITERION"]
    text = SECTORS.catalogues["construction"][0].get("CONS-11-2")
    assert text is not None and text.text_zh.rstrip("；;。") in violation.message_zh
    assert "CONS-11-2" in violation.message_en


def test_a_general_grade_carries_a_declared_category(plant: Plant) -> None:
    case_id = plant.self_found(sector="construction", description="临边防护栏杆缺失")
    refused = _refused(
        plant,
        c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="general", category="CONS-G99"),
        OFFICIAL,
        EVERYTHING,
    )
    assert [v.rule for v in refused.violations] == ["CATEGORY_UNKNOWN"]  # type: ignore[attr-defined]
    _refused(
        plant,
        c.GradeHazard(
            occurred_at=plant.now,
            case_id=case_id,
            grade="major",
            criteria=("CONS-11-2",),
            category="CONS-G05",
        ),
        OFFICIAL,
        EVERYTHING,
    )
    plant.run(
        c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="general", category="CONS-G05")
    )
    assert plant.ledger.case(case_id).category == "CONS-G05"


def test_recurring_general_hazards_are_found_by_category(plant: Plant) -> None:
    for description in ("临边防护栏杆缺失", "楼梯口未设防护栏杆"):
        case_id = plant.self_found(sector="construction", description=description)
        plant.run(
            c.GradeHazard(
                occurred_at=plant.now, case_id=case_id, grade="general", category="CONS-G05"
            )
        )
        plant.clock.advance(days=20)
    other = plant.self_found(sector="construction", description="配电箱无漏电保护")
    plant.run(
        c.GradeHazard(occurred_at=plant.now, case_id=other, grade="general", category="CONS-G06")
    )
    found = [f for f in plant.review() if f["rule"] == "AUD-RECURRING"]
    assert len(found) == 1 and "CONS-G05" in found[0]["message_zh"]


# ---- device orders and observed activity -----------------------------------------------------


def _elevator_order(plant: Plant) -> UUID:
    return plant.run(
        c.IssueAction(
            occurred_at=plant.now,
            kind="stop_work",
            document_number="静市监特令〔2026〕003号",
            enterprise_code=PLANT,
            sector="special_equipment",
            department="县市场监管局",
            legal_basis="《中华人民共和国特种设备安全法》第五十七条",
            device_code=ELEVATOR,
            description="电梯门锁回路被短接，责令停止使用",
        )
    )


def test_a_hazard_elsewhere_in_the_plant_is_no_breach_of_a_device_order(plant: Plant) -> None:
    _elevator_order(plant)
    plant.clock.advance(days=2)
    plant.self_found("仓库灭火器压力不足")
    assert "AUD-STOP-WORK-BREACH" not in rules(plant.review())


def test_a_hazard_of_the_stopped_device_is(plant: Plant) -> None:
    _elevator_order(plant)
    plant.clock.advance(days=2)
    plant.run(
        c.ReportHazard(
            occurred_at=plant.now,
            enterprise_code=PLANT,
            sector="special_equipment",
            location="办公楼电梯",
            description="电梯运行中层门防夹保护失效",
            source="routine_inspection",
            details=_details("special_equipment"),
        )
    )
    assert "AUD-STOP-WORK-BREACH" in rules(plant.review())


def test_observed_operating_fires_the_breach_without_a_recurrence(plant: Plant) -> None:
    order = _elevator_order(plant)
    plant.clock.advance(days=3)
    inspection = plant.run(
        c.RecordInspection(
            occurred_at=plant.now,
            enterprise_code=PLANT,
            sector="special_equipment",
            inspection_type="routine",
            team=("李明", "周强"),
        )
    )
    before = len(plant.review())
    plant.run(
        c.RecordObservedActivity(
            occurred_at=plant.now,
            action_id=order,
            inspection_id=inspection,
            description="被责令停止使用的电梯仍在载客运行",
        )
    )
    found = plant.review()
    assert rules(found).count("AUD-STOP-WORK-BREACH") == 1
    assert "AUD-RECURRING" not in rules(found)
    assert len(found) == before + 1
    assert ELEVATOR in found[0]["message_zh"] and "仍在运行" in found[0]["message_zh"]


def test_observed_activity_needs_a_standing_order(plant: Plant) -> None:
    order = _elevator_order(plant)
    plant.run(c.LiftAction(occurred_at=plant.now, action_id=order, reason="检验合格，恢复使用"))
    _refused(
        plant,
        c.RecordObservedActivity(occurred_at=plant.now, action_id=order, description="电梯运行"),
        OFFICIAL,
        EVERYTHING,
    )
    _refused(
        plant,
        c.RecordObservedActivity(occurred_at=plant.now, action_id=order, description="电梯运行"),
        SAFETY_OFFICER,
    )


def test_only_orders_name_a_device(plant: Plant) -> None:
    _refused(
        plant,
        c.IssueAction(
            occurred_at=plant.now,
            kind="warning_letter",
            document_number="静市监警〔2026〕001号",
            enterprise_code=PLANT,
            sector="special_equipment",
            department="县市场监管局",
            legal_basis="《中华人民共和国特种设备安全法》",
            device_code=ELEVATOR,
        ),
        OFFICIAL,
        EVERYTHING,
    )


# ---- major hazards not listed ----------------------------------------------------------------


def _major(plant: Plant, sector: str = "construction") -> UUID:
    case_id = plant.run(
        c.ReportHazard(
            occurred_at=plant.now,
            enterprise_code=PLANT,
            sector=sector,
            location="成品仓库",
            description="有限空间作业无人监护"
            if sector == "construction"
            else "电梯门锁回路被短接",
            source="routine_inspection",
            details=_details(sector),
        )
    )
    criterion = "CONS-11-2" if sector == "construction" else "SE-ELV-04"
    plant.run(
        c.GradeHazard(occurred_at=plant.now, case_id=case_id, grade="major", criteria=(criterion,))
    )
    return case_id


def _close_major(plant: Plant, case_id: UUID) -> None:
    from tests.support import PLAN

    plant.run(
        c.AssignRectification(
            occurred_at=plant.now,
            case_id=case_id,
            department="县局",
            deadline=plant.now + timedelta(days=30),
            requirements="立即整改",
        )
    )
    plant.run(c.FilePlan(occurred_at=plant.now, case_id=case_id, plan=PLAN), SAFETY_OFFICER, OWN)
    plant.run(
        c.ReportRectification(
            occurred_at=plant.now,
            case_id=case_id,
            measures="清理通道并增设出口",
            completed_at=plant.now,
        ),
        SAFETY_OFFICER,
        OWN,
    )
    plant.run(
        c.VerifyRectification(occurred_at=plant.now, case_id=case_id, accepted=True, opinion="合格")
    )
    plant.run(c.CloseHazard(occurred_at=plant.now, case_id=case_id))


def test_a_major_hazard_closed_in_time_needed_no_listing(plant: Plant) -> None:
    case_id = _major(plant)
    plant.clock.advance(days=10)
    _close_major(plant, case_id)
    assert "AUD-MAJOR-NOT-LISTED" not in rules(plant.review(plant.now + timedelta(days=300)))


def test_a_closed_major_hazard_counts_only_its_open_days(plant: Plant) -> None:
    case_id = _major(plant)
    plant.clock.advance(days=40)
    _close_major(plant, case_id)
    (finding,) = [
        f
        for f in plant.review(plant.now + timedelta(days=284))
        if f["rule"] == "AUD-MAJOR-NOT-LISTED"
    ]
    assert "40天" in finding["message_zh"] and "销号" in finding["message_zh"]
    assert "284" not in finding["message_zh"]


def test_each_sector_has_its_own_listing_rule(plant: Plant) -> None:
    _major(plant, "special_equipment")
    plant.clock.advance(days=20)  # within special equipment's 30 days, beyond the default 15
    assert "AUD-MAJOR-NOT-LISTED" not in rules(plant.review())
    plant.clock.advance(days=15)
    (finding,) = [f for f in plant.review() if f["rule"] == "AUD-MAJOR-NOT-LISTED"]
    assert "30天内" in finding["message_zh"]


def test_a_sector_without_required_listing_yields_no_finding(plant: Plant) -> None:
    from ledger.audit.rules import ListingRule, MajorNeverListed, SectorPolicy

    _major(plant)
    plant.clock.advance(days=100)
    discretionary = MajorNeverListed(
        policy=lambda sector: SectorPolicy("重大火灾隐患", "major fire hazard", ListingRule(False))
    )
    found = build_review(plant.ledger, PLANT, plant.now, scope=EVERYTHING, rules=[discretionary])[
        "findings"
    ]
    assert found == []
    named = MajorNeverListed(
        policy=lambda sector: SectorPolicy("重大火灾隐患", "major fire hazard")
    )
    (finding,) = build_review(plant.ledger, PLANT, plant.now, scope=EVERYTHING, rules=[named])[
        "findings"
    ]
    assert "判定为重大火灾隐患" in finding["message_zh"]
