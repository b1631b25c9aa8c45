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
    DismissFalseAlarm,
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
    # 误报核销: those who check an alarm on site (which alarms may be dismissed is the
    # case's rule, HazardCase.dismiss).
    DismissFalseAlarm: frozenset({R.INSPECTOR, R.DEPARTMENT}),
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


#: What people call each role, (Chinese, English); the label catalogue's ``role`` group
#: is this table, so a refusal and the page name a role alike.
ROLE_NAMES: dict[Role, tuple[str, str]] = {
    R.INSPECTOR: ("执法检查人员", "inspector"),
    R.ENTERPRISE: ("生产经营单位", "enterprise"),
    R.DEPARTMENT: ("行业主管部门", "competent department"),
    R.GOVERNMENT: ("属地政府", "local government"),
    R.AUDITOR: ("督查审计人员", "auditor"),
    R.ADMIN: ("系统管理员", "administrator"),
    R.SYSTEM: ("系统导入", "system import"),
}

#: What people call each action of the table, (Chinese, English), for refusals.
ACTION_NAMES: dict[str, tuple[str, str]] = {
    "register_enterprise": ("登记企业", "register an enterprise"),
    "change_principal": ("变更主要负责人", "change the principal person in charge"),
    "assign_responsibility": ("明确责任人", "assign a responsibility post"),
    "record_inspection": ("登记检查", "record an inspection"),
    "report_hazard": ("上报隐患", "report a hazard"),
    "grade_hazard": ("隐患定级", "grade a hazard"),
    "rectify_on_spot": ("登记当场整改", "record an on-the-spot rectification"),
    "assign_rectification": ("交办限期整改", "assign a deadline rectification"),
    "file_plan": ("提交治理方案", "file a rectification plan"),
    "record_interim_controls": ("登记监控防范措施", "record interim controls"),
    "extend_deadline": ("延长整改期限", "extend a deadline"),
    "list_for_supervision": ("挂牌督办", "list a hazard for supervision"),
    "delist": ("摘牌", "de-list a hazard"),
    "escalate": ("升级督办", "escalate a hazard"),
    "report_rectification": ("报告整改完成", "report a rectification"),
    "file_assessment": ("提交评估报告", "file an assessment"),
    "verify_rectification": ("复查验收", "verify a rectification"),
    "close_hazard": ("隐患销号", "close a hazard"),
    "reopen_hazard": ("重新打开隐患", "reopen a hazard"),
    "dismiss_false_alarm": ("误报核销", "dismiss a false alarm"),
    "issue_action": ("下达执法措施", "issue an enforcement action"),
    "execute_action": ("执行执法措施", "execute an enforcement action"),
    "lift_action": ("解除执法措施", "lift an enforcement action"),
    "revoke_action": ("撤销执法措施", "revoke an enforcement action"),
    "record_observed_activity": (
        "登记停工期间的生产经营活动",
        "record activity observed during a stop-work order",
    ),
    "add_measure": ("新增措施", "add a measure"),
    "report_measure_progress": ("报告措施进展", "report a measure's progress"),
    "complete_measure": ("完成措施", "complete a measure"),
    "record_accident": ("记录事故", "record an accident"),
    "register_risk_point": ("登记风险点", "register a risk point"),
    "reassess_risk_point": ("重新评定风险等级", "reassess a risk point"),
    "add_control": ("新增管控措施", "add a control"),
    "retire_control": ("停用管控措施", "retire a control"),
    "cite_failed_control": ("登记管控措施失效", "cite a failed control"),
    "receive_public_report": ("受理举报", "receive a public report"),
    "verify_public_report": ("核查举报", "check a public report"),
    "find_report_founded": ("认定举报属实", "find a report true"),
    "find_report_unfounded": ("认定举报不属实", "find a report untrue"),
    "reward_reporter": ("奖励举报人", "reward a reporter"),
    "reveal_reporter_identity": ("查阅举报人身份", "open a reporter's identity"),
    "erase_reporter_identity": ("删除举报人身份", "erase a reporter's identity"),
    BUILD_SNAPSHOT: ("生成时点快照", "build an as-of snapshot"),
    REVIEW: ("事故责任倒查", "run an accountability review"),
    READ_STATISTICS: ("查看统计报表", "read statistics"),
    MANAGE_USERS: ("管理用户", "manage users"),
    UPLOAD_EVIDENCE: ("上传证据材料", "upload evidence"),
}


def refusal(role: Role, action: Action) -> NotPermitted:
    """The refusal of ``action`` to ``role``, naming both as people call them."""
    name = action_name(action)
    role_zh, role_en = ROLE_NAMES.get(role, (role.value, role.value))
    action_zh, action_en = ACTION_NAMES.get(name, (name.replace("_", " "),) * 2)
    return NotPermitted(
        name,
        f"{role_zh}无权执行“{action_zh}”",
        f"a user with the role {role_en} may not {action_en}",
    )


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
        raise refusal(role, action)


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
