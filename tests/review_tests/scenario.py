"""SCENARIOS.md scenario 4, "After the fire": the furniture factory's record.

A fire breaks out on 1 May 2026 at 14:00. Before it: the blocked-exits hazard
(six GB 35181-2025 composite elements, FIRE-4.1-c) found on 20 February, graded major,
assigned with a 30-day deadline, listed,
extended once, reported rectified on 25 April by a fire-department official on the
factory's behalf and closed on 27 April by that same official; a warning letter in
March; the principal person changed in March. After it: an inspection dated 28 April
typed in on 3 May, and the fire department's post handed over on 10 May.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from api.evidence import accept, evidence_store
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.hazard import RectificationPlan
from ledger.identity import Actor, Role

from ..conftest import FakeClock

#: The blocked exits of a furniture factory under GB 35181-2025 (in force on 20 February
#: 2026): no direct element covers a factory's exits, so six composite elements (4.1 c).
FACTORY_FIRE_CRITERIA = (
    "FIRE-4.1-c",
    "FIRE-6.3.2",
    "FIRE-6.3.5",
    "FIRE-6.2.4",
    "FIRE-6.4.5",
    "FIRE-6.5.4",
    "FIRE-6.6.7",
)

CST = UTC  # times below are written in UTC for clarity of the two clocks
FACTORY_CODE = make_credit_code("91620826MA71JJCP0")
INCIDENT_AT = datetime(2026, 5, 1, 14, 0, tzinfo=CST)

FIRE_INSPECTOR = Actor("fire-012", "高文斌", Role.INSPECTOR, "静宁县消防救援大队")
FIRE_OFFICIAL = Actor("fire-007", "马立军", Role.DEPARTMENT, "静宁县消防救援大队")
FIRE_CHIEF = Actor("fire-001", "孙志远", Role.DEPARTMENT, "静宁县消防救援大队")
SAFETY_OFFICE = Actor("gov-003", "陈芳", Role.GOVERNMENT, "静宁县安委办")
FACTORY_USER = Actor("ent-ff-01", "赵德胜", Role.ENTERPRISE, FACTORY_CODE)

FIRST_PRINCIPAL = Person("p-ff-01", "赵德胜")
PRINCIPAL_ON_THE_DAY = Person("p-ff-02", "钱国富")
FIRE_POST_HOLDER = Person("fire-001", "孙志远")
FIRE_POST_SUCCESSOR = Person("fire-002", "李卫东")
TOWNSHIP_LEADER = Person("gov-101", "刘海燕")

PLAN = RectificationPlan(
    goal_and_tasks="恢复全部安全出口和疏散通道畅通，增设一处安全出口",
    methods_and_measures="清理成品堆放，改造二层疏散楼梯，设置疏散指示标志",
    funds_and_materials="专项资金12万元",
    organisation_and_people="厂长牵头，安全员具体负责",
    time_limit_and_requirements="30日内完成",
    safety_and_emergency="整改期间专人值守出口，禁止夜间加班",
)


@dataclass(frozen=True)
class FactoryFire:
    case_id: UUID
    warning_letter_id: UUID
    first_inspection_id: UUID
    late_inspection_id: UUID


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=CST)


#: The rectification report's scanned acceptance sheet (a minimal PDF).
ACCEPTANCE_SCAN = b"%PDF-1.4\n1 0 obj<</Title(exits cleared)>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_scan(app: HazardLedger) -> str:
    """Keep the scan in the ledger's evidence store, as an upload does; its citation."""
    accepted = accept(ACCEPTANCE_SCAN)
    evidence_store(app).put(ACCEPTANCE_SCAN, accepted)
    return accepted.citation


