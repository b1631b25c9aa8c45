"""What people read of a refusal or an audit finding names things as the label catalogue
does, in Chinese and in English, never by their codes (``stop_work``, ``reported``,
``RectifiedOnSpot``).

A code here is:

- a snake_case word (``stop_work``, ``rectification_reported``, ``goal_and_tasks``);
- an event type's name (``RectifiedOnSpot``, ``Reported``), as a word, case and all;
- in Chinese, any value of the domain's enums (no English word belongs in a Chinese
  sentence).

Many codes are also English words (``reported``, ``closed``, ``ban``), so in English a
message that turns on a status, kind or level must name it as the catalogue does ("whose
status is 'awaiting grading'", not "whose status is reported"), in Chinese too.

Refusals are made by the commands themselves (every situation of a hazard case against
every command, as in ``test_hazard_transitions``; every status of an enforcement action,
a public report and a risk point against the commands its status decides); findings by
every built-in audit rule, on dossiers of real event types, drawn by hypothesis.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.utils import get_topic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.labels import pairs
from ledger.accident import AccidentLevel
from ledger.application import HazardLedger
from ledger.audit import Dossier, Finding, builtin_rules, run_rules
from ledger.audit.model import Severity
from ledger.enforcement import SUSPENDING_KINDS, ActionKind, ActionStatus, EnforcementAction
from ledger.enterprise import Enterprise
from ledger.errors import RuleViolated, Violation
from ledger.events import LedgerAggregate
from ledger.hazard import Grade, HazardCase, ListingLevel, RectificationPlan, Source, Status
from ledger.identity import Role
from ledger.inspection import Inspection, InspectionType
from ledger.measure import MeasureCategory, MeasureStatus
from ledger.public_report import Channel, PublicReport, ReportStatus
from ledger.responsibility import Duty
from ledger.risk import RiskLevel, RiskPoint
from tests.conftest import FakeClock
from tests.core_tests.walk import COMMANDS, SITUATIONS, step, walk_to
from tests.support import DEPARTMENT, ENTERPRISE_USER, INSPECTOR, RESTAURANT_CODE

NAMES = pairs(None)
"""The catalogue: group → code → (Chinese, English)."""

ENUMS: tuple[type[StrEnum], ...] = (
    Status,
    Grade,
    Source,
    ListingLevel,
    ActionKind,
    ActionStatus,
    ReportStatus,
    Channel,
    RiskLevel,
    AccidentLevel,
    InspectionType,
    MeasureStatus,
    MeasureCategory,
    Duty,
    Role,
    Severity,
)
ENUM_VALUES = frozenset(member.value for enum in ENUMS for member in enum)


def _event_types(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _event_types(sub)


EVENT_TYPES = frozenset(
    t.__name__
    for t in _event_types(LedgerAggregate.Event)
    if t.__name__ not in ("Event", "Created")
)

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ASCII_WORD = re.compile(r"[A-Za-z]+")


def codes_in(text: str, lang: str) -> list[str]:
    """The codes ``text`` shows."""
    found = SNAKE.findall(text)
    words = ASCII_WORD.findall(text)
    found += [w for w in words if w in EVENT_TYPES]
    if lang == "zh":
        found += [w for w in words if w in ENUM_VALUES]
    return found


def assert_plain(message: Violation | Finding) -> None:
    for lang, text in (("zh", message.message_zh), ("en", message.message_en)):
        codes = codes_in(text, lang)
        assert not codes, f"{message.rule} ({lang}) shows {codes}: {text}"


def assert_names(message: Violation | Finding, group: str, code: StrEnum) -> None:
    """A message that turns on a status (kind, level) names it as the catalogue does, in
    both languages, and shows no code."""
    zh, en = NAMES[group][code.value]
    assert zh in message.message_zh, message.message_zh
    assert en in message.message_en, message.message_en
    assert_plain(message)


# ---- refusals ---------------------------------------------------------------------------

#: Rules whose refusal turns on the case's status alone.
STATUS_RULES = ("ILLEGAL_TRANSITION_", "CLOSE_WITHOUT_ACCEPTANCE", "DISMISS_ONLY_UNGRADED")


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_every_refusal_of_a_hazard_command_reads_without_codes(
    situation: str, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    app = HazardLedger(str(tmp_path / "ledger.db"), clock=clock)
    try:
        refused = 0
        for command in COMMANDS:
            case_id = walk_to(app, clock, situation)
            status = app.case(case_id).status
            try:
                step(app, clock, case_id, command)
            except RuleViolated as refusal:
                refused += 1
                for violation in refusal.violations:
                    if violation.rule.startswith(STATUS_RULES):
                        assert_names(violation, "status", Status(status))
                    else:
                        assert_plain(violation)
        assert refused  # every situation refuses something
    finally:
        app.close()


def test_a_plan_lacking_parts_names_them_as_people_do() -> None:
    blank = RectificationPlan(*([" "] * len(RectificationPlan.PART_NAMES_ZH)))
    missing = blank.missing_parts()
    assert len(missing) == len(RectificationPlan.PART_NAMES_ZH)
    for violation in missing:
        part = violation.field.removeprefix("plan.")
        zh, en = NAMES["plan"][part]
        assert zh in violation.message_zh and en in violation.message_en
        assert_plain(violation)


def _bare(cls: type[Any], **state: object) -> Any:
    """An aggregate in a given state, for the guards that read that state alone."""
    aggregate = object.__new__(cls)
    for name, value in state.items():
        setattr(aggregate, name, value)
    return aggregate


def _refusal(call: Any) -> Violation:
    with pytest.raises(RuleViolated) as refused:
        call()
    (violation,) = refused.value.violations
    return violation


@pytest.mark.parametrize("status", list(ActionStatus))
def test_executing_an_action_names_its_status(status: ActionStatus) -> None:
    action = _bare(EnforcementAction, status=status, kind=ActionKind.PENALTY)
    violation = _refusal(lambda: action.execute(None, amount_paid=None))
    if status is ActionStatus.ISSUED:
        assert violation.rule == "PAYMENT_NEEDS_AMOUNT"
        assert_plain(violation)
    else:
        assert_names(violation, "action_status", status)


@pytest.mark.parametrize("status", list(ReportStatus))
@pytest.mark.parametrize("command", ["verify", "find_founded", "find_unfounded", "reward"])
def test_a_public_report_refusal_names_its_status(status: ReportStatus, command: str) -> None:
    report = _bare(PublicReport, status=status)
    calls = {
        "verify": lambda: report.verify(None, findings=""),
        "find_founded": lambda: report.find_founded(None, reasons="", case_id=uuid4()),
        "find_unfounded": lambda: report.find_unfounded(None, reasons=""),
        "reward": lambda: report.reward(None, amount=Decimal(0)),
    }
    violation = _refusal(calls[command])
    if violation.rule.startswith("REPORT_ILLEGAL_TRANSITION_"):
        assert_names(violation, "report_status", status)
    else:
        assert_plain(violation)


@pytest.mark.parametrize("level", list(RiskLevel))
def test_reassessing_a_risk_point_to_its_level_names_the_level(level: RiskLevel) -> None:
    point = _bare(RiskPoint, level=level)
    violation = _refusal(lambda: point.reassess(None, level=level, reason="复评"))
    assert violation.rule == "RISK_LEVEL_UNCHANGED"
    assert_names(violation, "risk_level", level)


# ---- audit findings -----------------------------------------------------------------------

T0 = datetime.fromisoformat("2026-01-05T09:00:00+08:00")
INCIDENT = T0 + timedelta(days=60)


def _day(n: float) -> datetime:
    return T0 + timedelta(days=n)


_FILL: dict[str, object] = {
    "justification": None,
    "enterprise_code": RESTAURANT_CODE,
    "enterprise_name": "静宁县老街饭店",
    "region_code": "620826",
    "sector": "city_gas",
    "location": "一楼大厅",
    "description": "燃气软管穿墙敷设",
    "source": Source.GRID_PATROL,
    "found_by": "张建国",
    "inspection_id": None,
    "evidence": (),
    "details": {},
    "criteria": (),
    "catalogue_edition": None,
    "category": None,
    "measures": "改为金属管道并加装泄漏报警器",
    "self_managed": False,
    "department": "静宁县住房和城乡建设局",
    "requirements": "限期更换软管",
    "plan": None,
    "controls": "关闭总阀，专人值守",
    "reason": "现场核查后决定",
    "approver": "李明",
    "level": ListingLevel.COUNTY,
    "authority": "静宁县安委办",
    "summary": "治理完成，评估合格",
    "accepted": True,
    "opinion": "合格",
    "document_number": "静住建〔2026〕007号",
    "case_ids": (),
    "legal_basis": "《中华人民共和国安全生产法》第一百零二条",
    "fine_amount": None,
    "device_code": "",
    "site_part": "",
    "quantity": None,
    "unit": "",
    "amount_paid": Decimal(5000),
    "note": "已缴纳",
    "inspection_type": InspectionType.ROUTINE,
    "team": ("张建国",),
    "devices_checked": 0,
    "credit_code": RESTAURANT_CODE,
    "name": "静宁县老街饭店",
    "sectors": ("city_gas",),
    "address": "静宁县城关镇老街 12 号",
    "principal": None,
}


class History:
    """The events of one aggregate, versions counted for it."""

    def __init__(self, aggregate: type[LedgerAggregate]) -> None:
        self.aggregate = aggregate
        self.id = uuid4()
        self.events: list[LedgerAggregate.Event] = []

    def add(self, name: str, at: datetime, actor: Any = DEPARTMENT, **given: object) -> History:
        cls = getattr(self.aggregate, name)
        values: dict[str, object] = {
            "originator_id": self.id,
            "originator_version": len(self.events) + 1,
            "timestamp": at,
            "occurred_at": at,
            "actor": actor,
            "originator_topic": get_topic(self.aggregate),
        }
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {n: given.get(n, values.get(n, _FILL.get(n))) for n in names}
        self.events.append(cls(**kwargs))
        return self


def _dossier(kind: ActionKind, scope: str, closer: str, reopened: bool, late: set[int]) -> Dossier:
    def case() -> History:
        return History(HazardCase)

    cases: list[History] = []

    # closed with placeholder measures, verified or closed by who reported it
    c = case().add("Reported", _day(0)).add("Graded", _day(1), grade=Grade.GENERAL)
    c.add("Assigned", _day(1), deadline=_day(20))
    c.add(
        "RectificationReported", _day(5), ENTERPRISE_USER, measures="已整改", completed_at=_day(5)
    )
    if closer == "Verified":
        c.add("Verified", _day(6), ENTERPRISE_USER).add("Closed", _day(7))
    else:
        c.add("Closed", _day(6), ENTERPRISE_USER)
    cases.append(c)
    # overdue and silent
    c = case().add("Reported", _day(0)).add("Graded", _day(0), grade=Grade.GENERAL)
    cases.append(c.add("Assigned", _day(1), deadline=_day(5)))
    # extended three times, 70 days in all
    c = case().add("Reported", _day(0)).add("Graded", _day(0), grade=Grade.GENERAL)
    c.add("Assigned", _day(1), deadline=_day(10))
    for n, to in ((2, 20), (3, 30), (4, 80)):
        c.add("DeadlineExtended", _day(n), previous_deadline=_day(10), new_deadline=_day(to))
    cases.append(c.add("RectificationReported", _day(5), completed_at=_day(5)))
    # rectified before it was assigned
    c = case().add("Reported", _day(0)).add("Graded", _day(0), grade=Grade.GENERAL)
    c.add("Assigned", _day(3), deadline=_day(30))
    cases.append(c.add("RectificationReported", _day(4), completed_at=_day(1)))
    # two major hazards on one criterion, never listed
    for n in (0, 2):
        c = case().add("Reported", _day(n))
        cases.append(c.add("Graded", _day(n + 1), grade=Grade.MAJOR, criteria=("GAS-06",)))
    # never graded
    cases.append(case().add("Reported", _day(5)))
    # the enterprise's own closure, perhaps re-opened by the department
    c = case().add("Reported", _day(0), ENTERPRISE_USER, source=Source.SELF_INSPECTION)
    c.add("Graded", _day(1), ENTERPRISE_USER, grade=Grade.GENERAL, category="GAS-G03")
    c.add("RectifiedOnSpot", _day(2), ENTERPRISE_USER, self_managed=True)
    if reopened:
        c.add("Reopened", _day(3))
    cases.append(c)
    # the rest of a case's life, so that every event type can be typed in late
    c = case().add("Reported", _day(1)).add("Graded", _day(1), grade=Grade.MAJOR)
    c.add("PlanFiled", _day(2)).add("InterimControlsRecorded", _day(2))
    c.add("Assigned", _day(2), deadline=_day(90)).add("Listed", _day(3))
    c.add("Escalated", _day(4), level=ListingLevel.CITY)
    c.add("RectificationReported", _day(5), completed_at=_day(5)).add("AssessmentFiled", _day(6))
    c.add("Verified", _day(7)).add("Delisted", _day(8)).add("Closed", _day(8))
    cases.append(c)
    c = case().add("Reported", _day(2), INSPECTOR, source=Source.SENSOR)
    cases.append(c.add("Dismissed", _day(3), INSPECTOR))
    # found in what a standing order stopped
    scopes: dict[str, dict[str, object]] = {
        "enterprise": {},
        "device": {"location": "一楼", "details": {"registration_code": "3110620826201"}},
        "site": {"location": "二楼后厨燃气间"},
    }
    cases.append(case().add("Reported", _day(15), INSPECTOR, **scopes[scope]))

    order = History(EnforcementAction).add(
        "Issued",
        _day(10),
        kind=kind,
        device_code="3110620826201" if scope == "device" else "",
        site_part="后厨" if scope == "site" else "",
    )
    order.add("Executed", _day(11)).add("ActivityObserved", _day(12), INSPECTOR)
    actions = [order]
    penalty = History(EnforcementAction).add("Issued", _day(1), kind=ActionKind.PENALTY)
    actions.append(penalty.add("Executed", _day(2)))
    lifted = History(EnforcementAction).add("Issued", _day(1), kind=ActionKind.RECTIFICATION_ORDER)
    actions.append(lifted.add("Lifted", _day(2)))
    revoked = History(EnforcementAction).add("Issued", _day(1), kind=ActionKind.WARNING_LETTER)
    actions.append(revoked.add("Revoked", _day(2)))
    inspection = History(Inspection).add("Recorded", _day(12), INSPECTOR)
    inspection.add("HazardFound", _day(12), INSPECTOR, case_id=cases[-1].id)
    enterprise = History(Enterprise).add("Registered", _day(-100))
    enterprise.add("PrincipalChanged", _day(3)).add("DetailsChanged", _day(4))

    everything = [*cases, *actions, inspection, enterprise]
    flat = [(h, i) for h in everything for i in range(len(h.events))]
    for n in sorted(late):
        h, i = flat[n % len(flat)]
        typed = INCIDENT + timedelta(days=1 + n)
        h.events[i] = dataclasses.replace(h.events[i], timestamp=typed)
    return Dossier(
        RESTAURANT_CODE,
        INCIDENT,
        cases={h.id: h.events for h in cases},
        actions={h.id: h.events for h in actions},
        inspections={inspection.id: inspection.events},
        enterprise=enterprise.events,
    )


def test_the_dossier_holds_every_event_type_of_its_aggregates() -> None:
    dossier = _dossier(ActionKind.STOP_WORK, "enterprise", "Verified", True, set())
    held = {type(e).__name__ for h in dossier.all_histories() for e in h}
    for aggregate in (HazardCase, EnforcementAction, Inspection, Enterprise):
        declared = {
            name
            for name, cls in vars(aggregate).items()
            if isinstance(cls, type) and issubclass(cls, LedgerAggregate.Event)
        } - {"Event", "Created"}
        assert declared <= held, declared - held


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(SUSPENDING_KINDS)),
    scope=st.sampled_from(["enterprise", "device", "site"]),
    closer=st.sampled_from(["Verified", "Closed"]),
    reopened=st.booleans(),
    late=st.sets(st.integers(min_value=0, max_value=80), min_size=1, max_size=12),
)
def test_no_finding_of_any_rule_names_a_code(
    kind: ActionKind, scope: str, closer: str, reopened: bool, late: set[int]
) -> None:
    rules = builtin_rules()
    findings = run_rules(rules, _dossier(kind, scope, closer, reopened, late))
    assert {f.rule for f in findings} == {rule.code for rule in rules}
    for finding in findings:
        if finding.rule == "AUD-STOP-WORK-BREACH":
            assert_names(finding, "kind", kind)
        else:
            assert_plain(finding)


def test_the_stop_work_finding_reads_plainly() -> None:
    dossier = _dossier(ActionKind.STOP_WORK, "enterprise", "Verified", False, {0})
    (breach, *_) = [
        f
        for f in run_rules(builtin_rules(), dossier)
        if f.rule == "AUD-STOP-WORK-BREACH" and f.subject_id in dossier.cases
    ]
    assert breach.message_en == (
        "hazard in what stop-work order 静住建〔2026〕007号 stopped found on 2026-01-20 "
        "while the order stood"
    )
    assert isinstance(breach.subject_id, UUID)
