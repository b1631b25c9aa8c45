"""The commands the ledger accepts: one typed, frozen class per command.

Every entry point (HTTP, the workbook importer, the demo generator, tests) builds one of
these and hands it to ``HazardLedger.execute``; the sector validators receive the same
object and tell commands apart by their type. A command carries its business time
(``occurred_at``) and ``justification``; a command on an existing record carries that
record's id and the ``expected_version`` the caller acted on.

A command also says which records it names (``names``) and where the records it creates
will live (``creates``), so that the core checks the caller's scope on all of them in one
place: an id in any field that the caller may not see is refused exactly like an id that
does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from .enforcement import ActionKind, EnforcementAction
from .enterprise import Enterprise, Person
from .events import LedgerAggregate
from .hazard import Grade, HazardCase, ListingLevel, RectificationPlan, Source
from .inspection import Inspection, InspectionType
from .measure import Measure, MeasureCategory
from .public_report import Channel, PublicReport
from .responsibility import Duty
from .risk import RiskLevel, RiskPoint


@dataclass(frozen=True, slots=True)
class Ref:
    """A record a command names: its kind and its key (an id, or a credit code)."""

    kind: type[LedgerAggregate]
    key: UUID | str


@dataclass(frozen=True, slots=True)
class Place:
    """Where a record a command creates will live; ``sector=None`` means no sector
    (a measure, an enterprise-wide fact)."""

    region_code: str
    sector: str | None
    enterprise_code: str = ""


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """A command class's field names, worked out once (``dataclasses.fields`` builds its
    answer anew on every call: a third of building a command)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """Base of every command: business time and the reason for a late entry."""

    #: The stable name of the command type (messages, metrics, the workbook's columns).
    type_name: ClassVar[str] = ""

    occurred_at: datetime
    justification: str | None = None

    def __post_init__(self) -> None:
        # Sequences are stored as tuples, so a command cannot change after it is built.
        for name in _field_names(type(self)):
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))

    @property
    def subject(self) -> Ref | None:
        """The existing record the command acts on (``expected_version`` applies to it)."""
        return None

    def names(self) -> tuple[Ref, ...]:
        """Every existing record the command names, its subject first."""
        return (self.subject,) if self.subject is not None else ()

    def creates(self, named: Mapping[Ref, LedgerAggregate]) -> tuple[Place, ...]:
        """Where the records this command creates will live (``named``: the records it
        names, loaded)."""
        return ()

    def judging_sectors(self, subject: LedgerAggregate | None) -> tuple[str, ...]:
        """The sectors whose rules judge this command."""
        sector = getattr(subject, "sector", "")
        return (sector,) if sector else ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OnRecord(Command):
    """A command on an existing record: its id and the version the caller acted on."""

    record_kind: ClassVar[type[LedgerAggregate]] = LedgerAggregate
    expected_version: int | None = None

    @property
    def record_id(self) -> UUID:
        raise NotImplementedError

    @property
    def subject(self) -> Ref:
        return Ref(self.record_kind, self.record_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class AtEnterprise(Command):
    """A command that creates a record at an enterprise, in one sector: it names the
    enterprise, the new record lives there, and that sector's rules judge it."""

    enterprise_code: str
    sector: str

    def names(self) -> tuple[Ref, ...]:
        return (Ref(Enterprise, self.enterprise_code),)

    def creates(self, named: Mapping[Ref, LedgerAggregate]) -> tuple[Place, ...]:
        enterprise = named[Ref(Enterprise, self.enterprise_code)]
        assert isinstance(enterprise, Enterprise)
        return (Place(enterprise.region_code, self.sector, self.enterprise_code),)

    def judging_sectors(self, subject: LedgerAggregate | None) -> tuple[str, ...]:
        return (self.sector,)


# ---- enterprises and responsibility ------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterEnterprise(Command):
    type_name: ClassVar[str] = "register_enterprise"

    credit_code: str
    name: str
    region_code: str
    sectors: tuple[str, ...]
    principal: Person
    address: str = ""

    def creates(self, named: Mapping[Ref, LedgerAggregate]) -> tuple[Place, ...]:
        return tuple(Place(self.region_code, s, self.credit_code) for s in self.sectors)

    def judging_sectors(self, subject: LedgerAggregate | None) -> tuple[str, ...]:
        return self.sectors


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangePrincipal(Command):
    type_name: ClassVar[str] = "change_principal"

    credit_code: str
    principal: Person
    expected_version: int | None = None

    @property
    def subject(self) -> Ref:
        return Ref(Enterprise, self.credit_code)

    def judging_sectors(self, subject: LedgerAggregate | None) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AssignResponsibility(Command):
    """Put ``holder`` in the post for this duty and scope (establishing it if new)."""

    type_name: ClassVar[str] = "assign_responsibility"

    duty: Duty | str
    region_code: str
    sector: str = ""
    organisation: str
    title: str = ""
    holder: Person

    def creates(self, named: Mapping[Ref, LedgerAggregate]) -> tuple[Place, ...]:
        return (Place(self.region_code, self.sector),)

    def judging_sectors(self, subject: LedgerAggregate | None) -> tuple[str, ...]:
        return ()


# ---- inspections and hazards -----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordInspection(AtEnterprise):
    type_name: ClassVar[str] = "record_inspection"

    inspection_type: InspectionType | str
    team: tuple[str, ...]
    location: str = ""
    devices_checked: int = 0
    summary: str = ""
    inspection_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportHazard(AtEnterprise):
    """Record a hazard as found (排查发现); linked to its inspection atomically."""

    type_name: ClassVar[str] = "report_hazard"

    location: str
    description: str
    source: Source | str
    found_by: str = ""
    inspection_id: UUID | None = None
    evidence: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    case_id: UUID | None = None

    def names(self) -> tuple[Ref, ...]:
        enterprise = Ref(Enterprise, self.enterprise_code)
        if self.inspection_id is None:
            return (enterprise,)
        return (enterprise, Ref(Inspection, self.inspection_id))


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseCommand(OnRecord):
    """A step in the life of an existing hazard case."""

    record_kind: ClassVar[type[LedgerAggregate]] = HazardCase
    case_id: UUID

    @property
    def record_id(self) -> UUID:
        return self.case_id


@dataclass(frozen=True, slots=True, kw_only=True)
class GradeHazard(CaseCommand):
    """Grade as general or major (定级); a major hazard cites criteria, a general one
    carries its sector's general-hazard category (一般隐患类别)."""

    type_name: ClassVar[str] = "grade_hazard"

    grade: Grade | str
    criteria: tuple[str, ...] = ()
    catalogue_edition: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RectifyOnSpot(CaseCommand):
    type_name: ClassVar[str] = "rectify_on_spot"

    measures: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AssignRectification(CaseCommand):
    type_name: ClassVar[str] = "assign_rectification"

    department: str
    deadline: datetime
    requirements: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FilePlan(CaseCommand):
    type_name: ClassVar[str] = "file_plan"

    plan: RectificationPlan


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordInterimControls(CaseCommand):
    type_name: ClassVar[str] = "record_interim_controls"

    controls: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtendDeadline(CaseCommand):
    type_name: ClassVar[str] = "extend_deadline"

    new_deadline: datetime
    reason: str
    approver: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ListForSupervision(CaseCommand):
    type_name: ClassVar[str] = "list_for_supervision"

    level: ListingLevel | str
    authority: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Delist(CaseCommand):
    type_name: ClassVar[str] = "delist"


@dataclass(frozen=True, slots=True, kw_only=True)
class Escalate(CaseCommand):
    type_name: ClassVar[str] = "escalate"

    level: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportRectification(CaseCommand):
    type_name: ClassVar[str] = "report_rectification"

    measures: str | None
    completed_at: datetime | None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FileAssessment(CaseCommand):
    type_name: ClassVar[str] = "file_assessment"

    summary: str


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyRectification(CaseCommand):
    type_name: ClassVar[str] = "verify_rectification"

    accepted: bool
    opinion: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseHazard(CaseCommand):
    type_name: ClassVar[str] = "close_hazard"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReopenHazard(CaseCommand):
    type_name: ClassVar[str] = "reopen_hazard"

    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DismissFalseAlarm(CaseCommand):
    """误报核销: a sensor's alarm, checked before grading, proved false."""

    type_name: ClassVar[str] = "dismiss_false_alarm"

    reason: str


# ---- enforcement -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueAction(AtEnterprise):
    """Issue an enforcement document (penalty, stop-work notice, warning letter, ...)."""

    type_name: ClassVar[str] = "issue_action"

    kind: ActionKind | str
    document_number: str
    department: str
    legal_basis: str
    case_ids: tuple[UUID, ...] = ()
    fine_amount: Decimal | None = None
    description: str = ""
    action_id: UUID | None = None
    device_code: str = ""
    """The one device the order stops (its registration code); empty: not a device."""
    site_part: str = ""
    """The part of the site the order stops (a workshop, a storey); empty: not a part."""
    quantity: Decimal | None = None
    """What a confiscation or seizure took (158), with ``unit`` (箱); bounded in the domain."""
    unit: str = ""

    def names(self) -> tuple[Ref, ...]:
        cases = tuple(Ref(HazardCase, case_id) for case_id in self.case_ids)
        return (Ref(Enterprise, self.enterprise_code), *cases)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionCommand(OnRecord):
    """A step of an issued enforcement action."""

    record_kind: ClassVar[type[LedgerAggregate]] = EnforcementAction
    action_id: UUID

    @property
    def record_id(self) -> UUID:
        return self.action_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ExecuteAction(ActionCommand):
    type_name: ClassVar[str] = "execute_action"

    amount_paid: Decimal | None = None
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LiftAction(ActionCommand):
    type_name: ClassVar[str] = "lift_action"

    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RevokeAction(ActionCommand):
    type_name: ClassVar[str] = "revoke_action"

    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordObservedActivity(ActionCommand):
    """What a standing order stopped was seen operating (by the inspection named, if
    any): recorded on the order, not as a new hazard."""

    type_name: ClassVar[str] = "record_observed_activity"

    description: str
    inspection_id: UUID | None = None
    evidence: tuple[str, ...] = ()

    def names(self) -> tuple[Ref, ...]:
        if self.inspection_id is None:
            return (self.subject,)
        return (self.subject, Ref(Inspection, self.inspection_id))


# ---- institutional measures (制度措施清单) --------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AddMeasure(Command):
    type_name: ClassVar[str] = "add_measure"

    title: str
    category: MeasureCategory | str
    owner_department: str
    region_code: str
    due: datetime
    timetable: str
    measure_id: UUID | None = None

    def creates(self, named: Mapping[Ref, LedgerAggregate]) -> tuple[Place, ...]:
        return (Place(self.region_code, None),)


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureCommand(OnRecord):
    record_kind: ClassVar[type[LedgerAggregate]] = Measure
    measure_id: UUID

    @property
    def record_id(self) -> UUID:
        return self.measure_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportMeasureProgress(MeasureCommand):
    type_name: ClassVar[str] = "report_measure_progress"

    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CompleteMeasure(MeasureCommand):
    type_name: ClassVar[str] = "complete_measure"

    summary: str


# ---- risk points (双重预防) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterRiskPoint(AtEnterprise):
    """Register a risk point at an enterprise with its level and controls; a major hazard
    source (重大危险源) gives its level (1-4) and its three 包保责任人."""

    type_name: ClassVar[str] = "register_risk_point"

    name: str
    location: str
    level: RiskLevel | str
    controls: tuple[str, ...]
    hazard_source_level: int | None = None
    responsible_principal: Person | None = None
    responsible_technical: Person | None = None
    responsible_operational: Person | None = None
    risk_point_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskPointCommand(OnRecord):
    record_kind: ClassVar[type[LedgerAggregate]] = RiskPoint
    risk_point_id: UUID

    @property
    def record_id(self) -> UUID:
        return self.risk_point_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ReassessRiskPoint(RiskPointCommand):
    type_name: ClassVar[str] = "reassess_risk_point"

    level: RiskLevel | str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AddControl(RiskPointCommand):
    type_name: ClassVar[str] = "add_control"

    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RetireControl(RiskPointCommand):
    type_name: ClassVar[str] = "retire_control"

    control_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CiteFailedControl(RiskPointCommand):
    """Link a hazard case to the control of this risk point that failed."""

    type_name: ClassVar[str] = "cite_failed_control"

    control_id: str
    case_id: UUID

    def names(self) -> tuple[Ref, ...]:
        return (self.subject, Ref(HazardCase, self.case_id))


# ---- public reports (群众举报) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivePublicReport(AtEnterprise):
    """Receive (受理) a report from the public; the reporter's fields are sealed at once
    (all empty: an anonymous report)."""

    type_name: ClassVar[str] = "receive_public_report"

    channel: Channel | str
    content: str
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_id_number: str = ""
    reporter_contact: str = ""
    report_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicReportCommand(OnRecord):
    record_kind: ClassVar[type[LedgerAggregate]] = PublicReport
    report_id: UUID

    @property
    def record_id(self) -> UUID:
        return self.report_id


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyPublicReport(PublicReportCommand):
    type_name: ClassVar[str] = "verify_public_report"

    findings: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FindReportFounded(PublicReportCommand):
    """属实: opens a hazard case (source public_report, naming the report) in the same
    unit of work; the report names the case."""

    type_name: ClassVar[str] = "find_report_founded"

    reasons: str
    location: str
    description: str
    found_by: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    case_id: UUID | None = None

    def creates(self, named: Mapping[Ref, LedgerAggregate]) -> tuple[Place, ...]:
        report = named[self.subject]
        assert isinstance(report, PublicReport)
        return (Place(report.region_code, report.sector, report.enterprise_code),)


@dataclass(frozen=True, slots=True, kw_only=True)
class FindReportUnfounded(PublicReportCommand):
    """不属实: the report is dismissed with its reasons."""

    type_name: ClassVar[str] = "find_report_unfounded"

    reasons: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RewardReporter(PublicReportCommand):
    type_name: ClassVar[str] = "reward_reporter"

    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class RevealReporterIdentity(PublicReportCommand):
    """Open the reporter's identity for a stated purpose; the opening is recorded."""

    type_name: ClassVar[str] = "reveal_reporter_identity"

    purpose: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EraseReporterIdentity(PublicReportCommand):
    """Destroy the key of the reporter's identity (crypto-shredding) at their request."""

    type_name: ClassVar[str] = "erase_reporter_identity"

    reason: str


#: Every command type, by name.
COMMANDS: dict[str, type[Command]] = {
    cls.type_name: cls
    for cls in (
        RegisterEnterprise,
        ChangePrincipal,
        AssignResponsibility,
        RecordInspection,
        ReportHazard,
        GradeHazard,
        RectifyOnSpot,
        AssignRectification,
        FilePlan,
        RecordInterimControls,
        ExtendDeadline,
        ListForSupervision,
        Delist,
        Escalate,
        ReportRectification,
        FileAssessment,
        VerifyRectification,
        CloseHazard,
        ReopenHazard,
        DismissFalseAlarm,
        IssueAction,
        ExecuteAction,
        LiftAction,
        RevokeAction,
        RecordObservedActivity,
        AddMeasure,
        ReportMeasureProgress,
        CompleteMeasure,
        RegisterRiskPoint,
        ReassessRiskPoint,
        AddControl,
        RetireControl,
        CiteFailedControl,
        ReceivePublicReport,
        VerifyPublicReport,
        FindReportFounded,
        FindReportUnfounded,
        RewardReporter,
        RevealReporterIdentity,
        EraseReporterIdentity,
    )
}


# ---- accidents ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordAccident(AtEnterprise):
    """Record a production-safety accident (生产安全事故) at an enterprise; ``occurred_at``
    is when it happened. Its level is computed from the figures (``ledger.accident``)."""

    type_name: ClassVar[str] = "record_accident"

    place: str
    description: str
    deaths: int = 0
    serious_injuries: int = 0
    direct_loss: Decimal = Decimal(0)
    accident_id: UUID | None = None


COMMANDS[RecordAccident.type_name] = RecordAccident
