"""What a confiscation or seizure took (158 箱): an optional quantity and unit on the
issued action, through the command path, bounded in the domain for every input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.enforcement import MAX_QUANTITY, MAX_UNIT_LENGTH, QUANTITY_KINDS, ActionKind
from ledger.errors import RuleViolated
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, RESTAURANT_CODE, register_restaurant


def _command(clock: FakeClock, kind: str, quantity: Decimal | None, unit: str) -> c.IssueAction:
    return c.IssueAction(
        occurred_at=clock.now,
        kind=kind,
        document_number="静应急没〔2020〕1号",
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        department="静宁县应急管理局",
        legal_basis="《中华人民共和国安全生产法》第九十四条",
        quantity=quantity,
        unit=unit,
    )


def test_a_confiscation_records_its_quantity_through_the_command_path(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    action_id = ledger.execute(
        _command(clock, "confiscation", Decimal("158"), " 箱 "), DEPARTMENT
    ).id
    action = ledger.action(action_id)
    assert (action.quantity, action.unit) == (Decimal("158"), "箱")


@pytest.mark.parametrize(
    ("kind", "quantity", "unit", "rules"),
    [
        ("warning_letter", Decimal("3"), "件", {"QUANTITY_NOT_FOR_KIND"}),
        ("confiscation", None, "箱", {"UNIT_NEEDS_QUANTITY"}),
        ("confiscation", Decimal("5"), "", {"QUANTITY_NEEDS_UNIT"}),
        ("confiscation", Decimal("0"), "箱", {"QUANTITY_OUT_OF_BOUNDS"}),
        ("confiscation", Decimal("-1"), "箱", {"QUANTITY_OUT_OF_BOUNDS"}),
        ("confiscation", Decimal("NaN"), "箱", {"QUANTITY_OUT_OF_BOUNDS"}),
        ("seal_up", MAX_QUANTITY + 1, "吨", {"QUANTITY_OUT_OF_BOUNDS"}),
        ("seal_up", Decimal("1.2345"), "吨", {"QUANTITY_TOO_PRECISE"}),
        ("seal_up", Decimal("1"), "吨" * (MAX_UNIT_LENGTH + 1), {"QUANTITY_NEEDS_UNIT"}),
    ],
)
def test_quantities_out_of_bounds_are_refused_by_name_and_record_nothing(
    ledger: HazardLedger,
    clock: FakeClock,
    kind: str,
    quantity: Decimal | None,
    unit: str,
    rules: set[str],
) -> None:
    register_restaurant(ledger, clock.now)
    before = ledger.recorder.max_notification_id()
    with pytest.raises(RuleViolated) as refused:
        ledger.execute(_command(clock, kind, quantity, unit), DEPARTMENT)
    assert {v.rule for v in refused.value.violations} == rules
    assert all(v.message_zh and v.message_en for v in refused.value.violations)
    assert ledger.recorder.max_notification_id() == before


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from([k.value for k in ActionKind]),
    quantity=st.none() | st.decimals(allow_nan=True, allow_infinity=True, places=None),
    unit=st.text(max_size=14),
)
def test_a_recorded_quantity_is_always_in_bounds(
    ledger: HazardLedger, clock: FakeClock, kind: str, quantity: Decimal | None, unit: str
) -> None:
    if ledger.recorder.max_notification_id() in (None, 0):
        register_restaurant(ledger, clock.now)
    try:
        action_id = ledger.execute(_command(clock, kind, quantity, unit), DEPARTMENT).id
    except RuleViolated:
        return
    action = ledger.action(action_id)
    if action.quantity is None:
        assert action.unit == ""
        return
    assert ActionKind(kind) in QUANTITY_KINDS
    assert 0 < action.quantity <= MAX_QUANTITY and action.unit
    assert len(action.unit) <= MAX_UNIT_LENGTH
