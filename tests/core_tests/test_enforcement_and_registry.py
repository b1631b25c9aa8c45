"""Enforcement actions, enterprises and responsibility posts: legal and illegal steps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from ledger.application import HazardLedger
from ledger.enforcement import ActionKind, ActionStatus
from ledger.enterprise import Person
from ledger.errors import ConcurrentChange, NotFound, RuleViolated
from ledger.responsibility import Duty
from tests.conftest import FakeClock
from tests.core_tests.walk import footprint
from tests.support import DEPARTMENT, GOVERNMENT, INSPECTOR, RESTAURANT_CODE, register_restaurant

LAW = "《安全生产法》第一百零二条"


def _issue(ledger: HazardLedger, clock: FakeClock, kind: str, fine: Decimal | None = None) -> UUID:
    return ledger.issue_action(
        INSPECTOR,
        clock.now,
        kind=kind,
        document_number=f"静应急罚〔2026〕{kind}号",
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        department="静宁县应急管理局",
        legal_basis=LAW,
        fine_amount=fine,
    )


Step = Callable[[HazardLedger, FakeClock, UUID], Any]
EXECUTE: Step = lambda led, clk, a: led.execute_action(  # noqa: E731
    INSPECTOR, clk.now, a, amount_paid=Decimal("20000") if led.action(a).kind == "penalty" else None
)
LIFT: Step = lambda led, clk, a: led.lift_action(INSPECTOR, clk.now, a, reason="复查合格，准予复工")  # noqa: E731
REVOKE: Step = lambda led, clk, a: led.revoke_action(INSPECTOR, clk.now, a, reason="行政复议撤销")  # noqa: E731
STEPS = {"execute": EXECUTE, "lift": LIFT, "revoke": REVOKE}

# (kind, steps taken first, step tried, resulting status or refused rule)
ACTION_TABLE = [
    ("penalty", [], "execute", "executed"),
    ("penalty", ["execute"], "execute", "ACTION_NOT_PENDING"),
    ("penalty", [], "lift", "ACTION_NOT_LIFTABLE"),
    ("penalty", [], "revoke", "revoked"),
    ("penalty", ["execute"], "revoke", "revoked"),
    ("warning_letter", [], "lift", "ACTION_NOT_LIFTABLE"),
    ("warning_letter", [], "execute", "executed"),
    ("stop_work", [], "lift", "lifted"),
    ("stop_work", ["execute"], "lift", "lifted"),
    ("stop_work", ["lift"], "lift", "ACTION_NOT_LIFTABLE"),
    ("stop_work", ["lift"], "execute", "ACTION_NOT_PENDING"),
    ("stop_work", ["lift"], "revoke", "ACTION_ALREADY_ENDED"),
    ("seal_up", ["revoke"], "revoke", "ACTION_ALREADY_ENDED"),
    ("seal_up", ["revoke"], "lift", "ACTION_NOT_LIFTABLE"),
    ("ban", ["execute"], "lift", "lifted"),
    ("summons", ["revoke"], "execute", "ACTION_NOT_PENDING"),
]


@pytest.mark.parametrize(
    ("kind", "first", "tried", "expected"),
    ACTION_TABLE,
    ids=[f"{k}-{'-'.join(f) or 'issued'}-{t}" for k, f, t, _ in ACTION_TABLE],
)
def test_action_transitions(
    ledger: HazardLedger, clock: FakeClock, kind: str, first: list[str], tried: str, expected: str
) -> None:
    register_restaurant(ledger, clock.now)
    action_id = _issue(ledger, clock, kind, Decimal("20000") if kind == "penalty" else None)
    for name in first:
        clock.advance(hours=1)
        STEPS[name](ledger, clock, action_id)
    before = footprint(ledger, action_id)
    clock.advance(hours=1)
    if expected.isupper():
        with pytest.raises(RuleViolated) as refused:
            STEPS[tried](ledger, clock, action_id)
        assert [v.rule for v in refused.value.violations] == [expected]
        assert footprint(ledger, action_id) == before
    else:
        STEPS[tried](ledger, clock, action_id)
        action = ledger.action(action_id)
        assert action.status == ActionStatus(expected)
        assert action.version == before.version + 1


@pytest.mark.parametrize(
    ("kind", "fine", "rules"),
    [
        ("penalty", None, {"PENALTY_NEEDS_AMOUNT"}),
        ("penalty", Decimal("0"), {"PENALTY_NEEDS_AMOUNT"}),
        ("penalty", Decimal("-5"), {"PENALTY_NEEDS_AMOUNT"}),
        ("warning_letter", Decimal("1000"), {"AMOUNT_ONLY_FOR_PENALTY"}),
        ("stop_work", Decimal("1"), {"AMOUNT_ONLY_FOR_PENALTY"}),
        ("penalty", Decimal("NaN"), {"PENALTY_NEEDS_AMOUNT"}),
        ("penalty", Decimal("Infinity"), {"PENALTY_NEEDS_AMOUNT"}),
        ("fine_and_jail", None, {"ACTION_KIND_UNKNOWN"}),
    ],
)
def test_issue_refusals(
    ledger: HazardLedger, clock: FakeClock, kind: str, fine: Decimal | None, rules: set[str]
) -> None:
    register_restaurant(ledger, clock.now)
    before = ledger.recorder.max_notification_id()
    with pytest.raises(RuleViolated) as refused:
        _issue(ledger, clock, kind, fine)
    assert {v.rule for v in refused.value.violations} == rules
    assert ledger.recorder.max_notification_id() == before


def test_issue_without_document_basis_or_department_names_each_field(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    with pytest.raises(RuleViolated) as refused:
        ledger.issue_action(
            INSPECTOR,
            clock.now,
            kind="directive",
            document_number=" ",
            enterprise_code=RESTAURANT_CODE,
            sector="city_gas",
            department="",
            legal_basis="",
        )
    assert {(v.rule, v.field) for v in refused.value.violations} == {
        ("FIELD_REQUIRED", "document_number"),
        ("FIELD_REQUIRED", "department"),
        ("FIELD_REQUIRED", "legal_basis"),
    }


def test_penalty_execution_needs_the_amount_paid(ledger: HazardLedger, clock: FakeClock) -> None:
    register_restaurant(ledger, clock.now)
    action_id = _issue(ledger, clock, "penalty", Decimal("20000.50"))
    before = footprint(ledger, action_id)
    with pytest.raises(RuleViolated) as refused:
        ledger.execute_action(INSPECTOR, clock.now, action_id)
    assert [v.rule for v in refused.value.violations] == ["PAYMENT_NEEDS_AMOUNT"]
    for amount in (Decimal("0"), Decimal("NaN"), Decimal("-Infinity")):
        with pytest.raises(RuleViolated) as refused:
            ledger.execute_action(INSPECTOR, clock.now, action_id, amount_paid=amount)
        assert [v.rule for v in refused.value.violations] == ["PAYMENT_NEEDS_AMOUNT"]
    assert footprint(ledger, action_id) == before
    ledger.execute_action(INSPECTOR, clock.now, action_id, amount_paid=Decimal("20000.50"))
    action = ledger.action(action_id)
    assert action.fine_amount == action.amount_paid == Decimal("20000.50")


def test_action_on_unknown_case_or_enterprise_is_not_found(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    with pytest.raises(NotFound):
        _issue(ledger, clock, "directive")
    register_restaurant(ledger, clock.now)
    with pytest.raises(NotFound):
        ledger.issue_action(
            INSPECTOR,
            clock.now,
            kind="directive",
            document_number="1",
            enterprise_code=RESTAURANT_CODE,
            sector="city_gas",
            department="应急局",
            legal_basis=LAW,
            case_ids=[UUID(int=7)],
        )
    assert ledger.recorder.max_notification_id() == 1


def test_stop_work_suspends_work_until_lifted(ledger: HazardLedger, clock: FakeClock) -> None:
    register_restaurant(ledger, clock.now)
    issued = clock.now
    action_id = _issue(ledger, clock, ActionKind.STOP_WORK)
    clock.advance(days=3)
    LIFT(ledger, clock, action_id)
    action = ledger.action(action_id)
    assert action.suspends_work_at(issued + timedelta(days=1))
    assert not action.suspends_work_at(clock.now)
    assert not action.suspends_work_at(issued - timedelta(seconds=1))


def test_enterprise_registration_rules(ledger: HazardLedger, clock: FakeClock) -> None:
    register_restaurant(ledger, clock.now)
    before = ledger.recorder.max_notification_id()
    wrong_check = "0" if RESTAURANT_CODE[-1] != "0" else "1"
    with pytest.raises(RuleViolated) as refused:
        register_restaurant(ledger, clock.now)
    assert [v.rule for v in refused.value.violations] == ["ENTERPRISE_EXISTS"]
    with pytest.raises(RuleViolated) as refused:
        ledger.register_enterprise(
            INSPECTOR,
            clock.now,
            credit_code=RESTAURANT_CODE[:-1] + wrong_check,
            name=" ",
            region_code="990826",
            sectors=[],
            principal=Person("", ""),
        )
    assert {(v.rule, v.field) for v in refused.value.violations} == {
        ("CREDIT_CODE_CHECK", "credit_code"),
        ("REGION_CODE_PROVINCE", "region_code"),
        ("FIELD_REQUIRED", "name"),
        ("FIELD_REQUIRED", "sectors"),
        ("PRINCIPAL_REQUIRED", "principal"),
    }
    assert ledger.recorder.max_notification_id() == before


def test_principal_changes_over_time(ledger: HazardLedger, clock: FakeClock) -> None:
    start = clock.now
    register_restaurant(ledger, start)
    enterprise = ledger.enterprise(RESTAURANT_CODE)
    before = footprint(ledger, enterprise.id)
    with pytest.raises(RuleViolated) as refused:
        ledger.change_principal(
            GOVERNMENT, clock.now, credit_code=RESTAURANT_CODE, principal=Person("p-001", "王五")
        )
    assert [v.rule for v in refused.value.violations] == ["PRINCIPAL_UNCHANGED"]
    assert footprint(ledger, enterprise.id) == before
    clock.advance(days=2)
    ledger.change_principal(
        GOVERNMENT, clock.now, credit_code=RESTAURANT_CODE, principal=Person("p-002", "赵六")
    )
    with pytest.raises(ConcurrentChange, match="expected version 1"):
        ledger.change_principal(
            GOVERNMENT,
            clock.now,
            credit_code=RESTAURANT_CODE,
            principal=Person("p-003", "钱七"),
            expected_version=1,
        )
    enterprise = ledger.enterprise(RESTAURANT_CODE)
    person = enterprise.principal_on(start + timedelta(days=1))
    assert person is not None and person.id == "p-001"
    person = enterprise.principal_on(clock.now)
    assert person is not None and person.id == "p-002"
    assert enterprise.principal_on(start - timedelta(days=1)) is None


def test_responsibility_posts(ledger: HazardLedger, clock: FakeClock) -> None:
    start = clock.now
    holder = Person("off-1", "孙局长")
    with pytest.raises(RuleViolated) as refused:
        ledger.assign_responsibility(
            GOVERNMENT,
            start,
            duty="department_official",
            region_code="620826",
            sector="",
            organisation="静宁县住建局",
            title="副局长",
            holder=holder,
        )
    assert [v.rule for v in refused.value.violations] == ["SECTOR_REQUIRED"]
    assert ledger.recorder.max_notification_id() in (None, 0)
    post = ledger.assign_responsibility(
        GOVERNMENT,
        start,
        duty=Duty.DEPARTMENT_OFFICIAL,
        region_code="620826",
        sector="city_gas",
        organisation="静宁县住建局",
        title="副局长",
        holder=holder,
    )
    before = footprint(ledger, post)
    with pytest.raises(RuleViolated) as refused:
        ledger.assign_responsibility(
            GOVERNMENT,
            clock.now,
            duty=Duty.DEPARTMENT_OFFICIAL,
            region_code="620826",
            sector="city_gas",
            organisation="静宁县住建局",
            title="副局长",
            holder=holder,
        )
    assert [v.rule for v in refused.value.violations] == ["HOLDER_UNCHANGED"]
    assert footprint(ledger, post) == before
    clock.advance(days=10)
    ledger.assign_responsibility(
        GOVERNMENT,
        clock.now,
        duty=Duty.DEPARTMENT_OFFICIAL,
        region_code="620826",
        sector="city_gas",
        organisation="静宁县住建局",
        title="副局长",
        holder=Person("off-2", "周局长"),
    )
    current = ledger.post(Duty.DEPARTMENT_OFFICIAL, "620826", "city_gas")
    first = current.holder_on(start + timedelta(days=5))
    second = current.holder_on(clock.now)
    assert first is not None and first.id == "off-1"
    assert second is not None and second.id == "off-2"
    assert [e.actor for e in ledger.history(post)] == [GOVERNMENT, GOVERNMENT]
    assert DEPARTMENT.id not in {e.actor.id for e in ledger.history(post)}
