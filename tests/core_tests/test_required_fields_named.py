"""A refusal for a field left empty names the field as people call it, in Chinese and in
English, never by its code (``owner_department``, ``legal_basis``): the two languages quote
the form's name for it (“责任部门”为必填项 / 'department responsible' is required).

Every command of a hazard case, an enterprise, a responsibility post, a measure, an
enforcement action, an accident, a public report and a risk point that requires a text is
given blanks, the creating commands any set of them (hypothesis), and every field left
blank is refused once, in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.accident import Accident
from ledger.enforcement import ActionKind, ActionStatus, EnforcementAction
from ledger.enterprise import Enterprise, Person, Tenure
from ledger.errors import RuleViolated, Violation
from ledger.events import Context
from ledger.hazard import Grade, HazardCase, ListingLevel, Source, Status
from ledger.measure import Measure, MeasureCategory, MeasureStatus
from ledger.public_report import PublicReport, ReportStatus
from ledger.responsibility import Duty, ResponsibilityPost
from ledger.risk import Control, RiskLevel, RiskPoint
from tests.core_tests.test_no_codes_in_messages import _bare, codes_in
from tests.support import DEPARTMENT, RESTAURANT_CODE

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
CTX = Context(DEPARTMENT, NOW, NOW)

ZH_QUOTED = re.compile(r"^“([^”]+)”为必填项$")
EN_QUOTED = re.compile(r"^'([^']+)' is required$")
#: A deadline's extension says what it needs: 延期必须填写“延期理由” / an extension needs '…'.
ZH_EXTENSION = re.compile(r"^延期必须填写“([^”]+)”$")
EN_EXTENSION = re.compile(r"^an extension needs '([^']+)'$")


def assert_named(
    violation: Violation,
    rule: str = "FIELD_REQUIRED",
    zh_form: re.Pattern[str] = ZH_QUOTED,
    en_form: re.Pattern[str] = EN_QUOTED,
) -> None:
    """A required-field refusal quotes a name in each language, and neither is a code."""
    assert violation.rule == rule
    zh = zh_form.match(violation.message_zh)
    en = en_form.match(violation.message_en)
    assert zh, violation.message_zh
    assert en, violation.message_en
    assert en.group(1) != violation.field, violation.message_en
    for lang, text in (("zh", violation.message_zh), ("en", violation.message_en)):
        assert not codes_in(text, lang), f"{violation.field} ({lang}): {text}"


def refused(call: Callable[[], Any]) -> tuple[Violation, ...]:
    with pytest.raises(RuleViolated) as refusal:
        call()
    return refusal.value.violations


def blanks(names: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(names), min_size=1)


def text(name: str, blank: frozenset[str], filled: str = "已填写") -> str:
    return " " if name in blank else filled


def check_blanks(violations: tuple[Violation, ...], blank: frozenset[str]) -> None:
    required = [v for v in violations if v.rule == "FIELD_REQUIRED"]
    assert sorted(v.field for v in required) == sorted(blank)
    for violation in required:
        assert_named(violation)


# ---- commands that create -----------------------------------------------------------------


@given(blanks(("title", "owner_department", "timetable")))
def test_adding_a_measure_names_what_is_missing(blank: frozenset[str]) -> None:
    violations = refused(
        lambda: Measure.add(
            CTX,
            title=text("title", blank),
            category=MeasureCategory.CAMPAIGN_TASK,
            owner_department=text("owner_department", blank),
            region_code="620826",
            due=NOW + timedelta(days=30),
            timetable=text("timetable", blank),
        )
    )
    check_blanks(violations, blank)


@given(blanks(("document_number", "department", "legal_basis")))
def test_issuing_an_action_names_what_is_missing(blank: frozenset[str]) -> None:
    violations = refused(
        lambda: EnforcementAction.issue(
            CTX,
            kind=ActionKind.DIRECTIVE,
            document_number=text("document_number", blank),
            enterprise_code=RESTAURANT_CODE,
            region_code="620826",
            sector="city_gas",
            department=text("department", blank),
            legal_basis=text("legal_basis", blank),
        )
    )
    check_blanks(violations, blank)


@given(blanks(("place", "description")))
def test_recording_an_accident_names_what_is_missing(blank: frozenset[str]) -> None:
    violations = refused(
        lambda: Accident.record(
            CTX,
            enterprise_code=RESTAURANT_CODE,
            region_code="620826",
            sector="city_gas",
            place=text("place", blank),
            description=text("description", blank),
            deaths=0,
            serious_injuries=0,
            direct_loss=Decimal(0),
        )
    )
    check_blanks(violations, blank)


@given(blanks(("name", "location")))
def test_registering_a_risk_point_names_what_is_missing(blank: frozenset[str]) -> None:
    violations = refused(
        lambda: RiskPoint.register(
            CTX,
            enterprise_code=RESTAURANT_CODE,
            region_code="620826",
            sector="city_gas",
            name=text("name", blank),
            location=text("location", blank),
            level=RiskLevel.GENERAL,
            controls=("专人值守",),
            hazard_source=None,
        )
    )
    check_blanks(violations, blank)


@given(blanks(("location", "description", "sector")))
def test_reporting_a_hazard_names_what_is_missing(blank: frozenset[str]) -> None:
    violations = refused(
        lambda: HazardCase.report(
            CTX,
            enterprise_code=RESTAURANT_CODE,
            enterprise_name="静宁县某餐馆",
            region_code="620826",
            sector=text("sector", blank, "city_gas"),
            location=text("location", blank),
            description=text("description", blank),
            source=Source.GRID_PATROL,
        )
    )
    check_blanks(violations, blank)


@given(blanks(("holder", "organisation")))
def test_establishing_a_post_names_what_is_missing(blank: frozenset[str]) -> None:
    violations = refused(
        lambda: ResponsibilityPost.establish(
            CTX,
            duty=Duty.GOVERNMENT_LEADER,
            region_code="620826",
            sector="",
            organisation=text("organisation", blank),
            title="副县长",
            holder=Person("gov-009", text("holder", blank, "赵六")),
        )
    )
    check_blanks(violations, blank)


def test_registering_an_enterprise_names_what_is_missing() -> None:
    violations = refused(
        lambda: Enterprise.register(
            CTX,
            credit_code=RESTAURANT_CODE,
            name=" ",
            region_code="620826",
            sectors=("city_gas",),
            address="城关镇",
            principal=Person("p-001", "王五"),
        )
    )
    check_blanks(violations, frozenset({"name"}))


def test_changing_an_enterprise_s_name_names_what_is_missing() -> None:
    violations = refused(
        lambda: _bare(Enterprise).change_details(
            CTX, name=" ", sectors=("city_gas",), address="城关镇"
        )
    )
    check_blanks(violations, frozenset({"name"}))


def test_changing_an_enterprise_s_details_refuses_each_part_left_out() -> None:
    """The name and the sectors are refused each on its own, as registering refuses them."""
    violations = refused(
        lambda: _bare(Enterprise).change_details(CTX, name=" ", sectors=(), address="城关镇")
    )
    assert sorted(v.field for v in violations) == ["name", "sectors"]
    for violation in violations:
        for lang, text in (("zh", violation.message_zh), ("en", violation.message_en)):
            assert not codes_in(text, lang), f"{violation.field} ({lang}): {text}"


@given(st.frozensets(st.sampled_from(("reason", "approver")), min_size=1))
def test_extending_a_deadline_names_what_is_missing(blank: frozenset[str]) -> None:
    assigned = _bare(HazardCase, status=Status.ASSIGNED, deadline=NOW + timedelta(days=7))
    violations = refused(
        lambda: assigned.extend_deadline(
            CTX,
            new_deadline=NOW + timedelta(days=14),
            reason=text("reason", blank),
            approver=text("approver", blank),
        )
    )
    assert sorted(v.field for v in violations) == sorted(blank)
    for violation in violations:
        assert_named(violation, zh_form=ZH_EXTENSION, en_form=EN_EXTENSION)


def test_a_new_principal_without_a_name_is_named_so() -> None:
    in_post = Tenure(Person("p-001", "王五"), NOW - timedelta(days=365), None)
    (violation,) = refused(
        lambda: _bare(Enterprise, principals=(in_post,)).change_principal(
            CTX, principal=Person("p-002", " ")
        )
    )
    assert_named(violation, rule="PRINCIPAL_REQUIRED")


def test_receiving_a_public_report_names_what_is_missing() -> None:
    violations = refused(
        lambda: PublicReport.receive(
            CTX,
            report_id=uuid4(),
            enterprise_code=RESTAURANT_CODE,
            region_code="620826",
            sector="city_gas",
            channel="hotline",
            content=" ",
            identity=None,
        )
    )
    check_blanks(violations, frozenset({"content"}))


# ---- commands on what exists --------------------------------------------------------------

STANDING_ORDER: dict[str, Any] = {
    "kind": ActionKind.STOP_WORK,
    "status": ActionStatus.ISSUED,
    "issued_at": NOW - timedelta(days=1),
    "ended_at": None,
}

COMMANDS: dict[str, Callable[[], Any]] = {
    "hazard.assign": lambda: _bare(HazardCase, status=Status.GRADED).assign(
        CTX, department="静宁县住房和城乡建设局", deadline=NOW + timedelta(days=7), requirements=""
    ),
    "hazard.record_interim_controls": lambda: _bare(
        HazardCase, status=Status.ASSIGNED
    ).record_interim_controls(CTX, controls=""),
    "hazard.list_for_supervision": lambda: _bare(
        HazardCase, status=Status.ASSIGNED, grade=Grade.MAJOR, listing_level=None
    ).list_for_supervision(CTX, level=ListingLevel.COUNTY, authority=""),
    "hazard.file_assessment": lambda: _bare(
        HazardCase, status=Status.RECTIFICATION_REPORTED, listing_level=ListingLevel.COUNTY
    ).file_assessment(CTX, summary=""),
    "hazard.verify": lambda: _bare(
        HazardCase,
        status=Status.RECTIFICATION_REPORTED,
        rectification_reporter="ent-001",
        listing_level=None,
        delisted_at=None,
    ).verify(CTX, accepted=True, opinion=""),
    "hazard.reopen": lambda: _bare(HazardCase, status=Status.CLOSED).reopen(CTX, reason=""),
    "hazard.dismiss": lambda: _bare(
        HazardCase, status=Status.REPORTED, source=Source.SENSOR
    ).dismiss(CTX, reason=""),
    "measure.report_progress": lambda: _bare(
        Measure, status=MeasureStatus.IN_PROGRESS
    ).report_progress(CTX, note=""),
    "measure.complete": lambda: _bare(Measure, status=MeasureStatus.IN_PROGRESS).complete(
        CTX, summary=""
    ),
    "action.lift": lambda: _bare(EnforcementAction, **STANDING_ORDER).lift(CTX, reason=""),
    "action.revoke": lambda: _bare(EnforcementAction, **STANDING_ORDER).revoke(CTX, reason=""),
    "action.observe_activity": lambda: _bare(EnforcementAction, **STANDING_ORDER).observe_activity(
        CTX, description=""
    ),
    "report.verify": lambda: _bare(PublicReport, status=ReportStatus.RECEIVED).verify(
        CTX, findings=""
    ),
    "report.find_unfounded": lambda: _bare(
        PublicReport, status=ReportStatus.VERIFIED
    ).find_unfounded(CTX, reasons=""),
    "report.reveal_identity": lambda: _bare(
        PublicReport, identity=object(), identity_erased=False
    ).reveal_identity(CTX, purpose=""),
    "report.erase_identity": lambda: _bare(
        PublicReport, identity=object(), identity_erased=False
    ).erase_identity(CTX, reason=""),
    "risk.reassess": lambda: _bare(RiskPoint, level=RiskLevel.LOW).reassess(
        CTX, level=RiskLevel.MAJOR, reason=""
    ),
    "risk.add_control": lambda: _bare(RiskPoint).add_control(CTX, description=""),
    "risk.retire_control": lambda: _bare(
        RiskPoint, controls=(Control("C1", "专人值守"), Control("C2", "关闭总阀"))
    ).retire_control(CTX, control_id="C1", reason=""),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_given_a_blank_names_it(command: str) -> None:
    (violation,) = refused(COMMANDS[command])
    assert_named(violation)
