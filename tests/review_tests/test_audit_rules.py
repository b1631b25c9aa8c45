"""Each audit rule: a record that triggers it and one that does not, on both stores.

The records are made through the ledger's own commands wherever the core allows them;
records the core refuses but old imported data may hold (a closure with no completion
time, a verification by the reporter) are built as events and checked directly, since
rules are pure functions of events.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.audit import Dossier, Finding, builtin_rules, run_rules
from ledger.audit.rules import (
    DEFAULT_PLACEHOLDERS,
    ClosureWithoutMeasures,
    SelfVerification,
)
from ledger.hazard import HazardCase
from ledger.identity import Actor, Role
from ledger.review.report import build_dossier
from ledger.scope import Scope

from ..conftest import FakeClock
from ..support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    INSPECTOR,
    OTHER_OFFICIAL,
    RESTAURANT_CODE,
    assigned_case,
    report_case,
)

T0 = datetime.fromisoformat("2026-03-03T09:00:00+00:00")


def findings(app: HazardLedger, incident_at: datetime, code: str) -> list[Finding]:
    dossier = build_dossier(app, RESTAURANT_CODE, incident_at, scope=Scope.everything())
    return [f for f in run_rules(builtin_rules(), dossier) if f.rule == code]


def go(clock: FakeClock, days: float) -> datetime:
    """Move the recording clock and return it, so steps are typed in as they happen."""
    return clock.advance(days=days)


def rectify(app: HazardLedger, case_id: UUID, when: datetime, measures: str) -> None:
    app.report_rectification(ENTERPRISE_USER, when, case_id, measures=measures, completed_at=when)


# ---- AUD-CLOSURE-NO-MEASURES ------------------------------------------------------------


@pytest.mark.parametrize(
    ("measures", "flagged"),
    [
        ("已整改。", True),
        (" 见 附件 ", True),
        ("换管", True),
        ("改为金属管道并加装泄漏报警器", False),
    ],
)
def test_closure_with_placeholder_measures(
    ledger: HazardLedger, clock: FakeClock, measures: str, flagged: bool
) -> None:
    case_id = assigned_case(ledger, T0)
    rectify(ledger, case_id, go(clock, 5), measures)
    ledger.verify_rectification(DEPARTMENT, go(clock, 1), case_id, accepted=True, opinion="合格")
    ledger.close_hazard(DEPARTMENT, go(clock, 1), case_id)
    found = findings(ledger, go(clock, 1), "AUD-CLOSURE-NO-MEASURES")
    assert bool(found) is flagged
    if flagged:
        assert [r.event_type for r in found[0].refs] == ["RectificationReported", "Closed"]
        assert found[0].subject_id == case_id


def _event(cls: type, case_id: UUID, version: int, when: datetime, actor: Actor, **kw: object):
    return cls(
        originator_id=case_id,
        originator_version=version,
        timestamp=when,
        actor=actor,
        occurred_at=when,
        justification=None,
        **kw,
    )


def test_closure_without_completion_time_in_old_data() -> None:
    case_id = uuid4()
    report = _event(
        HazardCase.RectificationReported,
        case_id,
        5,
        T0,
        ENTERPRISE_USER,
        measures="更换金属软管并加装报警器",
        completed_at=None,
        evidence=(),
    )
    closed = _event(HazardCase.Closed, case_id, 7, T0 + timedelta(days=2), DEPARTMENT)
    dossier = Dossier(RESTAURANT_CODE, T0 + timedelta(days=9), cases={case_id: [report, closed]})
    found = list(ClosureWithoutMeasures().check(dossier))
    assert len(found) == 1 and "completion time" in found[0].message_en
    report_ok = _event(
        HazardCase.RectificationReported,
        case_id,
        5,
        T0,
        ENTERPRISE_USER,
        measures="更换金属软管并加装报警器",
        completed_at=T0,
        evidence=(),
    )
    ok = Dossier(RESTAURANT_CODE, T0 + timedelta(days=9), cases={case_id: [report_ok, closed]})
    assert list(ClosureWithoutMeasures().check(ok)) == []


@given(
    placeholder=st.sampled_from(DEFAULT_PLACEHOLDERS),
    noise=st.lists(st.sampled_from([" ", "。", "，", "！", "\t", "、", ".", "　"]), max_size=4),
)
def test_placeholder_measures_are_vacuous_whatever_the_punctuation(
    placeholder: str, noise: list[str]
) -> None:
    text = "".join(noise) + placeholder + "".join(reversed(noise))
    assert ClosureWithoutMeasures().vacuous(text)


@given(st.text(alphabet="更换软管加装报警器清理通道增设出口改造", min_size=4, max_size=30))
def test_substantive_measures_are_not_vacuous(text: str) -> None:
    assert not ClosureWithoutMeasures().vacuous(text)


# ---- AUD-SELF-VERIFY --------------------------------------------------------------------


def test_closure_by_the_reporter_is_self_verification(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, T0)
    ledger.report_rectification(
        DEPARTMENT,
        go(clock, 5),
        case_id,
        measures="改为金属管道并加装报警器",
        completed_at=clock.now,
    )
    ledger.verify_rectification(
        OTHER_OFFICIAL, go(clock, 1), case_id, accepted=True, opinion="合格"
    )
    ledger.close_hazard(DEPARTMENT, go(clock, 1), case_id)
    found = findings(ledger, go(clock, 1), "AUD-SELF-VERIFY")
    assert len(found) == 1
    assert [r.version for r in found[0].refs] == [4, 6]
    assert DEPARTMENT.name in found[0].message_zh


def test_closure_by_someone_else_is_not(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, T0)
    rectify(ledger, case_id, go(clock, 5), "改为金属管道并加装报警器")
    ledger.verify_rectification(
        OTHER_OFFICIAL, go(clock, 1), case_id, accepted=True, opinion="合格"
    )
    ledger.close_hazard(DEPARTMENT, go(clock, 1), case_id)
    assert findings(ledger, go(clock, 1), "AUD-SELF-VERIFY") == []


def test_verification_by_the_reporter_in_imported_data() -> None:
    case_id = uuid4()
    report = _event(
        HazardCase.RectificationReported,
        case_id,
        5,
        T0,
        DEPARTMENT,
        measures="改为金属管道",
        completed_at=T0,
        evidence=(),
    )
    verified = _event(
        HazardCase.Verified,
        case_id,
        6,
        T0 + timedelta(days=1),
        DEPARTMENT,
        accepted=True,
        opinion="合格",
    )
    dossier = Dossier(RESTAURANT_CODE, T0 + timedelta(days=3), cases={case_id: [report, verified]})
    found = list(SelfVerification().check(dossier))
    assert len(found) == 1 and "verified" in found[0].message_en


# ---- AUD-OVERDUE-UNESCALATED --------------------------------------------------------------


def test_overdue_and_silent_at_the_incident(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, T0)  # deadline T0 + 15 days
    found = findings(ledger, T0 + timedelta(days=20), "AUD-OVERDUE-UNESCALATED")
    assert len(found) == 1 and "5 days past" in found[0].message_en
    assert found[0].subject_id == case_id
    assert findings(ledger, T0 + timedelta(days=14), "AUD-OVERDUE-UNESCALATED") == []


def test_rectified_late_without_escalation(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, T0)
    rectify(ledger, case_id, go(clock, 18), "改为金属管道并加装报警器")
    found = findings(ledger, go(clock, 5), "AUD-OVERDUE-UNESCALATED")
    assert len(found) == 1
    assert found[0].refs[-1].event_type == "RectificationReported"


@pytest.mark.parametrize("action", ["escalate", "extend"])
def test_escalation_or_extension_answers_the_deadline(
    ledger: HazardLedger, clock: FakeClock, action: str
) -> None:
    case_id = assigned_case(ledger, T0)
    if action == "escalate":
        ledger.escalate(GOV, go(clock, 16), case_id, level="county", reason="逾期未整改")
    else:
        ledger.extend_deadline(
            DEPARTMENT,
            go(clock, 14),
            case_id,
            new_deadline=T0 + timedelta(days=40),
            reason="设备到货延迟",
            approver="李明",
        )
    assert findings(ledger, T0 + timedelta(days=25), "AUD-OVERDUE-UNESCALATED") == []


GOV = Actor("gov-003", "陈芳", Role.GOVERNMENT, "静宁县安委办")


# ---- AUD-EXTENSION-LIMIT --------------------------------------------------------------------


def test_three_extensions_exceed_the_count(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, T0)
    for n in (1, 2, 3):
        ledger.extend_deadline(
            DEPARTMENT,
            go(clock, 3),
            case_id,
            new_deadline=T0 + timedelta(days=15 + 5 * n),
            reason=f"第{n}次延期",
            approver="李明",
        )
    found = findings(ledger, go(clock, 1), "AUD-EXTENSION-LIMIT")
    assert len(found) == 1 and "3 times" in found[0].message_en
    assert [r.event_type for r in found[0].refs].count("DeadlineExtended") == 3


def test_one_long_extension_exceeds_the_days(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, T0)
    ledger.extend_deadline(
        DEPARTMENT,
        go(clock, 3),
        case_id,
        new_deadline=T0 + timedelta(days=15 + 61),
        reason="整体搬迁",
        approver="李明",
    )
    found = findings(ledger, go(clock, 1), "AUD-EXTENSION-LIMIT")
    assert len(found) == 1 and "61 days" in found[0].message_en


def test_one_short_extension_is_fine(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, T0)
    ledger.extend_deadline(
        DEPARTMENT,
        go(clock, 3),
        case_id,
        new_deadline=T0 + timedelta(days=25),
        reason="设备到货延迟",
        approver="李明",
    )
    assert findings(ledger, go(clock, 1), "AUD-EXTENSION-LIMIT") == []


# ---- AUD-RECORDED-AFTER-INCIDENT -------------------------------------------------------------


def test_step_dated_before_but_recorded_after_the_incident(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, T0)
    incident = T0 + timedelta(days=10)
    clock.now = incident + timedelta(days=2)
    rectify(ledger, case_id, incident - timedelta(days=1), "改为金属管道并加装报警器")
    found = findings(ledger, incident, "AUD-RECORDED-AFTER-INCIDENT")
    assert len(found) == 1
    assert [(r.event_type, r.version) for r in found[0].refs] == [("RectificationReported", 4)]


def test_step_dated_after_the_incident_is_not(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, T0)
    incident = T0 + timedelta(days=10)
    rectify(ledger, case_id, go(clock, 11), "改为金属管道并加装报警器")
    assert findings(ledger, incident, "AUD-RECORDED-AFTER-INCIDENT") == []


# ---- AUD-RECTIFIED-BEFORE-ASSIGNED ------------------------------------------------------------


@pytest.mark.parametrize(("completed_days", "flagged"), [(-2, True), (1, False)])
def test_completion_dated_before_the_assignment(
    ledger: HazardLedger, clock: FakeClock, completed_days: int, flagged: bool
) -> None:
    case_id = assigned_case(ledger, T0)
    ledger.report_rectification(
        ENTERPRISE_USER,
        go(clock, 3),
        case_id,
        measures="改为金属管道并加装报警器",
        completed_at=T0 + timedelta(days=completed_days),
    )
    found = findings(ledger, go(clock, 1), "AUD-RECTIFIED-BEFORE-ASSIGNED")
    assert bool(found) is flagged


# ---- AUD-MAJOR-NOT-LISTED -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listed", "days", "flagged"), [(False, 20, True), (True, 20, False), (False, 10, False)]
)
def test_major_hazard_not_listed(
    ledger: HazardLedger, clock: FakeClock, listed: bool, days: int, flagged: bool
) -> None:
    case_id = assigned_case(ledger, T0, major=True)
    if listed:
        ledger.list_for_supervision(GOV, go(clock, 2), case_id, level="county", authority="安委会")
    found = findings(ledger, T0 + timedelta(days=days), "AUD-MAJOR-NOT-LISTED")
    assert bool(found) is flagged


def test_general_hazard_needs_no_listing(ledger: HazardLedger) -> None:
    assigned_case(ledger, T0)
    assert findings(ledger, T0 + timedelta(days=60), "AUD-MAJOR-NOT-LISTED") == []


# ---- AUD-RECURRING ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second_criteria", "gap_days", "flagged"),
    [(["GAS-06"], 30, True), (["GAS-07"], 30, False), (["GAS-06"], 400, False)],
)
def test_same_criterion_again(
    ledger: HazardLedger,
    clock: FakeClock,
    second_criteria: list[str],
    gap_days: int,
    flagged: bool,
) -> None:
    first = assigned_case(ledger, T0, major=True)
    second_at = go(clock, gap_days)
    second = report_case(ledger, second_at)
    ledger.grade_hazard(INSPECTOR, second_at, second, grade="major", criteria=second_criteria)
    found = findings(ledger, go(clock, 1), "AUD-RECURRING")
    assert bool(found) is flagged
    if flagged:
        assert found[0].subject_id == second
        assert {r.aggregate_id for r in found[0].refs} == {first, second}


# ---- AUD-STOP-WORK-BREACH ------------------------------------------------------------------------


@pytest.mark.parametrize(("lift", "flagged"), [(False, True), (True, False)])
def test_hazard_found_during_a_stop_work_order(
    ledger: HazardLedger, clock: FakeClock, lift: bool, flagged: bool
) -> None:
    assigned_case(ledger, T0)
    order = ledger.issue_action(
        DEPARTMENT,
        go(clock, 1),
        kind="stop_work",
        document_number="静住建停字〔2026〕3号",
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        department="静宁县住房和城乡建设局",
        legal_basis="《中华人民共和国安全生产法》第一百零二条",
    )
    if lift:
        ledger.lift_action(DEPARTMENT, go(clock, 2), order, reason="整改到位，恢复营业")
    report_case(ledger, go(clock, 3))
    found = findings(ledger, go(clock, 1), "AUD-STOP-WORK-BREACH")
    assert bool(found) is flagged
    if flagged:
        assert found[0].refs[0].aggregate_id == order


# ---- AUD-NEVER-GRADED ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("graded", "days", "flagged"), [(False, 10, True), (True, 10, False), (False, 3, False)]
)
def test_report_never_graded(
    ledger: HazardLedger, clock: FakeClock, graded: bool, days: int, flagged: bool
) -> None:
    from ..support import register_restaurant

    register_restaurant(ledger, T0)
    case_id = report_case(ledger, T0)
    if graded:
        ledger.grade_hazard(INSPECTOR, T0, case_id, grade="general")
    found = findings(ledger, T0 + timedelta(days=days), "AUD-NEVER-GRADED")
    assert bool(found) is flagged


# ---- rules look only at what had happened by the incident ----


def test_later_steps_do_not_change_findings_at_an_earlier_incident(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, T0)
    before = findings(ledger, T0 + timedelta(days=20), "AUD-OVERDUE-UNESCALATED")
    ledger.escalate(GOV, go(clock, 30), case_id, level="county", reason="逾期未整改")
    after = findings(ledger, T0 + timedelta(days=20), "AUD-OVERDUE-UNESCALATED")
    assert before == after and len(after) == 1
