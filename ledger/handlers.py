"""What each command does to the records: one handler per command type.

A handler runs after the command was permitted, its named records found in the caller's
scope and its sector rules passed. It calls the aggregates' command methods (which
enforce the state machine) and returns the records it changed, the command's own record
first. Each aggregate method checks its rules before it triggers its one event, and a
handler changes at most one record that already existed, as its last step; so a refused
command leaves every record as it was, also inside a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar, cast
from uuid import UUID, uuid4

from . import commands as c
from .accident import Accident
from .commands import Ref
from .departments import department_for
from .enforcement import EnforcementAction
from .enterprise import Enterprise, Person, enterprise_id
from .errors import refuse
from .events import Context, LedgerAggregate
from .hazard import HazardCase, Source
from .inspection import Inspection
from .measure import Measure
from .public_report import PublicReport, ReporterIdentity
from .responsibility import ResponsibilityPost, post_id
from .risk import HazardSource, RiskPoint
from .sealed import Vault

A = TypeVar("A", bound=LedgerAggregate)
C = TypeVar("C", bound=c.Command)


class Work(Protocol):
    """What a handler may ask of the unit of work it runs in."""

    named: Mapping[Ref, LedgerAggregate]
    """The records the command names, loaded and found in scope."""

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """A record as it stands in this unit of work, or None."""

    def find_each(self, cls: type[A], aggregate_ids: Sequence[UUID]) -> list[A | None]:
        """``find`` for each id, read together."""

    def edition_for(self, sector: str, criteria: tuple[str, ...], on: datetime) -> str | None:
        """The catalogue edition a grade citing ``criteria`` on ``on`` is recorded under."""

    def sealer(self) -> Vault:
        """The vault that seals reporters' identities (``ledger.sealed``)."""


Changed = tuple[LedgerAggregate, ...]
Handler = Callable[[Any, Work, Context], Changed]
HANDLERS: dict[type[c.Command], Handler] = {}


def handles(command_type: type[C]) -> Callable[[Callable[[C, Work, Context], Changed]], Handler]:
    def register(function: Callable[[C, Work, Context], Changed]) -> Handler:
        HANDLERS[command_type] = function
        return function

    return register


def _subject(command: c.OnRecord | c.ChangePrincipal, work: Work, cls: type[A]) -> A:
    subject = command.subject
    assert subject is not None
    return cast(A, work.named[subject])


def _enterprise(work: Work, code: str) -> Enterprise:
    return cast(Enterprise, work.named[Ref(Enterprise, code)])


# ---- enterprises and responsibility ------------------------------------------------------


@handles(c.RegisterEnterprise)
def _register(command: c.RegisterEnterprise, work: Work, ctx: Context) -> Changed:
    if work.find(Enterprise, enterprise_id(command.credit_code)) is not None:
        raise enterprise_exists(command.credit_code)
    return (
        Enterprise.register(
            ctx,
            credit_code=command.credit_code,
            name=command.name,
            region_code=command.region_code,
            sectors=command.sectors,
            address=command.address,
            principal=command.principal,
        ),
    )


def enterprise_exists(credit_code: str) -> Exception:
    return refuse(
        "ENTERPRISE_EXISTS",
        "credit_code",
        f"统一社会信用代码{credit_code}已登记",
        f"an enterprise with credit code {credit_code} is already registered",
    )


@handles(c.ChangePrincipal)
def _change_principal(command: c.ChangePrincipal, work: Work, ctx: Context) -> Changed:
    enterprise = _subject(command, work, Enterprise)
    enterprise.change_principal(ctx, principal=command.principal)
    return (enterprise,)


@handles(c.AssignResponsibility)
def _assign_responsibility(command: c.AssignResponsibility, work: Work, ctx: Context) -> Changed:
    pid = post_id(command.duty, command.region_code, command.sector)
    post = work.find(ResponsibilityPost, pid)
    if post is None:
        post = ResponsibilityPost.establish(
            ctx,
            duty=command.duty,
            region_code=command.region_code,
            sector=command.sector,
            organisation=command.organisation,
            title=command.title,
            holder=command.holder,
        )
    else:
        post.hand_over(ctx, holder=command.holder)
    return (post,)


# ---- inspections and hazards -----------------------------------------------------------


@handles(c.RecordInspection)
def _record_inspection(command: c.RecordInspection, work: Work, ctx: Context) -> Changed:
    enterprise = _enterprise(work, command.enterprise_code)
    return (
        Inspection.record(
            ctx,
            enterprise_code=command.enterprise_code,
            region_code=enterprise.region_code,
            sector=command.sector,
            inspection_type=command.inspection_type,
            team=command.team,
            location=command.location,
            devices_checked=command.devices_checked,
            summary=command.summary,
            inspection_id=command.inspection_id,
        ),
    )


