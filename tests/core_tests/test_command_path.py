"""The one command path: permission, scope on every named id, batches (both stores).

Out of scope must be indistinguishable from an id nobody ever used: the same error
kind, from the same place, and nothing recorded either way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.errors import NotFound, RuleViolated
from ledger.identity import Actor, Role
from ledger.permissions import PERMISSIONS, NotPermitted
from ledger.scope import Scope
from plugins import Sectors
from tests.conftest import FakeClock

SECTORS = Sectors.load(load_entry_points=False)
HERE, THERE = "620826", "620825"
GAS_HERE = make_credit_code("92620826MA71GA2H0")
FIRE_HERE = make_credit_code("91620826MA72F2RE0")
GAS_THERE = make_credit_code("91620825MA73GA3T0")
UNUSED_CODE = make_credit_code("91620826MA79N0NE0")
CLERK = Actor("clerk", "录入员", Role.INSPECTOR, "县局")


@dataclass
class World:
    """Two counties, two sectors, and one record of every kind at each enterprise."""

    ledger: HazardLedger
    clock: FakeClock
    cases: dict[str, UUID]
    inspections: dict[str, UUID]
    actions: dict[str, UUID]
    measures: dict[str, UUID]

    def events(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0


@pytest.fixture
def world(store_url: str) -> Iterator[World]:
    clock = FakeClock(datetime.fromisoformat("2026-03-03T09:00:00+08:00"))
    ledger = HazardLedger(store_url, clock=clock, sectors=SECTORS)
    now = clock.now
    details = {"premises": "restaurant", "leak_alarm_installed": True}
    cases, inspections, actions, measures = {}, {}, {}, {}
    for code, region, sector in (
        (GAS_HERE, HERE, "city_gas"),
        (FIRE_HERE, HERE, "fire"),
        (GAS_THERE, THERE, "city_gas"),
    ):
        ledger.register_enterprise(
            CLERK,
            now,
            credit_code=code,
            name=f"单位{code[-4:]}",
            region_code=region,
            sectors=[sector],
            principal=Person(f"p-{code[-4:]}", "负责人"),
        )
        inspections[code] = ledger.record_inspection(
            CLERK, now, enterprise_code=code, sector=sector, inspection_type="routine", team=["甲"]
        )
        cases[code] = ledger.report_hazard(
            CLERK,
            now,
            enterprise_code=code,
            sector=sector,
            location="现场",
            description="隐患",
            source="routine_inspection",
            details=details if sector == "city_gas" else {},
        )
        actions[code] = ledger.issue_action(
            CLERK,
            now,
            kind="penalty",
            document_number=f"罚-{code[-4:]}",
            enterprise_code=code,
            sector=sector,
            department="县局",
            legal_basis="《安全生产法》第一百零二条",
            fine_amount=Decimal("1000"),
        )
    for region in (HERE, THERE):
        measures[region] = ledger.add_measure(
            Actor("gov", "陈芳", Role.GOVERNMENT, "安委办"),
            now,
            title="制度",
            category="institutional_measure",
            owner_department="安委办",
            region_code=region,
            due=now + timedelta(days=30),
            timetable="一个月",
        )
    clock.advance(hours=1)
    yield World(ledger, clock, cases, inspections, actions, measures)
    ledger.close()


#: Viewers, each with the enterprise it cannot see (every record there is out of scope).
SCOPES: dict[str, tuple[Scope, str]] = {
    "other county": (Scope(region_prefix=THERE), GAS_HERE),
    "fire only": (Scope(region_prefix=HERE, sectors=frozenset({"fire"})), GAS_HERE),
    "gas only": (Scope(sectors=frozenset({"city_gas"})), FIRE_HERE),
    "one enterprise": (Scope(enterprise_code=GAS_THERE), FIRE_HERE),
}


def _visible_code(scope: Scope) -> str:
    """An enterprise the viewer does see (so only the slot under test is out of scope)."""
    for code, region, sector in (
        (GAS_HERE, HERE, "city_gas"),
        (FIRE_HERE, HERE, "fire"),
        (GAS_THERE, THERE, "city_gas"),
    ):
        if scope.sees(region_code=region, sector=sector, enterprise_code=code):
            return code
    raise AssertionError(scope)


def _sector(code: str) -> str:
    return "fire" if code == FIRE_HERE else "city_gas"


#: Commands with one slot naming a record: (name, build(world, scope, value for the slot,
#: whether the value is an enterprise code)). Everything else the command names is in scope.
Build = Callable[[World, Scope, Any], c.Command]


def _at(w: World) -> datetime:
    return w.clock.now


def _report(w: World, s: Scope, code: str) -> c.Command:
    return c.ReportHazard(
        occurred_at=_at(w),
        enterprise_code=code,
        sector=_sector(_visible_code(s)),
        location="现场",
        description="隐患",
        source="routine_inspection",
        details={"premises": "restaurant", "leak_alarm_installed": True},
    )


def _report_linked(w: World, s: Scope, inspection: UUID) -> c.Command:
    code = _visible_code(s)
    return c.ReportHazard(
        occurred_at=_at(w),
        enterprise_code=code,
        sector=_sector(code),
        location="现场",
        description="隐患",
        source="routine_inspection",
        inspection_id=inspection,
        details={"premises": "restaurant", "leak_alarm_installed": True},
    )


def _issue(w: World, s: Scope, case: UUID) -> c.Command:
    code = _visible_code(s)
    return c.IssueAction(
        occurred_at=_at(w),
        kind="stop_work",
        document_number=f"停-{uuid4().hex[:6]}",
        enterprise_code=code,
        sector=_sector(code),
        department="县局",
        legal_basis="《安全生产法》第六十五条",
        case_ids=(w.cases[code], case),
    )


def _issue_at(w: World, s: Scope, code: str) -> c.Command:
    return c.IssueAction(
        occurred_at=_at(w),
        kind="penalty",
        document_number=f"罚-{uuid4().hex[:6]}",
        enterprise_code=code,
        sector=_sector(_visible_code(s)),
        department="县局",
        legal_basis="《安全生产法》第一百零二条",
        fine_amount=Decimal("500"),
    )


def _inspect(w: World, s: Scope, code: str) -> c.Command:
    return c.RecordInspection(
        occurred_at=_at(w),
        enterprise_code=code,
        sector=_sector(_visible_code(s)),
        inspection_type="routine",
        team=("甲",),
    )


CASES: dict[str, tuple[Build, str]] = {
    # name: (build, which kind of record fills the slot)
    "grade": (
        lambda w, s, v: c.GradeHazard(occurred_at=_at(w), case_id=v, grade="general"),
        "case",
    ),
    "close": (lambda w, s, v: c.CloseHazard(occurred_at=_at(w), case_id=v), "case"),
    "report at enterprise": (_report, "enterprise"),
    "report linked to inspection": (_report_linked, "inspection"),
    "action naming a case": (_issue, "case"),
    "penalty at enterprise": (_issue_at, "enterprise"),
    "inspection at enterprise": (_inspect, "enterprise"),
    "execute action": (
        lambda w, s, v: c.ExecuteAction(occurred_at=_at(w), action_id=v, note="已缴"),
        "action",
    ),
    "change principal": (
        lambda w, s, v: c.ChangePrincipal(
            occurred_at=_at(w), credit_code=v, principal=Person("p-new", "新负责人")
        ),
        "enterprise",
    ),
    "measure progress": (
        lambda w, s, v: c.ReportMeasureProgress(occurred_at=_at(w), measure_id=v, note="进展"),
        "measure",
    ),
}


def _out_of_scope(w: World, kind: str, hidden: str, scope: Scope) -> Any:
    if kind == "enterprise":
        return hidden
    if kind == "measure":  # measures have no sector or enterprise: only a region hides one
        if not (scope.region_prefix or scope.enterprise_code):
            return None
        return w.measures[THERE if scope.region_prefix != THERE else HERE]
    return {"case": w.cases, "inspection": w.inspections, "action": w.actions}[kind][hidden]


def _actor(command: c.Command, scope: Scope) -> Actor:
    allowed = sorted(PERMISSIONS[type(command)] - {Role.ENTERPRISE, Role.SYSTEM})
    return Actor("someone", "某人", allowed[0], "县局")


def _attempt(w: World, command: c.Command, scope: Scope) -> NotFound:
    before = w.events()
    with pytest.raises(NotFound) as refused:
        w.ledger.execute(command, _actor(command, scope), scope)
    assert w.events() == before, "a refused command recorded something"
    return refused.value


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=st.sampled_from(sorted(CASES)), viewer=st.sampled_from(sorted(SCOPES)))
def test_out_of_scope_ids_are_refused_exactly_like_unused_ids(
    world: World, case: str, viewer: str
) -> None:
    build, kind = CASES[case]
    scope, hidden = SCOPES[viewer]
    unused = UNUSED_CODE if kind == "enterprise" else uuid4()
    hidden_value = _out_of_scope(world, kind, hidden, scope)
    assume(hidden_value is not None)
    out = _attempt(world, build(world, scope, hidden_value), scope)
    missing = _attempt(world, build(world, scope, unused), scope)
    assert out.kind == missing.kind
    assert str(out).replace(str(out.key), "ID") == str(missing).replace(str(missing.key), "ID")


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_commands_are_accepted_in_scope(world: World, case: str) -> None:
    """The property above is not vacuous: with the slot in scope the command passes
    the scope check (it is recorded, or refused by a rule, never NotFound)."""
    build, kind = CASES[case]
    scope = Scope(region_prefix=HERE)
    value = _out_of_scope(world, kind, GAS_HERE, Scope(region_prefix=THERE))
    command = build(world, scope, value)
    with contextlib.suppress(RuleViolated):
        world.ledger.execute(command, _actor(command, scope), scope)


def test_a_stale_expected_version_on_an_unseen_case_is_not_found(world: World) -> None:
    """Scope comes before the version: a conflict would tell that the case exists."""
    command = c.GradeHazard(
        occurred_at=world.clock.now,
        case_id=world.cases[GAS_HERE],
        grade="general",
        expected_version=99,
    )
    _attempt(world, command, Scope(region_prefix=THERE))


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [("self_inspection", True), ("county_verification", False), ("unannounced", False)],
)
def test_an_enterprise_records_only_its_own_self_inspections(
    world: World, kind: str, allowed: bool
) -> None:
    user = Actor("ent", "王五", Role.ENTERPRISE, GAS_HERE)
    command = c.RecordInspection(
        occurred_at=world.clock.now,
        enterprise_code=GAS_HERE,
        sector="city_gas",
        inspection_type=kind,
        team=("王五",),
    )
    before = world.events()
    if allowed:
        world.ledger.execute(command, user, Scope(enterprise_code=GAS_HERE))
        assert world.events() == before + 1
    else:
        with pytest.raises(NotPermitted):
            world.ledger.execute(command, user, Scope(enterprise_code=GAS_HERE))
        assert world.events() == before


def test_a_batch_sees_its_own_earlier_commands_and_commits_once(world: World) -> None:
    code = make_credit_code("91620826MA7BATCH0")
    before = world.events()
    now = world.clock.now
    with world.ledger.batch() as work:
        work.execute(
            c.RegisterEnterprise(
                occurred_at=now,
                credit_code=code,
                name="新单位",
                region_code=HERE,
                sectors=("fire",),
                principal=Person("p-b", "负责人"),
            ),
            CLERK,
        )
        case = work.execute(
            c.ReportHazard(
                occurred_at=now,
                enterprise_code=code,
                sector="fire",
                location="库房",
                description="通道堵塞",
                source="routine_inspection",
            ),
            CLERK,
        ).id
        graded = work.execute(
            c.GradeHazard(occurred_at=now, case_id=case, grade="general", expected_version=1),
            CLERK,
        )
        assert graded.version == 2
        assert world.events() == before  # nothing is saved before the batch ends
    assert world.events() == before + 3
    assert world.ledger.case(case).version == 2


def test_a_batch_that_raises_records_nothing(world: World) -> None:
    before = world.events()
    now = world.clock.now
    with pytest.raises(RuleViolated), world.ledger.batch() as work:
        work.execute(
            c.GradeHazard(occurred_at=now, case_id=world.cases[GAS_HERE], grade="general"),
            CLERK,
        )
        # Graded already in this batch: a second grade to major without criteria breaks
        # a rule, judged against the state the first command left.
        work.execute(
            c.GradeHazard(occurred_at=now, case_id=world.cases[GAS_HERE], grade="major"),
            CLERK,
        )
    assert world.events() == before
    assert world.ledger.case(world.cases[GAS_HERE]).version == 1
