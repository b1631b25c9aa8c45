"""Risk points (双重预防) through the command path, on both stores."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.enterprise import Person
from ledger.errors import NotFound, RuleViolated
from ledger.identity import Actor, Role
from ledger.permissions import NotPermitted
from ledger.risk import Control, RiskLevel, RiskPoint
from ledger.scope import Scope
from tests.conftest import FakeClock
from tests.support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    RESTAURANT_CODE,
    register_restaurant,
    report_case,
)

AUDITOR = Actor("aud-001", "孙审", Role.AUDITOR, "静宁县纪委监委")
BOSS, TECH, OPERATOR = Person("p-1", "王五"), Person("p-2", "李工"), Person("p-3", "赵班长")


def _register(app: HazardLedger, clock: FakeClock, **overrides: object) -> UUID:
    values: dict[str, object] = {
        "occurred_at": clock.now - timedelta(hours=1),
        "enterprise_code": RESTAURANT_CODE,
        "sector": "city_gas",
        "name": "后厨燃气灶区",
        "location": "后厨",
        "level": "larger",
        "controls": ("安装可燃气体泄漏报警装置", "每日开餐前检查软管"),
    }
    values.update(overrides)
    return app.execute(c.RegisterRiskPoint(**values), DEPARTMENT).id  # type: ignore[arg-type]


@pytest.fixture
def restaurant(ledger: HazardLedger, clock: FakeClock) -> str:
    return register_restaurant(ledger, clock.now - timedelta(days=2))


def _events(app: HazardLedger, aggregate_id: UUID) -> int:
    return len(app.history(aggregate_id))


def test_a_risk_point_has_level_colour_numbered_controls_and_its_hazard_source(
    ledger: HazardLedger, clock: FakeClock, restaurant: str
) -> None:
    rid = _register(
        ledger,
        clock,
        level="major",
        hazard_source_level=2,
        responsible_principal=BOSS,
        responsible_technical=TECH,
        responsible_operational=OPERATOR,
    )
    point: object = ledger.repository.get(rid)
    assert isinstance(point, RiskPoint)
    assert point.level is RiskLevel.MAJOR and point.colour == "red"
    assert [k.id for k in point.controls] == ["C1", "C2"]
    assert point.hazard_source is not None and point.hazard_source.level == 2
    assert point.hazard_source.technical == TECH
    assert point.region_code == "620826"


def test_a_hazard_source_without_all_three_responsible_people_is_refused(
    ledger: HazardLedger, clock: FakeClock, restaurant: str
) -> None:
    with pytest.raises(RuleViolated) as refused:
        _register(
            ledger, clock, hazard_source_level=5, responsible_principal=BOSS, risk_point_id=None
        )
    rules = {(v.rule, v.field) for v in refused.value.violations}
    assert ("HAZARD_SOURCE_LEVEL", "hazard_source_level") in rules
    assert ("HAZARD_SOURCE_RESPONSIBLE_REQUIRED", "responsible_technical") in rules
    assert ("HAZARD_SOURCE_RESPONSIBLE_REQUIRED", "responsible_operational") in rules
    assert all(v.message_zh and v.message_en for v in refused.value.violations)


@pytest.mark.parametrize("level", ["严重", "red", ""])
def test_an_unknown_level_is_refused_in_both_languages(
    ledger: HazardLedger, clock: FakeClock, restaurant: str, level: str
) -> None:
    with pytest.raises(RuleViolated) as refused:
        _register(ledger, clock, level=level)
    (violation,) = refused.value.violations
    assert violation.rule == "RISK_LEVEL_UNKNOWN"
    assert "风险等级" in violation.message_zh and "level" in violation.message_en


def test_reassessment_changes_the_level_and_refuses_no_change(
    ledger: HazardLedger, clock: FakeClock, restaurant: str
) -> None:
    rid = _register(ledger, clock)
    ledger.execute(
        c.ReassessRiskPoint(
            occurred_at=clock.now, risk_point_id=rid, level="major", reason="新增液化气储存"
        ),
        DEPARTMENT,
    )
    assert ledger.repository.get(rid).level is RiskLevel.MAJOR
    with pytest.raises(RuleViolated, match="RISK_LEVEL_UNCHANGED"):
        ledger.execute(
            c.ReassessRiskPoint(
                occurred_at=clock.now, risk_point_id=rid, level="major", reason="x"
            ),
            DEPARTMENT,
        )
    assert _events(ledger, rid) == 2


def test_controls_are_added_with_new_ids_and_the_last_active_one_cannot_be_retired(
    ledger: HazardLedger, clock: FakeClock, restaurant: str
) -> None:
    rid = _register(ledger, clock, controls=("每日检查",))
    at = clock.now
    ledger.execute(
        c.AddControl(occurred_at=at, risk_point_id=rid, description="加装切断阀"), DEPARTMENT
    )
    ledger.execute(
        c.RetireControl(occurred_at=at, risk_point_id=rid, control_id="C1", reason="改为自动监测"),
        DEPARTMENT,
    )
    with pytest.raises(RuleViolated, match="CONTROL_REQUIRED"):
        ledger.execute(
            c.RetireControl(occurred_at=at, risk_point_id=rid, control_id="C2", reason="x"),
            DEPARTMENT,
        )
    with pytest.raises(RuleViolated, match="CONTROL_UNKNOWN"):
        ledger.execute(
            c.RetireControl(occurred_at=at, risk_point_id=rid, control_id="C9", reason="x"),
            DEPARTMENT,
        )
    point: RiskPoint = ledger.repository.get(rid)
    assert point.controls == (Control("C1", "每日检查", True), Control("C2", "加装切断阀"))


def test_a_hazard_cites_the_failed_control_of_a_risk_point_at_its_own_enterprise(
    ledger: HazardLedger, clock: FakeClock, restaurant: str
) -> None:
    rid = _register(ledger, clock)
    case = report_case(ledger, clock.now - timedelta(minutes=30))
    ledger.execute(
        c.CiteFailedControl(
            occurred_at=clock.now, risk_point_id=rid, control_id="C1", case_id=case
        ),
        DEPARTMENT,
    )
    assert ledger.repository.get(rid).cited == ((case, "C1"),)
    with pytest.raises(RuleViolated, match="CONTROL_ALREADY_CITED"):
        ledger.execute(
            c.CiteFailedControl(
                occurred_at=clock.now, risk_point_id=rid, control_id="C1", case_id=case
            ),
            DEPARTMENT,
        )


def test_citing_a_case_of_another_enterprise_is_refused_and_records_nothing(
    ledger: HazardLedger, clock: FakeClock, restaurant: str
) -> None:
    from ledger.codes import make_credit_code

    other = make_credit_code("91620826MA71QTHER")
    ledger.register_enterprise(
        DEPARTMENT,
        clock.now - timedelta(days=1),
        credit_code=other,
        name="另一家餐馆",
        region_code="620826",
        sectors=["city_gas"],
        principal=Person("p-9", "钱七"),
    )
    rid = _register(ledger, clock)
    case = report_case(ledger, clock.now - timedelta(minutes=30), code=other)
    with pytest.raises(RuleViolated, match="CASE_AT_OTHER_ENTERPRISE"):
        ledger.execute(
            c.CiteFailedControl(
                occurred_at=clock.now, risk_point_id=rid, control_id="C1", case_id=case
            ),
            DEPARTMENT,
        )
    assert _events(ledger, rid) == 1


def test_scope_and_permission_decide_who_keeps_risk_points(
    ledger: HazardLedger, clock: FakeClock, restaurant: str
) -> None:
    own = Scope(region_prefix="620826", enterprise_code=RESTAURANT_CODE)
    rid = ledger.execute(
        c.RegisterRiskPoint(
            occurred_at=clock.now,
            enterprise_code=RESTAURANT_CODE,
            sector="city_gas",
            name="储气间",
            location="后院",
            level="general",
            controls=("通风",),
        ),
        ENTERPRISE_USER,
        own,
    ).id
    assert isinstance(ledger.repository.get(rid), RiskPoint)
    with pytest.raises(NotPermitted):
        ledger.execute(
            c.AddControl(occurred_at=clock.now, risk_point_id=rid, description="x"), AUDITOR
        )
    elsewhere = Scope(region_prefix="620802")
    with pytest.raises(NotFound):
        ledger.execute(
            c.AddControl(occurred_at=clock.now, risk_point_id=rid, description="加装报警"),
            DEPARTMENT,
            elsewhere,
        )
    with pytest.raises(NotFound):
        _register_in(ledger, clock, elsewhere)
    assert _events(ledger, rid) == 1


def _register_in(app: HazardLedger, clock: FakeClock, scope: Scope) -> None:
    app.execute(
        c.RegisterRiskPoint(
            occurred_at=clock.now,
            enterprise_code=RESTAURANT_CODE,
            sector="city_gas",
            name="x",
            location="y",
            level="low",
            controls=("z",),
        ),
        DEPARTMENT,
        scope,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.tuples(st.booleans(), st.integers(0, 6)), max_size=12))
def test_control_ids_are_never_reused_and_one_control_always_stays_active(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[bool, int]]
) -> None:
    """For any sequence of additions and retirements (refused ones included): ids are
    unique, in order, and at least one control is active."""
    from datetime import UTC, datetime

    clock = FakeClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    app = HazardLedger(str(tmp_path_factory.mktemp("rp") / "l.db"), clock=clock)
    try:
        register_restaurant(app, clock.now - timedelta(days=1))
        rid = _register(app, clock, controls=("a",))
        for add, n in steps:
            command: c.Command
            if add:
                command = c.AddControl(occurred_at=clock.now, risk_point_id=rid, description="k")
            else:
                command = c.RetireControl(
                    occurred_at=clock.now, risk_point_id=rid, control_id=f"C{n}", reason="r"
                )
            with contextlib.suppress(RuleViolated):
                app.execute(command, DEPARTMENT)
        controls: tuple[Control, ...] = app.repository.get(rid).controls
        assert [k.id for k in controls] == [f"C{i}" for i in range(1, len(controls) + 1)]
        assert any(not k.retired for k in controls)
    finally:
        app.close()
