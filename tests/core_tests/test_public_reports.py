"""Public reports (群众举报): the lifecycle, and the reporter sealed, revealed and erased,
on both stores."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.errors import NotFound, RuleViolated
from ledger.hazard import HazardCase, Source
from ledger.identity import Actor, Role
from ledger.integrity.tables import Tables
from ledger.permissions import NotPermitted
from ledger.public_report import (
    PublicReport,
    ReporterIdentity,
    ReportStatus,
    reveal_identity,
)
from ledger.scope import Scope
from ledger.sealed import SealedUnavailable
from tests.conftest import FakeClock
from tests.support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    GOVERNMENT,
    INSPECTOR,
    RESTAURANT_CODE,
    register_restaurant,
)

AUDITOR = Actor("aud-001", "孙审", Role.AUDITOR, "静宁县纪委监委")
ADMIN = Actor("adm-001", "管理员", Role.ADMIN)
EVERYWHERE = Scope()
REPORTER = ReporterIdentity("赵举报", "13912345678", "620826199001011234", "城关镇东街12号")


@pytest.fixture
def app(ledger: HazardLedger, clock: FakeClock, tmp_path: Path) -> HazardLedger:
    ledger.integrity.use_key_directory(tmp_path / "keys")
    register_restaurant(ledger, clock.now - timedelta(days=2))
    return ledger


def _receive(app: HazardLedger, clock: FakeClock, identity: ReporterIdentity = REPORTER) -> UUID:
    return app.execute(
        c.ReceivePublicReport(
            occurred_at=clock.now - timedelta(hours=3),
            enterprise_code=RESTAURANT_CODE,
            sector="city_gas",
            channel="hotline",
            content="餐馆后厨燃气味很重，软管老化",
            reporter_name=identity.name,
            reporter_phone=identity.phone,
            reporter_id_number=identity.id_number,
            reporter_contact=identity.contact,
        ),
        DEPARTMENT,
    ).id


def _verified(app: HazardLedger, clock: FakeClock, **kwargs: Any) -> UUID:
    rid = _receive(app, clock, **kwargs)
    app.execute(
        c.VerifyPublicReport(
            occurred_at=clock.now - timedelta(hours=2), report_id=rid, findings="现场检测"
        ),
        DEPARTMENT,
    )
    return rid


def _found(app: HazardLedger, clock: FakeClock, rid: UUID) -> UUID:
    app.execute(
        c.FindReportFounded(
            occurred_at=clock.now - timedelta(hours=1),
            report_id=rid,
            reasons="现场检测到燃气泄漏，举报属实",
            location="后厨",
            description="燃气软管老化泄漏",
        ),
        DEPARTMENT,
    )
    case_id: object = app.repository.get(rid).case_id
    assert case_id is not None
    return UUID(str(case_id))


def _report(app: HazardLedger, rid: UUID) -> PublicReport:
    report: object = app.repository.get(rid)
    assert isinstance(report, PublicReport)
    return report


def test_a_founded_report_opens_a_case_linked_both_ways_in_one_unit(
    app: HazardLedger, clock: FakeClock
) -> None:
    rid = _verified(app, clock)
    case_id = _found(app, clock, rid)
    case: object = app.repository.get(case_id)
    assert isinstance(case, HazardCase)
    assert case.source is Source.PUBLIC_REPORT
    assert case.details["public_report_id"] == str(rid)
    assert _report(app, rid).status is ReportStatus.FOUNDED
    # One transaction: the report's conclusion and the case's report are neighbours in
    # the log.
    log = [(e.originator_id, type(e).__name__) for e in app.events.get(rid)]
    assert log[-1] == (rid, "FoundFounded")


def test_a_conclusion_before_verification_records_nothing_and_opens_no_case(
    app: HazardLedger, clock: FakeClock
) -> None:
    rid = _receive(app, clock)
    before = app.recorder.max_notification_id()
    with pytest.raises(RuleViolated, match="REPORT_ILLEGAL_TRANSITION_CONCLUDE"):
        _found(app, clock, rid)
    assert app.recorder.max_notification_id() == before


def test_an_unfounded_report_is_dismissed_with_reasons_and_earns_no_reward(
    app: HazardLedger, clock: FakeClock
) -> None:
    rid = _verified(app, clock)
    with pytest.raises(RuleViolated, match="FIELD_REQUIRED"):
        app.execute(
            c.FindReportUnfounded(occurred_at=clock.now, report_id=rid, reasons=" "), GOVERNMENT
        )
    app.execute(
        c.FindReportUnfounded(occurred_at=clock.now, report_id=rid, reasons="现场无燃气设施"),
        GOVERNMENT,
    )
    report = _report(app, rid)
    assert report.status is ReportStatus.UNFOUNDED and report.case_id is None
    with pytest.raises(RuleViolated, match="REPORT_ILLEGAL_TRANSITION_REWARD"):
        app.execute(
            c.RewardReporter(occurred_at=clock.now, report_id=rid, amount=Decimal("500")),
            DEPARTMENT,
        )


def test_a_founded_report_is_rewarded_once_with_a_positive_amount(
    app: HazardLedger, clock: FakeClock
) -> None:
    rid = _verified(app, clock)
    _found(app, clock, rid)
    with pytest.raises(RuleViolated, match="REWARD_AMOUNT"):
        app.execute(
            c.RewardReporter(occurred_at=clock.now, report_id=rid, amount=Decimal("0")),
            DEPARTMENT,
        )
    app.execute(
        c.RewardReporter(occurred_at=clock.now, report_id=rid, amount=Decimal("2000")), DEPARTMENT
    )
    assert _report(app, rid).reward_amount == Decimal("2000")
    with pytest.raises(RuleViolated):
        app.execute(
            c.RewardReporter(occurred_at=clock.now, report_id=rid, amount=Decimal("1")),
            DEPARTMENT,
        )


def _stored_payloads(app: HazardLedger) -> bytes:
    tables = Tables(app.store, getattr(app.recorder, "events_table_name", "stored_events"))
    with tables.connect() as conn:
        cur = conn.cursor()
        cur.execute(f"SELECT state FROM {tables.events}")
        return b"".join(bytes(row[0]) for row in cur.fetchall())


def test_the_reporter_is_never_stored_in_clear(app: HazardLedger, clock: FakeClock) -> None:
    _receive(app, clock)
    stored = _stored_payloads(app)
    for value in (REPORTER.name, REPORTER.phone, REPORTER.id_number, REPORTER.contact):
        assert value.encode() not in stored
    assert "餐馆后厨燃气味很重".encode() in stored  # the content is not sealed


def test_the_receiving_department_reads_the_identity_and_the_reading_is_recorded(
    app: HazardLedger, clock: FakeClock
) -> None:
    rid = _receive(app, clock)
    shown = reveal_identity(
        app,
        c.RevealReporterIdentity(occurred_at=clock.now, report_id=rid, purpose="核查需联系举报人"),
        DEPARTMENT,
        EVERYWHERE,
    )
    assert shown == REPORTER
    last = app.history(rid)[-1]
    assert type(last).__name__ == "IdentityRevealed"
    assert last.actor == DEPARTMENT


@pytest.mark.parametrize("actor", [INSPECTOR, AUDITOR, ENTERPRISE_USER, ADMIN])
def test_other_roles_are_refused_in_both_languages_and_nothing_is_recorded(
    app: HazardLedger, clock: FakeClock, actor: Actor
) -> None:
    rid = _receive(app, clock)
    with pytest.raises(NotPermitted) as refused:
        reveal_identity(
            app,
            c.RevealReporterIdentity(occurred_at=clock.now, report_id=rid, purpose="想看看"),
            actor,
            EVERYWHERE,
        )
    assert refused.value.message_zh and refused.value.message_en
    assert len(app.history(rid)) == 1


def test_a_department_outside_the_reports_scope_finds_no_report(
    app: HazardLedger, clock: FakeClock
) -> None:
    rid = _receive(app, clock)
    with pytest.raises(NotFound):
        reveal_identity(
            app,
            c.RevealReporterIdentity(occurred_at=clock.now, report_id=rid, purpose="x"),
            DEPARTMENT,
            Scope(region_prefix="620826", sectors=frozenset({"fire"})),
        )
    assert len(app.history(rid)) == 1


def test_erasure_destroys_the_key_and_every_proof_still_verifies(
    app: HazardLedger, clock: FakeClock
) -> None:
    rid = _verified(app, clock)
    case_id = _found(app, clock, rid)
    before = _stored_payloads(app)
    sealing_proof = app.integrity.inclusion_proof(rid, 1)
    old_size = sealing_proof.tree_size
    app.execute(
        c.EraseReporterIdentity(occurred_at=clock.now, report_id=rid, reason="举报人申请删除"),
        DEPARTMENT,
    )
    sealed = _report(app, rid).identity
    assert sealed is not None  # the ciphertext is still in the event, unchanged
    assert before in _stored_payloads(app)
    with pytest.raises(RuleViolated, match="IDENTITY_ERASED"):
        reveal_identity(
            app,
            c.RevealReporterIdentity(occurred_at=clock.now, report_id=rid, purpose="x"),
            DEPARTMENT,
            EVERYWHERE,
        )
    from ledger.public_report import reporter_vault

    with pytest.raises(SealedUnavailable) as gone:
        reporter_vault(app).open(sealed)
    assert gone.value.erased
    report = app.integrity.verify()
    assert report.failures == [] and report.events_checked == app.recorder.max_notification_id()
    after = app.integrity.inclusion_proof(rid, 1)
    assert after.verify() and after.leaf_hash == sealing_proof.leaf_hash
    assert app.integrity.inclusion_proof(case_id, 1).verify()
    consistency = app.integrity.consistency_proof(old_size)
    assert consistency.old_root == sealing_proof.root


def test_a_copy_of_the_store_without_the_master_key_reveals_nothing(
    app: HazardLedger, clock: FakeClock, tmp_path: Path
) -> None:
    rid = _receive(app, clock)
    app.integrity.use_key_directory(tmp_path / "elsewhere")
    with pytest.raises(SealedUnavailable) as refused:
        reveal_identity(
            app,
            c.RevealReporterIdentity(occurred_at=clock.now, report_id=rid, purpose="核查"),
            DEPARTMENT,
            EVERYWHERE,
        )
    assert not refused.value.erased
    assert len(app.history(rid)) == 1  # a failed opening records no reading


def test_an_anonymous_report_has_no_identity_to_reveal_or_erase(
    app: HazardLedger, clock: FakeClock
) -> None:
    rid = _receive(app, clock, identity=ReporterIdentity())
    assert _report(app, rid).identity is None
    for command in (
        c.RevealReporterIdentity(occurred_at=clock.now, report_id=rid, purpose="x"),
        c.EraseReporterIdentity(occurred_at=clock.now, report_id=rid, reason="x"),
    ):
        with pytest.raises(RuleViolated, match="REPORT_ANONYMOUS"):
            app.execute(command, DEPARTMENT)