def build(app: HazardLedger, clock: FakeClock) -> FactoryFire:
    """Record the factory's history, each step typed in when the clock says."""

    def now(when: datetime) -> datetime:
        clock.now = when
        return when

    app.register_enterprise(
        SAFETY_OFFICE,
        now(at(1, 5)),
        credit_code=FACTORY_CODE,
        name="静宁县某某家具制造有限公司",
        region_code="620826",
        sectors=["fire"],
        principal=FIRST_PRINCIPAL,
        address="静宁县城关镇工业园区",
    )
    app.assign_responsibility(
        SAFETY_OFFICE,
        now(at(1, 6)),
        duty="department_official",
        region_code="620826",
        sector="fire",
        organisation="静宁县消防救援大队",
        title="大队长",
        holder=FIRE_POST_HOLDER,
    )
    app.assign_responsibility(
        SAFETY_OFFICE,
        now(at(1, 6, 11)),
        duty="government_leader",
        region_code="620826",
        organisation="静宁县城关镇人民政府",
        title="分管安全生产副镇长",
        holder=TOWNSHIP_LEADER,
    )
    inspection = app.record_inspection(
        FIRE_INSPECTOR,
        now(at(2, 20)),
        enterprise_code=FACTORY_CODE,
        sector="fire",
        inspection_type="routine",
        team=[FIRE_INSPECTOR.name, FIRE_OFFICIAL.name],
        location="成品仓库及二层车间",
        summary="消防安全检查",
    )
    case_id = app.report_hazard(
        FIRE_INSPECTOR,
        now(at(2, 20, 11)),
        enterprise_code=FACTORY_CODE,
        sector="fire",
        location="二层车间东侧安全出口",
        description="安全出口被成品家具堵塞，疏散通道不畅",
        source="routine_inspection",
        inspection_id=inspection,
    )
    app.grade_hazard(
        FIRE_INSPECTOR,
        now(at(2, 20, 12)),
        case_id,
        grade="major",
        criteria=list(FACTORY_FIRE_CRITERIA),
        catalogue_edition="GB 35181-2025",
    )
    app.assign_rectification(
        FIRE_OFFICIAL,
        now(at(2, 20, 15)),
        case_id,
        department="静宁县消防救援大队",
        deadline=at(2, 20, 15) + timedelta(days=30),
        requirements="立即清理出口堵塞物，30日内增设安全出口",
    )
    app.file_plan(FACTORY_USER, now(at(2, 22)), case_id, plan=PLAN)
    app.list_for_supervision(
        SAFETY_OFFICE, now(at(2, 25)), case_id, level="county", authority="静宁县安委会"
    )
    app.change_principal(
        SAFETY_OFFICE, now(at(3, 5)), credit_code=FACTORY_CODE, principal=PRINCIPAL_ON_THE_DAY
    )
    letter = app.issue_action(
        FIRE_OFFICIAL,
        now(at(3, 10)),
        kind="warning_letter",
        document_number="静消警字〔2026〕第012号",
        enterprise_code=FACTORY_CODE,
        sector="fire",
        department="静宁县消防救援大队",
        legal_basis="《中华人民共和国安全生产法》第六十五条",
        case_ids=[case_id],
        description="安全出口堵塞隐患整改进度滞后",
    )
    app.extend_deadline(
        FIRE_CHIEF,
        now(at(3, 20)),
        case_id,
        new_deadline=at(4, 30),
        reason="需改造二层疏散楼梯，施工周期较长",
        approver="孙志远（静宁县消防救援大队）",
    )
    app.report_rectification(
        FIRE_OFFICIAL,  # filled in on the factory's behalf
        now(at(4, 25)),
        case_id,
        measures="清理疏散通道堆放物，增设二层东侧安全出口并设置疏散指示标志",
        completed_at=at(4, 24),
        evidence=[stored_scan(app)],
    )
    app.file_assessment(FACTORY_USER, now(at(4, 25, 16)), case_id, summary="自评估：出口已畅通")
    app.verify_rectification(
        FIRE_CHIEF, now(at(4, 26)), case_id, accepted=True, opinion="现场验收合格"
    )
    app.close_hazard(FIRE_OFFICIAL, now(at(4, 27)), case_id)
    app.delist(SAFETY_OFFICE, now(at(4, 27, 16)), case_id)
    # After the fire: an inspection dated 28 April typed in on 3 May ...
    now(at(5, 3))
    late_inspection = app.record_inspection(
        FIRE_OFFICIAL,
        at(4, 28),
        enterprise_code=FACTORY_CODE,
        sector="fire",
        inspection_type="routine",
        team=[FIRE_OFFICIAL.name],
        location="全厂",
        summary="复查安全出口，未见异常",
    )
    # ... and the fire department's post handed over on 10 May.
    app.assign_responsibility(
        SAFETY_OFFICE,
        now(at(5, 10)),
        duty="department_official",
        region_code="620826",
        sector="fire",
        organisation="静宁县消防救援大队",
        title="大队长",
        holder=FIRE_POST_SUCCESSOR,
    )
    now(at(5, 12))
    return FactoryFire(case_id, letter, inspection, late_inspection)
