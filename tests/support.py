"""Builders for tests: people, an enterprise, and a case walked to a given step."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.hazard import RectificationPlan
from ledger.identity import Actor, Role

INSPECTOR = Actor("insp-001", "张建国", Role.INSPECTOR, "静宁县城关镇")
DEPARTMENT = Actor("dept-007", "李明", Role.DEPARTMENT, "静宁县住房和城乡建设局")
OTHER_OFFICIAL = Actor("dept-008", "周强", Role.DEPARTMENT, "静宁县住房和城乡建设局")
GOVERNMENT = Actor("gov-003", "陈芳", Role.GOVERNMENT, "静宁县安委办")
RESTAURANT_CODE = make_credit_code("92620826MA71RKTA0")
ENTERPRISE_USER = Actor("ent-001", "王五", Role.ENTERPRISE, RESTAURANT_CODE)

PLAN = RectificationPlan(
    goal_and_tasks="分区分类储存，消除禁配物质混存",
    methods_and_measures="新建专用库房，按禁配表分区",
    funds_and_materials="专项资金80万元",
    organisation_and_people="总经理牵头，安全科具体负责",
    time_limit_and_requirements="60日内完成",
    safety_and_emergency="临时隔离、专人巡查、应急预案演练",
)


def register_restaurant(app: HazardLedger, at: datetime) -> str:
    app.register_enterprise(
        INSPECTOR,
        at,
        credit_code=RESTAURANT_CODE,
        name="静宁县某某餐馆",
        region_code="620826",
        sectors=["city_gas"],
        principal=Person("p-001", "王五"),
    )
    return RESTAURANT_CODE


def report_case(app: HazardLedger, at: datetime, code: str = RESTAURANT_CODE) -> UUID:
    return app.report_hazard(
        INSPECTOR,
        at,
        enterprise_code=code,
        sector="city_gas",
        location="后厨",
        description="燃气软管穿墙敷设，未安装可燃气体泄漏报警装置",
        source="grid_patrol",
        details={"leak_alarm_installed": False},
    )


def assigned_case(app: HazardLedger, at: datetime, *, major: bool = False) -> UUID:
    """A case reported, graded and assigned with a 15-day deadline, all at ``at``."""
    register_restaurant(app, at)
    case_id = report_case(app, at)
    if major:
        app.grade_hazard(INSPECTOR, at, case_id, grade="major", criteria=["GAS-06"])
        app.file_plan(ENTERPRISE_USER, at, case_id, plan=PLAN)
    else:
        app.grade_hazard(INSPECTOR, at, case_id, grade="general")
    app.assign_rectification(
        INSPECTOR,
        at,
        case_id,
        department="静宁县住房和城乡建设局",
        deadline=at + timedelta(days=15),
        requirements="穿墙软管改为金属管道，加装泄漏报警装置",
    )
    return case_id
