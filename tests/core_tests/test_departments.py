"""An assignment names a competent department the region has registered (its department
official's post), so one department is not split in two by the way its name is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.departments import checked_department
from ledger.enterprise import Person
from ledger.errors import RuleViolated
from ledger.responsibility import Duty
from tests.conftest import FakeClock
from tests.support import GOVERNMENT, INSPECTOR, register_restaurant, report_case

HOUSING = "静宁县住房和城乡建设局"
TOWNSHIP_SHOP = make_credit_code("92620826MA71TWXP0")


def post(ledger: HazardLedger, clock: FakeClock, organisation: str, sector: str) -> None:
    ledger.assign_responsibility(
        GOVERNMENT,
        clock.now,
        duty=Duty.DEPARTMENT_OFFICIAL,
        region_code="620826",
        sector=sector,
        organisation=organisation,
        title="副局长",
        holder=Person("off-1", "孙局长"),
    )


def assign(ledger: HazardLedger, clock: FakeClock, department: str) -> str:
    register_restaurant(ledger, clock.now)
    case_id = report_case(ledger, clock.now)
    ledger.grade_hazard(INSPECTOR, clock.now, case_id, grade="general")
    ledger.assign_rectification(
        INSPECTOR,
        clock.now,
        case_id,
        department=department,
        deadline=clock.now + timedelta(days=15),
        requirements="改用金属软管",
    )
    return str(ledger.case(case_id).assigned_department)


def test_an_unregistered_name_is_refused_with_the_registered_one(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    post(ledger, clock, HOUSING, "city_gas")
    with pytest.raises(RuleViolated) as refused:
        assign(ledger, clock, "静宁县住建局")
    (violation,) = refused.value.violations
    assert (violation.rule, violation.field) == ("DEPARTMENT_UNKNOWN", "department")
    assert f"应为“{HOUSING}”" in violation.message_zh
    assert HOUSING in violation.message_en


def test_the_registered_name_is_recorded_as_registered(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    post(ledger, clock, HOUSING, "city_gas")
    assert assign(ledger, clock, " 静宁县 住房和城乡建设局 ") == HOUSING


def test_a_township_hazard_goes_to_the_county_department(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    post(ledger, clock, HOUSING, "city_gas")
    ledger.register_enterprise(
        INSPECTOR,
        clock.now,
        credit_code=TOWNSHIP_SHOP,
        name="威戎镇某饭店",
        region_code="620826101",
        sectors=["city_gas"],
        principal=Person("p-9", "赵六"),
    )
    case_id = report_case(ledger, clock.now, TOWNSHIP_SHOP)
    with pytest.raises(RuleViolated):
        ledger.assign_rectification(
            INSPECTOR,
            clock.now,
            case_id,
            department="威戎镇住建所",
            deadline=clock.now + timedelta(days=15),
            requirements="改用金属软管",
        )


def test_without_registered_departments_the_name_is_free(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    post(ledger, clock, "静宁县消防救援大队", "fire")  # another sector's post does not count
    assert assign(ledger, clock, "县住建局") == "县住建局"


NAMES = st.text(st.characters(categories=("Lo", "Nd", "Zs")), min_size=1, max_size=12)


@given(known=st.lists(NAMES.filter(str.strip), min_size=1, max_size=4), name=NAMES)
def test_a_name_is_kept_only_if_it_is_a_known_one(known: list[str], name: str) -> None:
    plain = {"".join(k.split()): k for k in known}
    if not name.strip():
        assert checked_department(name, known) == name  # the hazard refuses a blank
    elif "".join(name.split()) in plain:
        assert checked_department(name, known) in known
    else:
        with pytest.raises(RuleViolated) as refused:
            checked_department(name, known)
        assert any(f"应为“{k}”" in refused.value.violations[0].message_zh for k in known)
