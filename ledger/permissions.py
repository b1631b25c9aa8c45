"""Who may do what: the one permission table, keyed by command type.

``HazardLedger.execute`` asks ``check`` before anything else, so every entry point (the
API, the CLI, the workbook importer, the demo) obeys the same table; the API reads it
for the few actions that are not commands (``BUILD_SNAPSHOT``, ``REVIEW``,
``READ_STATISTICS``). Auditors only read; admins manage reference data and users but do
not perform inspections or sign-offs in anyone's name; ``system`` is the role of
imported identities (a workbook's 发现人, 复查人, ...), always recorded with the
operator who ran the import.

Besides the table, a few rules depend on what the command says, not only on its type:
an enterprise reports hazards from its own self-inspection only, and records only its
own self-inspections (a county verification or an unannounced inspection is made by the
authorities, never by the enterprise inspected).

Enterprise self-management (16号令 Art. 15): an enterprise grades, rectifies and closes
the general hazards it found itself (reported by a person of that enterprise, whatever
source the report names), without a department's
sign-off; the closing event says so (``self_managed``) and the department, informed,
may re-open or re-grade it, which takes the case over. A major hazard keeps the official
path: an enterprise grading major is refused, and so is an enterprise closing,
verifying or assigning a hazard an official graded or found. These rules depend on the
case, so ``check_on_record`` applies them after the case was found in scope.
"""

from __future__ import annotations

from .commands import (
    AddControl,
    AddMeasure,
    AssignRectification,
    AssignResponsibility,
    ChangePrincipal,
    CiteFailedControl,
    CloseHazard,
    Command,
    CompleteMeasure,
    Delist,
    EraseReporterIdentity,
    Escalate,
    ExecuteAction,
    ExtendDeadline,
    FileAssessment,
    FilePlan,
    FindReportFounded,
    FindReportUnfounded,
    GradeHazard,
    IssueAction,
    LiftAction,
    ListForSupervision,
    ReassessRiskPoint,
    ReceivePublicReport,
    RecordAccident,
    RecordInspection,
    RecordInterimControls,
    RecordObservedActivity,
    RectifyOnSpot,
    RegisterEnterprise,
    RegisterRiskPoint,
    ReopenHazard,
    ReportHazard,
    ReportMeasureProgress,
    ReportRectification,
    RetireControl,
    RevealReporterIdentity,
    RevokeAction,
    RewardReporter,
    VerifyPublicReport,
    VerifyRectification,
)
from .errors import LedgerError
from .events import LedgerAggregate
from .hazard import Grade, HazardCase, Source, Status
from .identity import Actor, Role
from .inspection import InspectionType

#: Actions that are not commands but are permitted by the same table.
BUILD_SNAPSHOT = "build_snapshot"
REVIEW = "review"
READ_STATISTICS = "read_statistics"
MANAGE_USERS = "manage_users"
UPLOAD_EVIDENCE = "upload_evidence"

Action = type[Command] | str

R = Role
_OFFICIALS = frozenset({R.INSPECTOR, R.DEPARTMENT, R.GOVERNMENT, R.AUDITOR, R.ADMIN})