@handles(c.ReportHazard)
def _report_hazard(command: c.ReportHazard, work: Work, ctx: Context) -> Changed:
    enterprise = _enterprise(work, command.enterprise_code)
    case = HazardCase.report(
        ctx,
        enterprise_code=command.enterprise_code,
        enterprise_name=enterprise.name,
        region_code=enterprise.region_code,
        sector=command.sector,
        location=command.location,
        description=command.description,
        source=command.source,
        found_by=command.found_by,
        inspection_id=command.inspection_id,
        evidence=command.evidence,
        details=dict(command.details),
        case_id=command.case_id,
    )
    if command.inspection_id is None:
        return (case,)
    inspection = cast(Inspection, work.named[Ref(Inspection, command.inspection_id)])
    inspection.record_hazard(ctx, case_id=case.id)
    return (case, inspection)


def _case_step(command_type: type[C], act: Callable[[HazardCase, C, Work, Context], None]) -> None:
    def handle(command: C, work: Work, ctx: Context) -> Changed:
        case = cast(HazardCase, work.named[Ref(HazardCase, cast(c.CaseCommand, command).case_id)])
        act(case, command, work, ctx)
        return (case,)

    HANDLERS[command_type] = handle


def _grade(case: HazardCase, command: c.GradeHazard, work: Work, ctx: Context) -> None:
    case.grade_as(
        ctx,
        grade=command.grade,
        criteria=command.criteria,
        catalogue_edition=command.catalogue_edition
        or work.edition_for(case.sector, command.criteria, command.occurred_at),
        category=command.category,
    )


_case_step(c.GradeHazard, _grade)
_case_step(
    c.RectifyOnSpot,
    lambda case, cmd, _, ctx: case.rectify_on_spot(
        ctx, measures=cmd.measures, evidence=cmd.evidence
    ),
)
_case_step(
    c.AssignRectification,
    lambda case, cmd, work, ctx: case.assign(
        ctx,
        department=department_for(work.find_each, case.region_code, case.sector, cmd.department),
        deadline=cmd.deadline,
        requirements=cmd.requirements,
    ),
)
_case_step(c.FilePlan, lambda case, cmd, _, ctx: case.file_plan(ctx, plan=cmd.plan))
_case_step(
    c.RecordInterimControls,
    lambda case, cmd, _, ctx: case.record_interim_controls(ctx, controls=cmd.controls),
)
_case_step(
    c.ExtendDeadline,
    lambda case, cmd, _, ctx: case.extend_deadline(
        ctx, new_deadline=cmd.new_deadline, reason=cmd.reason, approver=cmd.approver
    ),
)
_case_step(
    c.ListForSupervision,
    lambda case, cmd, _, ctx: case.list_for_supervision(
        ctx, level=cmd.level, authority=cmd.authority
    ),
)
_case_step(c.Delist, lambda case, _cmd, _, ctx: case.delist(ctx))
_case_step(
    c.Escalate, lambda case, cmd, _, ctx: case.escalate(ctx, level=cmd.level, reason=cmd.reason)
)
_case_step(
    c.ReportRectification,
    lambda case, cmd, _, ctx: case.report_rectification(
        ctx, measures=cmd.measures, completed_at=cmd.completed_at, evidence=cmd.evidence
    ),
)
_case_step(
    c.FileAssessment, lambda case, cmd, _, ctx: case.file_assessment(ctx, summary=cmd.summary)
)
_case_step(
    c.VerifyRectification,
    lambda case, cmd, _, ctx: case.verify(ctx, accepted=cmd.accepted, opinion=cmd.opinion),
)
_case_step(c.CloseHazard, lambda case, _cmd, _, ctx: case.close(ctx))
_case_step(c.ReopenHazard, lambda case, cmd, _, ctx: case.reopen(ctx, reason=cmd.reason))
_case_step(c.DismissFalseAlarm, lambda case, cmd, _, ctx: case.dismiss(ctx, reason=cmd.reason))


# ---- enforcement -----------------------------------------------------------------------


