"""The built-in sectors judge commands through the ledger: refusals name field and rule in
both languages, record nothing, and accepted grades keep the edition they were judged by."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from ledger.application import HazardLedger
from ledger.errors import RuleViolated
from plugins import Facts, Sectors
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, INSPECTOR, RESTAURANT_CODE, register_restaurant

ELEVATOR = {"device_registration_code": "3110620820190001", "device_type": "elevator"}
RESTAURANT = {"premises": "restaurant", "leak_alarm_installed": False}
SITE = {"project_name": "城关镇安置房项目", "construction_permit_number": "6208262026000123"}


@pytest.fixture(scope="module")
def sectors() -> Sectors:
    return Sectors.load(load_entry_points=False)


@pytest.fixture
def app(store_url: str, clock: FakeClock, sectors: Sectors) -> Iterator[HazardLedger]:
    ledger = HazardLedger(store_url, clock=clock, sectors=sectors)
    register_restaurant(ledger, clock.advance(minutes=1))
    yield ledger
    ledger.close()


def report(app: HazardLedger, clock: FakeClock, sector: str, details: Any, **kw: Any) -> UUID:
    return app.report_hazard(
        INSPECTOR,
        clock.advance(minutes=1),
        enterprise_code=RESTAURANT_CODE,
        sector=sector,
        location=kw.get("location", "现场"),
        description=kw.get("description", "隐患"),
        source="routine_inspection",
        details=details,
    )


def refused(call: Any, app: HazardLedger) -> list[tuple[str, str]]:
    """Run ``call``; it must be refused and leave the store as it was."""
    head = app.recorder.max_notification_id()
    with pytest.raises(RuleViolated) as caught:
        call()
    assert app.recorder.max_notification_id() == head
    for v in caught.value.violations:
        assert v.message_zh != v.message_en and v.field
    return [(v.rule, v.field) for v in caught.value.violations]


def test_special_equipment_hazard_must_name_its_device(app: HazardLedger, clock: FakeClock) -> None:
    assert refused(lambda: report(app, clock, "special_equipment", {}), app) == [
        ("DETAIL_REQUIRED", "details.device_registration_code"),
        ("DETAIL_REQUIRED", "details.device_type"),
    ]
    bad = {"device_registration_code": "ab", "device_type": "rocket"}
    assert refused(lambda: report(app, clock, "special_equipment", bad), app) == [
        ("DETAIL_FORMAT", "details.device_registration_code"),
        ("DETAIL_CHOICE", "details.device_type"),
    ]
    case = report(app, clock, "special_equipment", ELEVATOR)
    assert app.case(case).details == ELEVATOR


def test_gas_hazard_at_a_restaurant_records_the_leak_alarm(
    app: HazardLedger, clock: FakeClock
) -> None:
    no_alarm = {"premises": "restaurant"}
    assert refused(lambda: report(app, clock, "city_gas", no_alarm), app) == [
        ("LEAK_ALARM_REQUIRED", "details.leak_alarm_installed")
    ]
    wrong = {"premises": "restaurant", "leak_alarm_installed": "yes"}
    assert refused(lambda: report(app, clock, "city_gas", wrong), app) == [
        ("DETAIL_TYPE", "details.leak_alarm_installed")
    ]
    report(app, clock, "city_gas", RESTAURANT)
    report(app, clock, "city_gas", {"premises": "station"})


def test_construction_hazard_names_project_and_permit(app: HazardLedger, clock: FakeClock) -> None:
    assert refused(lambda: report(app, clock, "construction", {"project_name": "X"}), app) == [
        ("DETAIL_REQUIRED", "details.construction_permit_number")
    ]
    bad = {**SITE, "construction_permit_number": "许可证"}
    assert refused(lambda: report(app, clock, "construction", bad), app) == [
        ("DETAIL_FORMAT", "details.construction_permit_number")
    ]
    report(app, clock, "construction", SITE)


def grade(app: HazardLedger, clock: FakeClock, case: UUID, *criteria: str, **kw: Any) -> int:
    return app.grade_hazard(
        DEPARTMENT, clock.advance(minutes=1), case, grade="major", criteria=criteria, **kw
    )


def test_a_major_grade_records_the_edition_in_force(app: HazardLedger, clock: FakeClock) -> None:
    case = report(app, clock, "city_gas", RESTAURANT)
    grade(app, clock, case, "GAS-06")
    assert app.case(case).catalogue_edition == "建城规〔2023〕4号"


def test_an_unknown_criterion_is_refused(app: HazardLedger, clock: FakeClock) -> None:
    case = report(app, clock, "city_gas", RESTAURANT)
    assert refused(lambda: grade(app, clock, case, "GAS-23"), app) == [
        ("CRITERION_UNKNOWN", "criteria")
    ]
    # another sector's criterion is just as unknown here
    assert refused(lambda: grade(app, clock, case, "FIRE-D05"), app) == [
        ("CRITERION_UNKNOWN", "criteria")
    ]


def test_a_named_edition_must_be_the_sectors(app: HazardLedger, clock: FakeClock) -> None:
    case = report(app, clock, "city_gas", RESTAURANT)
    assert refused(lambda: grade(app, clock, case, "GAS-06", catalogue_edition="2019"), app) == [
        ("CATALOGUE_EDITION_UNKNOWN", "catalogue_edition")
    ]
    grade(app, clock, case, "GAS-06", catalogue_edition="2023")
    assert app.case(case).catalogue_edition == "2023"


def test_fire_grades_under_the_edition_in_force(app: HazardLedger, clock: FakeClock) -> None:
    assert clock() > datetime(2025, 11, 1, tzinfo=UTC)
    case = report(app, clock, "fire", {}, description="安全出口被货物堵塞")
    assert refused(lambda: grade(app, clock, case, "FIRE-D05"), app) == [
        ("CRITERION_UNKNOWN", "criteria")
    ]
    grade(app, clock, case, "FIRE-5.2-c")
    assert app.case(case).catalogue_edition == "GB 35181-2025"


def test_fire_composite_elements_need_a_rule_they_meet(app: HazardLedger, clock: FakeClock) -> None:
    case = report(app, clock, "fire", {})
    five = ("FIRE-6.3.1", "FIRE-6.3.2", "FIRE-6.3.3", "FIRE-6.3.4", "FIRE-6.3.5")
    assert refused(lambda: grade(app, clock, case, *five), app) == [
        ("COMPOSITE_RULE_REQUIRED", "criteria")
    ]
    assert refused(lambda: grade(app, clock, case, "FIRE-4.1-c", *five), app) == [
        ("COMPOSITE_NOT_MET", "criteria")
    ]
    grade(app, clock, case, "FIRE-4.1-c", *five, "FIRE-6.6.7")
    assert app.case(case).criteria == ("FIRE-4.1-c", *five, "FIRE-6.6.7")


def test_a_device_is_graded_only_under_its_own_items(app: HazardLedger, clock: FakeClock) -> None:
    case = report(app, clock, "special_equipment", ELEVATOR)
    assert refused(lambda: grade(app, clock, case, "SE-BLR-03"), app) == [
        ("CRITERION_DEVICE_MISMATCH", "criteria")
    ]
    grade(app, clock, case, "SE-ELV-02", "SE-GEN-03")


def test_a_general_grade_needs_no_criterion(app: HazardLedger, clock: FakeClock) -> None:
    case = report(app, clock, "construction", SITE)
    app.grade_hazard(DEPARTMENT, clock.advance(minutes=1), case, grade="general")
    assert app.case(case).catalogue_edition is None


def test_construction_before_its_first_encoded_edition_cannot_cite_items(
    sectors: Sectors,
) -> None:
    from uuid import uuid4

    from ledger.commands import GradeHazard

    def grade(on: datetime) -> GradeHazard:
        return GradeHazard(occurred_at=on, case_id=uuid4(), grade="major", criteria=("CONS-7-2",))

    before = grade(datetime(2024, 6, 1, tzinfo=UTC))
    after = grade(datetime(2025, 1, 1, tzinfo=UTC))
    assert [v.rule for v in sectors.validate(before, sector="construction")] == [
        "CRITERION_UNKNOWN"
    ]
    assert sectors.validate(after, sector="construction") == []


@pytest.mark.parametrize(
    ("sector", "details", "description", "expected"),
    [
        ("fire", {}, "安全出口被货物堵塞", "FIRE-5.2-c"),
        ("special_equipment", ELEVATOR, "电梯超期未检验", "SE-ELV-01"),
        ("special_equipment", {**ELEVATOR, "device_type": "crane"}, "超期未检", "SE-CRN-02"),
        ("city_gas", RESTAURANT, "燃气立管设置在卫生间内", "GAS-19"),
        ("construction", SITE, "连墙件整层缺失", "CONS-7-2"),
        ("chemicals", {}, "禁配物质混存", "CHEM-20"),
    ],
)
def test_suggestions_point_at_matching_criteria(
    sectors: Sectors, sector: str, details: Any, description: str, expected: str
) -> None:
    facts = Facts(sector, "现场", description, details)
    codes = [s.code for s in sectors.suggest(facts, on=datetime(2026, 3, 3, tzinfo=UTC))]
    assert expected in codes
    for code in codes:
        assert any(c.get(code) for c in sectors.catalogues[sector]), code


def test_suggestions_never_cross_device_types(sectors: Sectors) -> None:
    facts = Facts("special_equipment", "电梯", "安全阀失效，门锁回路被短接", ELEVATOR)
    codes = [s.code for s in sectors.suggest(facts)]
    assert codes == ["SE-ELV-02"]