PERMISSIONS: dict[Action, frozenset[Role]] = {
    RegisterEnterprise: frozenset({R.INSPECTOR, R.DEPARTMENT, R.GOVERNMENT, R.ADMIN, R.SYSTEM}),
    ChangePrincipal: frozenset({R.DEPARTMENT, R.GOVERNMENT, R.ENTERPRISE, R.ADMIN}),
    AssignResponsibility: frozenset({R.GOVERNMENT, R.ADMIN}),
    RecordInspection: frozenset({R.INSPECTOR, R.DEPARTMENT, R.ENTERPRISE}),
    ReportHazard: frozenset({R.INSPECTOR, R.DEPARTMENT, R.GOVERNMENT, R.ENTERPRISE, R.SYSTEM}),
    # The enterprise's rows: its own general hazards only (check_on_record).
    GradeHazard: frozenset({R.INSPECTOR, R.DEPARTMENT, R.SYSTEM, R.ENTERPRISE}),
    RectifyOnSpot: frozenset({R.INSPECTOR, R.DEPARTMENT, R.SYSTEM, R.ENTERPRISE}),
    AssignRectification: frozenset(
        {R.INSPECTOR, R.DEPARTMENT, R.GOVERNMENT, R.SYSTEM, R.ENTERPRISE}
    ),
    FilePlan: frozenset({R.ENTERPRISE, R.DEPARTMENT, R.SYSTEM}),
    RecordInterimControls: frozenset({R.ENTERPRISE, R.DEPARTMENT, R.INSPECTOR}),
    ExtendDeadline: frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    ListForSupervision: frozenset({R.GOVERNMENT}),
    Delist: frozenset({R.GOVERNMENT}),
    Escalate: frozenset({R.GOVERNMENT, R.DEPARTMENT}),
    ReportRectification: frozenset({R.ENTERPRISE, R.DEPARTMENT, R.INSPECTOR, R.SYSTEM}),
    FileAssessment: frozenset({R.ENTERPRISE}),
    VerifyRectification: frozenset({R.DEPARTMENT, R.INSPECTOR, R.SYSTEM, R.ENTERPRISE}),
    CloseHazard: frozenset({R.DEPARTMENT, R.SYSTEM, R.ENTERPRISE}),
    ReopenHazard: frozenset({R.DEPARTMENT, R.INSPECTOR, R.GOVERNMENT}),
    IssueAction: frozenset({R.DEPARTMENT, R.INSPECTOR, R.GOVERNMENT}),
    ExecuteAction: frozenset({R.DEPARTMENT, R.INSPECTOR}),
    LiftAction: frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    RevokeAction: frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    RecordObservedActivity: frozenset({R.DEPARTMENT, R.INSPECTOR}),
    AddMeasure: frozenset({R.GOVERNMENT, R.DEPARTMENT}),
    ReportMeasureProgress: frozenset({R.GOVERNMENT, R.DEPARTMENT}),
    CompleteMeasure: frozenset({R.GOVERNMENT, R.DEPARTMENT}),
    # 事故报告: the competent departments and the local government record accidents.
    RecordAccident: frozenset({R.DEPARTMENT, R.GOVERNMENT, R.SYSTEM}),
    # Risk points (双重预防): the enterprise identifies and controls its own risks; the
    # departments and inspectors keep them as they find them.
    RegisterRiskPoint: frozenset({R.ENTERPRISE, R.DEPARTMENT, R.INSPECTOR}),
    ReassessRiskPoint: frozenset({R.ENTERPRISE, R.DEPARTMENT}),
    AddControl: frozenset({R.ENTERPRISE, R.DEPARTMENT}),
    RetireControl: frozenset({R.ENTERPRISE, R.DEPARTMENT}),
    CiteFailedControl: frozenset({R.ENTERPRISE, R.DEPARTMENT, R.INSPECTOR}),
    # Public reports are received and concluded by the departments and the safety
    # committee office (12350); a hotline import comes in as ``system``.
    ReceivePublicReport: frozenset({R.DEPARTMENT, R.GOVERNMENT, R.SYSTEM}),
    VerifyPublicReport: frozenset({R.DEPARTMENT, R.GOVERNMENT, R.INSPECTOR}),
    FindReportFounded: frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    FindReportUnfounded: frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    RewardReporter: frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    # The reporter's identity (安全生产法 Art. 73-74, 举报人保密): only those who receive
    # and handle reports open it, each opening recorded; inspectors, auditors, enterprises
    # and administrators never see it. Erasure on request is decided by the same roles.
    RevealReporterIdentity: frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    EraseReporterIdentity: frozenset({R.DEPARTMENT, R.GOVERNMENT}),
    # A snapshot replaces the store's one "as known at" slot and takes minutes to build:
    # for those who review the past, not for every reader.
    BUILD_SNAPSHOT: frozenset({R.AUDITOR, R.GOVERNMENT, R.DEPARTMENT, R.ADMIN}),
    REVIEW: _OFFICIALS,
    READ_STATISTICS: _OFFICIALS,
    # Accounts and their tokens: who may act at all is the administrator's business.
    MANAGE_USERS: frozenset({R.ADMIN}),
    # Photos and scans are stored to be cited by a step: only those who record steps
    # that carry evidence upload them (auditors and administrators record none).
    UPLOAD_EVIDENCE: frozenset({R.INSPECTOR, R.ENTERPRISE, R.DEPARTMENT, R.GOVERNMENT}),
}