@handles(c.IssueAction)
def _issue_action(command: c.IssueAction, work: Work, ctx: Context) -> Changed:
    enterprise = _enterprise(work, command.enterprise_code)
    return (
        EnforcementAction.issue(
            ctx,
            kind=command.kind,
            document_number=command.document_number,
            enterprise_code=command.enterprise_code,
            region_code=enterprise.region_code,
            sector=command.sector,
            department=command.department,
            legal_basis=command.legal_basis,
            case_ids=command.case_ids,
            fine_amount=command.fine_amount,
            description=command.description,
            action_id=command.action_id,
            device_code=command.device_code,
            site_part=command.site_part,
            quantity=command.quantity,
            unit=command.unit,
        ),
    )


@handles(c.ExecuteAction)
def _execute_action(command: c.ExecuteAction, work: Work, ctx: Context) -> Changed:
    action = _subject(command, work, EnforcementAction)
    action.execute(ctx, amount_paid=command.amount_paid, note=command.note)
    return (action,)


@handles(c.LiftAction)
def _lift_action(command: c.LiftAction, work: Work, ctx: Context) -> Changed:
    action = _subject(command, work, EnforcementAction)
    action.lift(ctx, reason=command.reason)
    return (action,)


@handles(c.RecordObservedActivity)
def _record_observed_activity(
    command: c.RecordObservedActivity, work: Work, ctx: Context
) -> Changed:
    action = _subject(command, work, EnforcementAction)
    if command.inspection_id is not None:
        inspection = cast(Inspection, work.named[Ref(Inspection, command.inspection_id)])
        if inspection.enterprise_code != action.enterprise_code:
            raise refuse(
                "INSPECTION_OTHER_ENTERPRISE",
                "inspection_id",
                "所引用的检查不是对该文书所涉企业的检查",
                "the inspection named is not of the enterprise the order concerns",
            )
    action.observe_activity(
        ctx,
        description=command.description,
        inspection_id=command.inspection_id,
        evidence=command.evidence,
    )
    return (action,)


@handles(c.RevokeAction)
def _revoke_action(command: c.RevokeAction, work: Work, ctx: Context) -> Changed:
    action = _subject(command, work, EnforcementAction)
    action.revoke(ctx, reason=command.reason)
    return (action,)


# ---- institutional measures ------------------------------------------------------------


@handles(c.AddMeasure)
def _add_measure(command: c.AddMeasure, work: Work, ctx: Context) -> Changed:
    return (
        Measure.add(
            ctx,
            title=command.title,
            category=command.category,
            owner_department=command.owner_department,
            region_code=command.region_code,
            due=command.due,
            timetable=command.timetable,
            measure_id=command.measure_id,
        ),
    )


@handles(c.ReportMeasureProgress)
def _report_measure_progress(command: c.ReportMeasureProgress, work: Work, ctx: Context) -> Changed:
    measure = _subject(command, work, Measure)
    measure.report_progress(ctx, note=command.note)
    return (measure,)


@handles(c.CompleteMeasure)
def _complete_measure(command: c.CompleteMeasure, work: Work, ctx: Context) -> Changed:
    measure = _subject(command, work, Measure)
    measure.complete(ctx, summary=command.summary)
    return (measure,)


@handles(c.RecordAccident)
def _record_accident(command: c.RecordAccident, work: Work, ctx: Context) -> Changed:
    enterprise = _enterprise(work, command.enterprise_code)
    return (
        Accident.record(
            ctx,
            enterprise_code=command.enterprise_code,
            region_code=enterprise.region_code,
            sector=command.sector,
            place=command.place,
            description=command.description,
            deaths=command.deaths,
            serious_injuries=command.serious_injuries,
            direct_loss=command.direct_loss,
            accident_id=command.accident_id,
        ),
    )


# ---- risk points (双重预防) ------------------------------------------------------------------


@handles(c.RegisterRiskPoint)
def _register_risk_point(command: c.RegisterRiskPoint, work: Work, ctx: Context) -> Changed:
    enterprise = _enterprise(work, command.enterprise_code)
    people = (
        command.responsible_principal,
        command.responsible_technical,
        command.responsible_operational,
    )
    source = None
    if command.hazard_source_level is not None or any(p is not None for p in people):
        blank = Person("", "")
        principal, technical, operational = (p or blank for p in people)
        source = HazardSource(
            level=command.hazard_source_level or 0,
            principal=principal,
            technical=technical,
            operational=operational,
        )
    return (
        RiskPoint.register(
            ctx,
            enterprise_code=command.enterprise_code,
            region_code=enterprise.region_code,
            sector=command.sector,
            name=command.name,
            location=command.location,
            level=command.level,
            controls=command.controls,
            hazard_source=source,
            risk_point_id=command.risk_point_id,
        ),
    )