class NotPermitted(LedgerError):
    """The actor's role may not do this; nothing was recorded."""

    def __init__(self, action: str, message_zh: str, message_en: str) -> None:
        self.action = action
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(message_en)

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


def action_name(action: Action) -> str:
    return action if isinstance(action, str) else action.type_name


def allowed(role: Role, action: Action) -> bool:
    """Whether ``role`` may perform ``action`` at all (by the table alone)."""
    return role in PERMISSIONS.get(action, frozenset())


def permitted(role: Role) -> list[str]:
    """The names of every action the table lets ``role`` perform (commands by their
    type name), so a client can offer only those."""
    return sorted(action_name(a) for a, roles in PERMISSIONS.items() if role in roles)


def require(role: Role, action: Action) -> None:
    """Refuse unless the table lets ``role`` perform ``action``."""
    if not allowed(role, action):
        name = action_name(action)
        raise NotPermitted(
            name, f"角色“{role.value}”不能执行“{name}”", f"role {role.value!r} may not {name}"
        )


def check(actor: Actor, command: Command) -> None:
    """The table, then the rules that depend on what an actor's command says."""
    require(actor.role, type(command))
    if actor.role is not Role.ENTERPRISE:
        return
    if isinstance(command, ReportHazard) and command.source != Source.SELF_INSPECTION:
        raise NotPermitted(
            command.type_name,
            "企业用户只能上报自查发现的隐患",
            "an enterprise user reports hazards from its own self-inspection only",
        )
    if (
        isinstance(command, RecordInspection)
        and command.inspection_type != InspectionType.SELF_INSPECTION
    ):
        raise NotPermitted(
            command.type_name,
            "企业用户只能登记本单位的自查",
            "an enterprise user records its own self-inspections only",
        )
    if isinstance(command, GradeHazard) and command.grade == Grade.MAJOR:
        raise NotPermitted(
            command.type_name,
            "企业只能自行判定一般事故隐患；重大事故隐患须报负有安全生产监督管理职责的部门判定、"
            "督办（《安全生产事故隐患排查治理暂行规定》第十四条、第十五条）",
            "an enterprise grades general hazards only; a major hazard is reported to the "
            "supervising department, which grades and supervises it (Order No. 16, "
            "Art. 14-15)",
        )


#: Steps of a case an enterprise takes itself on its own general hazards.
SELF_MANAGED_STEPS = (
    GradeHazard,
    RectifyOnSpot,
    AssignRectification,
    VerifyRectification,
    CloseHazard,
)


def check_on_record(actor: Actor, command: Command, subject: LedgerAggregate | None) -> None:
    """The rules that depend on the record a command acts on (run once it is in scope).

    An enterprise takes the self-managed steps only on a general hazard a person of that
    enterprise reported and graded itself (see the module docstring). Who reported it is
    read from the report's actor, never from its ``source``: anyone may name a source, so
    an official reporting "self_inspection" does not hand the enterprise the case.
    """
    if actor.role is not Role.ENTERPRISE or not isinstance(command, SELF_MANAGED_STEPS):
        return
    if not isinstance(subject, HazardCase):
        return
    if not (
        subject.reported_by_role is Role.ENTERPRISE
        and subject.reported_by_org == subject.enterprise_code
    ):
        raise NotPermitted(
            command.type_name,
            "企业只能自行处置本单位自查发现的一般隐患；监管部门发现的隐患由监管部门定级、复查和销号",
            "an enterprise manages only the general hazards of its own self-inspection; "
            "hazards the authorities found are graded, verified and closed by them",
        )
    if isinstance(command, GradeHazard):
        if subject.status is Status.REPORTED or (
            subject.status is Status.GRADED and subject.self_graded
        ):
            return
        raise NotPermitted(
            command.type_name,
            "该隐患已由监管部门定级或重新打开，企业不能再自行定级",
            "a department graded or re-opened this hazard: the enterprise no longer grades it",
        )
    if subject.grade is not Grade.GENERAL or not subject.self_graded:
        raise NotPermitted(
            command.type_name,
            "重大事故隐患及监管部门定级的隐患须由监管部门复查、验收销号，企业不能自行处置",
            "a major hazard, or one a department graded, is verified and closed by the "
            "department, not by the enterprise itself",
        )