@handles(c.ReassessRiskPoint)
def _reassess_risk_point(command: c.ReassessRiskPoint, work: Work, ctx: Context) -> Changed:
    point = _subject(command, work, RiskPoint)
    point.reassess(ctx, level=command.level, reason=command.reason)
    return (point,)


@handles(c.AddControl)
def _add_control(command: c.AddControl, work: Work, ctx: Context) -> Changed:
    point = _subject(command, work, RiskPoint)
    point.add_control(ctx, description=command.description)
    return (point,)


@handles(c.RetireControl)
def _retire_control(command: c.RetireControl, work: Work, ctx: Context) -> Changed:
    point = _subject(command, work, RiskPoint)
    point.retire_control(ctx, control_id=command.control_id, reason=command.reason)
    return (point,)


@handles(c.CiteFailedControl)
def _cite_failed_control(command: c.CiteFailedControl, work: Work, ctx: Context) -> Changed:
    point = _subject(command, work, RiskPoint)
    case = cast(HazardCase, work.named[Ref(HazardCase, command.case_id)])
    point.cite_failed_control(
        ctx,
        case_id=command.case_id,
        control_id=command.control_id,
        case_enterprise=case.enterprise_code,
    )
    return (point,)


# ---- public reports (群众举报) ---------------------------------------------------------------


@handles(c.ReceivePublicReport)
def _receive_public_report(command: c.ReceivePublicReport, work: Work, ctx: Context) -> Changed:
    enterprise = _enterprise(work, command.enterprise_code)
    report_id = command.report_id or uuid4()
    identity = ReporterIdentity(
        name=command.reporter_name.strip(),
        phone=command.reporter_phone.strip(),
        id_number=command.reporter_id_number.strip(),
        contact=command.reporter_contact.strip(),
    )
    sealed = None if identity.anonymous else work.sealer().seal(report_id, identity.to_bytes())
    return (
        PublicReport.receive(
            ctx,
            report_id=report_id,
            enterprise_code=command.enterprise_code,
            region_code=enterprise.region_code,
            sector=command.sector,
            channel=command.channel,
            content=command.content,
            identity=sealed,
        ),
    )


@handles(c.VerifyPublicReport)
def _verify_public_report(command: c.VerifyPublicReport, work: Work, ctx: Context) -> Changed:
    report = _subject(command, work, PublicReport)
    report.verify(ctx, findings=command.findings)
    return (report,)


@handles(c.FindReportFounded)
def _find_report_founded(command: c.FindReportFounded, work: Work, ctx: Context) -> Changed:
    report = _subject(command, work, PublicReport)
    report.check_concludable(command.reasons)
    enterprise = work.find(Enterprise, enterprise_id(report.enterprise_code))
    assert enterprise is not None
    case = HazardCase.report(
        ctx,
        enterprise_code=report.enterprise_code,
        enterprise_name=enterprise.name,
        region_code=report.region_code,
        sector=report.sector,
        location=command.location,
        description=command.description,
        source=Source.PUBLIC_REPORT,
        found_by=command.found_by,
        inspection_id=None,
        evidence=(),
        details={**command.details, "public_report_id": str(report.id)},
        case_id=command.case_id,
    )
    report.find_founded(ctx, reasons=command.reasons, case_id=case.id)
    return (report, case)


@handles(c.FindReportUnfounded)
def _find_report_unfounded(command: c.FindReportUnfounded, work: Work, ctx: Context) -> Changed:
    report = _subject(command, work, PublicReport)
    report.find_unfounded(ctx, reasons=command.reasons)
    return (report,)


@handles(c.RewardReporter)
def _reward_reporter(command: c.RewardReporter, work: Work, ctx: Context) -> Changed:
    report = _subject(command, work, PublicReport)
    report.reward(ctx, amount=command.amount)
    return (report,)


@handles(c.RevealReporterIdentity)
def _reveal_identity(command: c.RevealReporterIdentity, work: Work, ctx: Context) -> Changed:
    report = _subject(command, work, PublicReport)
    report.reveal_identity(ctx, purpose=command.purpose)
    return (report,)


@handles(c.EraseReporterIdentity)
def _erase_identity(command: c.EraseReporterIdentity, work: Work, ctx: Context) -> Changed:
    report = _subject(command, work, PublicReport)
    work.sealer()  # its listener destroys the key in the transaction that records this
    report.erase_identity(ctx, reason=command.reason)
    return (report,)


assert set(HANDLERS) == set(c.COMMANDS.values()), "every command type needs its handler"
