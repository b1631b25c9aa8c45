"""The hazard case (隐患): its whole life as immutable events and a state machine.

A command method checks the rule, then triggers one event; the event's ``apply`` only
moves state, so replaying the events always rebuilds the same case. Every refusal names
its rule (see ``errors.Violation``) and leaves the case untouched.

Life of a case (DOMAIN.md, "The life of a hazard")::

    reported ─grade─▶ graded ─rectify_on_spot─▶ closed
                        │
                        └─assign─▶ assigned ─report_rectification─▶ rectification_reported
                                      ▲                                   │
                                      └────────── verify(rejected) ◀──────┤
                                                                          ▼
                                                  verify(accepted) ─▶ verified ─close─▶ closed
    closed ─reopen─▶ reopened ─grade/assign/rectify_on_spot─▶ ...
    reported ─dismiss─▶ dismissed   (a false alarm of a sensor, never graded; terminal)

Enterprise self-management (16号令 Art. 15): the enterprise grades a general hazard of
its own self-inspection, rectifies it (on the spot, or assigned to its own unit,
reported, verified by another of its people) and closes it itself; the closing event
carries ``self_managed`` so the department is informed, and a department's re-opening or
re-grading takes the case over (``self_graded`` is cleared). Who may take which step is
decided in ``ledger.permissions``.

Along the way, while the case is open: a rectification plan (治理方案, major only),
interim controls (监控防范措施), deadline extensions, listing for supervision
(挂牌督办, major only), escalation, and for listed cases the enterprise's assessment
(评估) that applies for the listing department's on-site acceptance (验收).
Overdue is never stored: it is derived from the deadline and a moment in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from .errors import RuleViolated, Violation, refuse
from .events import Context, LedgerAggregate
from .identity import Role


class Source(StrEnum):
    """How the hazard was found (排查发现来源)."""

    SELF_INSPECTION = "self_inspection"  # 企业自查
    GRID_PATROL = "grid_patrol"  # 属地网格排查
    COUNTY_VERIFICATION = "county_verification"  # 县级核查
    EXPERT_DIAGNOSIS = "expert_diagnosis"  # 专家会诊
    UNANNOUNCED_INSPECTION = "unannounced_inspection"  # 四不两直、明查暗访
    ROUTINE_INSPECTION = "routine_inspection"  # 日常执法检查
    SENSOR = "sensor"  # 科技手段检测
    PUBLIC_REPORT = "public_report"  # 群众举报


class Grade(StrEnum):
    GENERAL = "general"  # 一般事故隐患
    MAJOR = "major"  # 重大事故隐患


class Status(StrEnum):
    REPORTED = "reported"  # 已上报，待定级
    GRADED = "graded"  # 已定级，待处置
    ASSIGNED = "assigned"  # 限期整改中
    RECTIFICATION_REPORTED = "rectification_reported"  # 已报整改，待复查
    VERIFIED = "verified"  # 复查通过，待销号
    CLOSED = "closed"  # 已销号
    REOPENED = "reopened"  # 已重新打开
    DISMISSED = "dismissed"  # 误报已核销


class ListingLevel(StrEnum):
    COUNTY = "county"  # 县级挂牌督办
    CITY = "city"  # 市级
    PROVINCE = "province"  # 省级


LEVEL_RANK = {ListingLevel.COUNTY: 1, ListingLevel.CITY: 2, ListingLevel.PROVINCE: 3}

OPEN_STATUSES = frozenset(
    {
        Status.REPORTED,
        Status.GRADED,
        Status.ASSIGNED,
        Status.RECTIFICATION_REPORTED,
        Status.VERIFIED,
        Status.REOPENED,
    }
)

STATUS_ZH = {
    Status.REPORTED: "待定级",
    Status.GRADED: "待处置",
    Status.ASSIGNED: "限期整改中",
    Status.RECTIFICATION_REPORTED: "待复查",
    Status.VERIFIED: "待销号",
    Status.CLOSED: "已销号",
    Status.REOPENED: "已重新打开",
    Status.DISMISSED: "误报已核销",
}

#: What people reading English call each status; the label catalogue's ``status`` group
#: is this table and ``STATUS_ZH``, so a refusal and the page name a status alike.
STATUS_EN = {
    Status.REPORTED: "awaiting grading",
    Status.GRADED: "graded, awaiting action",
    Status.ASSIGNED: "under deadline rectification",
    Status.RECTIFICATION_REPORTED: "awaiting verification",
    Status.VERIFIED: "verified, awaiting closure",
    Status.CLOSED: "signed off and closed",
    Status.REOPENED: "reopened after closure",
    Status.DISMISSED: "false alarm dismissed",
}

#: Sources whose reports can be false alarms, dismissed without grading (误报核销). A
#: public report that proves untrue is concluded by the public-report lifecycle
#: (``ledger.public_report``), never by dismissing a case; a person's own finding is
#: graded, not dismissed.
FALSE_ALARM_SOURCES = frozenset({Source.SENSOR})


@dataclass(frozen=True, slots=True)
class RectificationPlan:
    """The six parts 16号令 Art. 15 requires of a major hazard's plan (治理方案)."""

    goal_and_tasks: str  # 治理的目标和任务
    methods_and_measures: str  # 采取的方法和措施
    funds_and_materials: str  # 经费和物资的落实
    organisation_and_people: str  # 负责治理的机构和人员
    time_limit_and_requirements: str  # 治理的时限和要求
    safety_and_emergency: str  # 安全措施和应急预案

    PART_NAMES_ZH: ClassVar[dict[str, str]] = {
        "goal_and_tasks": "治理的目标和任务",
        "methods_and_measures": "采取的方法和措施",
        "funds_and_materials": "经费和物资的落实",
        "organisation_and_people": "负责治理的机构和人员",
        "time_limit_and_requirements": "治理的时限和要求",
        "safety_and_emergency": "安全措施和应急预案",
    }
    PART_NAMES_EN: ClassVar[dict[str, str]] = {
        "goal_and_tasks": "goals and tasks",
        "methods_and_measures": "methods and measures",
        "funds_and_materials": "funds and materials",
        "organisation_and_people": "organisation and people in charge",
        "time_limit_and_requirements": "time limit and requirements",
        "safety_and_emergency": "safety measures and emergency plan",
    }

    def missing_parts(self) -> list[Violation]:
        return [
            Violation(
                "PLAN_PART_MISSING",
                f"plan.{name}",
                f"治理方案缺少“{zh}”（《安全生产事故隐患排查治理暂行规定》第十五条）",
                f"the rectification plan lacks '{self.PART_NAMES_EN[name]}' "
                "(Order No. 16, Art. 15)",
            )
            for name, zh in self.PART_NAMES_ZH.items()
            if not str(getattr(self, name)).strip()
        ]


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _status_refusal(action_zh: str, action_en: str, status: Status) -> RuleViolated:
    return refuse(
        f"ILLEGAL_TRANSITION_{action_en.upper().replace(' ', '_')}",
        "status",
        f"隐患当前状态为“{STATUS_ZH[status]}”，不能{action_zh}",
        f"cannot {action_en} a case whose status is '{STATUS_EN[status]}'",
    )


class HazardCase(LedgerAggregate):
    """One hazard (隐患) from discovery to closure, reopening included."""

    # ---- events -------------------------------------------------------------------

    class Reported(LedgerAggregate.Created):
        enterprise_code: str
        enterprise_name: str
        region_code: str
        sector: str
        location: str
        description: str
        source: Source
        found_by: str
        inspection_id: UUID | None
        evidence: tuple[str, ...]
        details: dict[str, Any]

        def apply(self, case: HazardCase) -> None:
            case.enterprise_code = self.enterprise_code
            case.enterprise_name = self.enterprise_name
            case.region_code = self.region_code
            case.sector = self.sector
            case.location = self.location
            case.description = self.description
            case.source = self.source
            case.found_by = self.found_by
            case.found_at = self.occurred_at
            case.reported_by = self.actor.id
            case.reported_by_role = self.actor.role
            case.reported_by_org = self.actor.organisation
            case.inspection_id = self.inspection_id
            case.evidence = self.evidence
            case.details = dict(self.details)
            case.status = Status.REPORTED
            case.grade = None
            case.criteria = ()
            case.catalogue_edition = None
            case.deadline = None
            case.assigned_enterprise = None
            case.assigned_department = None
            case.assigned_at = None
            case.requirements = None
            case.plan = None
            case.interim_controls = ()
            case.extensions = 0
            case.listing_level = None
            case.listed_at = None
            case.delisted_at = None
            case.escalations = 0
            case.rectification_reporter = None
            case.measures = None
            case.completed_at = None
            case.rectification_evidence = ()
            case.assessment_filed_at = None
            case.verified_by = None
            case.verified_at = None
            case.closed_by = None
            case.closed_at = None
            case.closure_kind = None
            case.self_managed = False
            case.self_graded = False
            case.category = None
            case.reopen_count = 0

    class Graded(LedgerAggregate.Event):
        """定级. Version 2 added ``category``: the sector's general-hazard category
        (一般隐患类别) a general grade carries; version 1 events are upcast with none."""

        class_version = 2

        grade: Grade
        criteria: tuple[str, ...]
        catalogue_edition: str | None
        category: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["category"] = None

        def apply(self, case: HazardCase) -> None:
            case.grade = self.grade
            case.criteria = self.criteria
            case.catalogue_edition = self.catalogue_edition
            case.category = self.category
            case.self_graded = self.actor.role is Role.ENTERPRISE
            case.status = Status.GRADED

    class RectifiedOnSpot(LedgerAggregate.Event):
        """立查立改. Version 2 added ``self_managed``: the enterprise rectified and closed
        its own general hazard (16号令 Art. 15); version 1 events were officials'."""

        class_version = 2

        measures: str
        evidence: tuple[str, ...]
        self_managed: bool = False

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["self_managed"] = False

        def apply(self, case: HazardCase) -> None:
            case.self_managed = self.self_managed
            case.measures = self.measures
            case.completed_at = self.occurred_at
            case.rectification_reporter = self.actor.id
            case.rectification_evidence = self.evidence
            case.status = Status.CLOSED
            case.closed_by = self.actor.id
            case.closed_at = self.occurred_at
            case.closure_kind = "on_spot"

    class Assigned(LedgerAggregate.Event):
        """Deadline rectification assigned to the enterprise and the department at once."""

        enterprise_code: str
        department: str
        deadline: datetime
        requirements: str

        def apply(self, case: HazardCase) -> None:
            case.assigned_enterprise = self.enterprise_code
            case.assigned_department = self.department
            case.assigned_at = self.occurred_at
            case.deadline = self.deadline
            case.requirements = self.requirements
            case.status = Status.ASSIGNED

    class PlanFiled(LedgerAggregate.Event):
        plan: RectificationPlan

        def apply(self, case: HazardCase) -> None:
            case.plan = self.plan

    class InterimControlsRecorded(LedgerAggregate.Event):
        controls: str

        def apply(self, case: HazardCase) -> None:
            case.interim_controls = (*case.interim_controls, self.controls)

    class DeadlineExtended(LedgerAggregate.Event):
        previous_deadline: datetime
        new_deadline: datetime
        reason: str
        approver: str

        def apply(self, case: HazardCase) -> None:
            case.deadline = self.new_deadline
            case.extensions += 1

    class Listed(LedgerAggregate.Event):
        level: ListingLevel
        authority: str

        def apply(self, case: HazardCase) -> None:
            case.listing_level = self.level
            if case.listed_at is None:
                case.listed_at = self.occurred_at

    class Delisted(LedgerAggregate.Event):
        def apply(self, case: HazardCase) -> None:
            case.delisted_at = self.occurred_at

    class Escalated(LedgerAggregate.Event):
        level: str
        reason: str

        def apply(self, case: HazardCase) -> None:
            case.escalations += 1

    class RectificationReported(LedgerAggregate.Event):
        """The enterprise reports the hazard rectified (整改完成报告).

        Version 2 added ``evidence`` (photo and document hashes); version 1 events are
        upcast with no evidence.
        """

        class_version = 2

        measures: str
        completed_at: datetime
        evidence: tuple[str, ...]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["evidence"] = []

        def apply(self, case: HazardCase) -> None:
            case.measures = self.measures
            case.completed_at = self.completed_at
            case.rectification_reporter = self.actor.id
            case.rectification_evidence = self.evidence
            case.status = Status.RECTIFICATION_REPORTED

    class AssessmentFiled(LedgerAggregate.Event):
        """The enterprise's own assessment (评估), applying for on-site acceptance."""

        summary: str

        def apply(self, case: HazardCase) -> None:
            case.assessment_filed_at = self.occurred_at

    class Verified(LedgerAggregate.Event):
        """The department's re-inspection (整改复查) or on-site acceptance (验收)."""

        accepted: bool
        opinion: str

        def apply(self, case: HazardCase) -> None:
            case.verified_by = self.actor.id
            case.verified_at = self.occurred_at
            if self.accepted:
                case.status = Status.VERIFIED
            else:
                case.status = Status.ASSIGNED
                case.assessment_filed_at = None

    class Closed(LedgerAggregate.Event):
        """销号. Version 2 added ``self_managed``: the enterprise closed its own general
        hazard, and the department is informed rather than asked (16号令 Art. 15)."""

        class_version = 2

        self_managed: bool = False

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["self_managed"] = False

        def apply(self, case: HazardCase) -> None:
            case.self_managed = self.self_managed
            case.status = Status.CLOSED
            case.closed_by = self.actor.id
            case.closed_at = self.occurred_at
            case.closure_kind = "verified"

    class Reopened(LedgerAggregate.Event):
        reason: str

        def apply(self, case: HazardCase) -> None:
            case.status = Status.REOPENED
            case.reopen_count += 1
            case.deadline = None  # a reopened hazard is assigned afresh
            case.verified_by = None
            case.verified_at = None
            case.closed_by = None
            case.closed_at = None
            case.closure_kind = None
            case.self_managed = False
            case.self_graded = False  # the department took the case over
            case.rectification_reporter = None
            case.measures = None
            case.completed_at = None
            case.assessment_filed_at = None

    class Dismissed(LedgerAggregate.Event):
        """误报核销: the reported alarm proved false; the case ends without a grade."""

        reason: str

        def apply(self, case: HazardCase) -> None:
            case.status = Status.DISMISSED

    # ---- state (set by the events above) -----------------------------------------
    # Declared for type checkers only: annotations in the class body would make
    # eventsourcing turn the aggregate into a dataclass with a required __init__.

    if TYPE_CHECKING:
        enterprise_code: str
        enterprise_name: str
        region_code: str
        sector: str
        location: str
        description: str
        source: Source
        found_by: str
        found_at: datetime
        reported_by: str
        reported_by_role: Role
        reported_by_org: str
        inspection_id: UUID | None
        evidence: tuple[str, ...]
        details: dict[str, Any]
        status: Status
        grade: Grade | None
        criteria: tuple[str, ...]
        catalogue_edition: str | None
        deadline: datetime | None
        assigned_enterprise: str | None
        assigned_department: str | None
        assigned_at: datetime | None
        requirements: str | None
        plan: RectificationPlan | None
        interim_controls: tuple[str, ...]
        extensions: int
        listing_level: ListingLevel | None
        listed_at: datetime | None
        delisted_at: datetime | None
        escalations: int
        rectification_reporter: str | None
        measures: str | None
        completed_at: datetime | None
        rectification_evidence: tuple[str, ...]
        assessment_filed_at: datetime | None
        verified_by: str | None
        verified_at: datetime | None
        closed_by: str | None
        closed_at: datetime | None
        closure_kind: str | None
        self_managed: bool
        self_graded: bool
        category: str | None
        reopen_count: int

    # ---- commands -----------------------------------------------------------------

    @classmethod
    def report(
        cls,
        ctx: Context,
        *,
        enterprise_code: str,
        enterprise_name: str,
        region_code: str,
        sector: str,
        location: str,
        description: str,
        source: Source | str,
        found_by: str = "",
        inspection_id: UUID | None = None,
        evidence: tuple[str, ...] = (),
        details: dict[str, Any] | None = None,
        case_id: UUID | None = None,
    ) -> HazardCase:
        violations = [
            Violation(
                "FIELD_REQUIRED",
                name,
                f"“{zh}”为必填项",
                f"'{en}' is required",
            )
            for name, zh, en, value in (
                ("location", "隐患部位", "location of the hazard", location),
                ("description", "隐患描述", "description of the hazard", description),
                ("sector", "行业领域", "industry sector", sector),
            )
            if _blank(value)
        ]
        try:
            source = Source(source)
        except ValueError:
            violations.append(
                Violation(
                    "SOURCE_UNKNOWN",
                    "source",
                    f"未知的隐患来源“{source}”",
                    f"unknown source {source!r}; one of {', '.join(s.value for s in Source)}",
                )
            )
        if violations:
            raise RuleViolated(violations)
        case: HazardCase = cls._create_with(
            cls.Reported,
            ctx,
            id=case_id,
            enterprise_code=enterprise_code,
            enterprise_name=enterprise_name,
            region_code=region_code,
            sector=sector,
            location=location.strip(),
            description=description.strip(),
            source=source,
            found_by=found_by.strip() or ctx.actor.name,
            inspection_id=inspection_id,
            evidence=tuple(evidence),
            details=dict(details or {}),
        )
        return case

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, at: datetime) -> bool:
        """Derived, never stored: past the deadline and not yet rectified."""
        return self.deadline is not None and self.status is Status.ASSIGNED and at > self.deadline

    def overdue_days(self, at: datetime) -> int:
        if not self.is_overdue(at) or self.deadline is None:
            return 0
        return (at - self.deadline).days

    def grade_as(
        self,
        ctx: Context,
        *,
        grade: Grade | str,
        criteria: tuple[str, ...] = (),
        catalogue_edition: str | None = None,
        category: str | None = None,
    ) -> None:
        if self.status not in (Status.REPORTED, Status.GRADED, Status.REOPENED):
            raise _status_refusal("定级", "grade", self.status)
        try:
            grade = Grade(grade)
        except ValueError:
            raise refuse(
                "GRADE_UNKNOWN",
                "grade",
                f"隐患等级只能是一般或重大，实际为“{grade}”",
                f"grade must be 'general' or 'major', got {grade!r}",
            ) from None
        criteria = tuple(c.strip() for c in criteria if c.strip())
        if grade is Grade.MAJOR and not criteria:
            raise refuse(
                "MAJOR_NEEDS_CRITERION",
                "criteria",
                "判定为重大事故隐患必须引用行业重大事故隐患判定标准的条款",
                "a major hazard must cite at least one criterion of the sector's "
                "determination standard",
            )
        category = category.strip() if category and category.strip() else None
        if grade is Grade.MAJOR and category is not None:
            raise refuse(
                "CATEGORY_ONLY_GENERAL",
                "category",
                "一般隐患类别只用于一般事故隐患；重大事故隐患引用判定标准条款",
                "a category is given to a general hazard; a major hazard cites criteria",
            )
        if grade is Grade.GENERAL and self.listing_level is not None and self.delisted_at is None:
            raise refuse(
                "LISTED_CANNOT_DOWNGRADE",
                "grade",
                "挂牌督办中的重大隐患不能降为一般隐患",
                "a hazard listed for supervision cannot be downgraded to general",
            )
        self._emit(
            self.Graded,
            ctx,
            grade=grade,
            criteria=criteria,
            catalogue_edition=catalogue_edition,
            category=category,
        )

    def rectify_on_spot(
        self, ctx: Context, *, measures: str, evidence: tuple[str, ...] = ()
    ) -> None:
        if self.status not in (Status.GRADED, Status.REOPENED):
            raise _status_refusal("当场整改", "rectify on the spot", self.status)
        if self.grade is not Grade.GENERAL:
            raise refuse(
                "ON_SPOT_ONLY_GENERAL",
                "grade",
                "重大事故隐患不能当场整改销号，须制定治理方案并限期整改",
                "a major hazard cannot be rectified on the spot; it needs a plan and a deadline",
            )
        if _blank(measures):
            raise refuse(
                "MEASURES_REQUIRED",
                "measures",
                "当场整改必须填写整改措施",
                "an on-the-spot rectification must state the measures taken",
            )
        self._emit(
            self.RectifiedOnSpot,
            ctx,
            measures=measures.strip(),
            evidence=tuple(evidence),
            self_managed=ctx.actor.role is Role.ENTERPRISE,
        )

    def assign(
        self,
        ctx: Context,
        *,
        department: str,
        deadline: datetime,
        requirements: str,
        enterprise_code: str | None = None,
    ) -> None:
        if self.status not in (Status.GRADED, Status.REOPENED):
            raise _status_refusal("交办整改", "assign", self.status)
        violations = []
        if _blank(department):
            violations.append(
                Violation(
                    "DUAL_ASSIGNMENT_REQUIRED",
                    "department",
                    "限期整改须同时交办企业和行业主管部门（双重交办）",
                    "a deadline rectification is assigned to the enterprise and the "
                    "competent department at once",
                )
            )
        if _blank(requirements):
            violations.append(
                Violation(
                    "FIELD_REQUIRED",
                    "requirements",
                    "“整改要求”为必填项",
                    "'rectification requirements' is required",
                )
            )
        if deadline.tzinfo is None or deadline <= ctx.occurred_at:
            violations.append(
                Violation(
                    "DEADLINE_NOT_AFTER_ASSIGNMENT",
                    "deadline",
                    "整改期限必须晚于交办时间（并带时区）",
                    "the deadline must be after the assignment (and carry a time zone)",
                )
            )
        if violations:
            raise RuleViolated(violations)
        self._emit(
            self.Assigned,
            ctx,
            enterprise_code=enterprise_code or self.enterprise_code,
            department=department.strip(),
            deadline=deadline,
            requirements=requirements.strip(),
        )

    def file_plan(self, ctx: Context, *, plan: RectificationPlan) -> None:
        if not self.is_open or self.status in (Status.REPORTED, Status.VERIFIED):
            raise _status_refusal("提交治理方案", "file a plan for", self.status)
        if self.grade is not Grade.MAJOR:
            raise refuse(
                "PLAN_ONLY_MAJOR",
                "grade",
                "治理方案针对重大事故隐患",
                "rectification plans are filed for major hazards",
            )
        missing = plan.missing_parts()
        if missing:
            raise RuleViolated(missing)
        self._emit(self.PlanFiled, ctx, plan=plan)

    def record_interim_controls(self, ctx: Context, *, controls: str) -> None:
        if not self.is_open:
            raise _status_refusal("记录临时管控措施", "record interim controls on", self.status)
        if _blank(controls):
            raise refuse(
                "FIELD_REQUIRED",
                "controls",
                "“监控防范措施”为必填项",
                "'monitoring and preventive measures' is required",
            )
        self._emit(self.InterimControlsRecorded, ctx, controls=controls.strip())

    def extend_deadline(
        self, ctx: Context, *, new_deadline: datetime, reason: str, approver: str
    ) -> None:
        if self.status is not Status.ASSIGNED or self.deadline is None:
            raise _status_refusal("延期", "extend the deadline of", self.status)
        violations = [
            Violation("FIELD_REQUIRED", name, f"延期必须填写“{zh}”", f"an extension needs '{en}'")
            for name, zh, en, value in (
                ("reason", "延期理由", "reason for the extension", reason),
                ("approver", "批准人", "person approving", approver),
            )
            if _blank(value)
        ]
        if new_deadline.tzinfo is None:
            violations.append(
                Violation(
                    "DEADLINE_TIMEZONE",
                    "new_deadline",
                    "延期后的期限必须带时区",
                    "the new deadline must carry a time zone",
                )
            )
        elif new_deadline <= self.deadline:
            violations.append(
                Violation(
                    "EXTENSION_NOT_LATER",
                    "new_deadline",
                    "延期后的期限必须晚于原期限",
                    "the new deadline must be later than the current one",
                )
            )
        if violations:
            raise RuleViolated(violations)
        self._emit(
            self.DeadlineExtended,
            ctx,
            previous_deadline=self.deadline,
            new_deadline=new_deadline,
            reason=reason.strip(),
            approver=approver.strip(),
        )

    def list_for_supervision(
        self, ctx: Context, *, level: ListingLevel | str, authority: str
    ) -> None:
        if not self.is_open or self.status is Status.REPORTED:
            raise _status_refusal("挂牌督办", "list", self.status)
        if self.grade is not Grade.MAJOR:
            raise refuse(
                "LISTING_ONLY_MAJOR",
                "grade",
                "只有重大事故隐患可以挂牌督办",
                "only major hazards are listed for supervision",
            )
        try:
            level = ListingLevel(level)
        except ValueError:
            raise refuse(
                "LISTING_LEVEL_UNKNOWN",
                "level",
                "挂牌督办层级只能是县级、市级或省级",
                "listing level must be county, city or province",
            ) from None
        if self.listing_level is not None and LEVEL_RANK[level] <= LEVEL_RANK[self.listing_level]:
            raise refuse(
                "ALREADY_LISTED",
                "level",
                "该隐患已在同级或更高层级挂牌督办",
                "already listed at this level or higher",
            )
        if _blank(authority):
            raise refuse(
                "FIELD_REQUIRED",
                "authority",
                "“督办单位”为必填项",
                "'supervising authority' is required",
            )
        self._emit(self.Listed, ctx, level=level, authority=authority.strip())

    def delist(self, ctx: Context) -> None:
        if self.listing_level is None or self.delisted_at is not None:
            raise refuse("NOT_LISTED", "listing", "该隐患未挂牌督办", "the hazard is not listed")
        if self.status is not Status.CLOSED:
            raise refuse(
                "DELIST_BEFORE_CLOSE",
                "status",
                "挂牌督办的隐患须验收销号后方可摘牌",
                "a listed hazard is de-listed only after it is closed",
            )
        self._emit(self.Delisted, ctx)

    def escalate(self, ctx: Context, *, level: str, reason: str) -> None:
        if not self.is_open:
            raise _status_refusal("升级督办", "escalate", self.status)
        if _blank(reason) or _blank(level):
            raise refuse(
                "FIELD_REQUIRED",
                "reason",
                "升级督办须说明层级和理由",
                "escalation needs level and reason",
            )
        self._emit(self.Escalated, ctx, level=level.strip(), reason=reason.strip())

    def report_rectification(
        self,
        ctx: Context,
        *,
        measures: str | None,
        completed_at: datetime | None,
        evidence: tuple[str, ...] = (),
    ) -> None:
        if self.status is not Status.ASSIGNED:
            raise _status_refusal("报告整改完成", "report rectification of", self.status)
        violations = []
        if measures is None or _blank(measures):
            violations.append(
                Violation(
                    "RECTIFICATION_NEEDS_MEASURES",
                    "measures",
                    "整改完成报告必须写明采取的整改措施",
                    "a rectification report must state the measures taken",
                )
            )
        if completed_at is None:
            violations.append(
                Violation(
                    "RECTIFICATION_NEEDS_COMPLETION_TIME",
                    "completed_at",
                    "整改完成报告必须写明整改完成时间",
                    "a rectification report must state when the work was completed",
                )
            )
        elif completed_at.tzinfo is None:
            violations.append(
                Violation(
                    "COMPLETED_AT_TIMEZONE",
                    "completed_at",
                    "整改完成时间必须带时区",
                    "completed_at must carry a time zone",
                )
            )
        elif completed_at > ctx.occurred_at:
            violations.append(
                Violation(
                    "COMPLETION_AFTER_REPORT",
                    "completed_at",
                    "整改完成时间不能晚于报告时间",
                    "completed_at cannot be later than the report itself",
                )
            )
        if self.grade is Grade.MAJOR and self.plan is None:
            violations.append(
                Violation(
                    "MAJOR_NEEDS_PLAN",
                    "plan",
                    "重大事故隐患须先提交治理方案",
                    "a major hazard needs a filed rectification plan first",
                )
            )
        if violations:
            raise RuleViolated(violations)
        assert measures is not None and completed_at is not None
        self._emit(
            self.RectificationReported,
            ctx,
            measures=measures.strip(),
            completed_at=completed_at,
            evidence=tuple(evidence),
        )

    def file_assessment(self, ctx: Context, *, summary: str) -> None:
        if self.status is not Status.RECTIFICATION_REPORTED:
            raise _status_refusal("提交评估报告", "file an assessment for", self.status)
        if self.listing_level is None:
            raise refuse(
                "ASSESSMENT_ONLY_LISTED",
                "listing",
                "评估报告针对挂牌督办的重大隐患",
                "assessments are filed for hazards listed for supervision",
            )
        if _blank(summary):
            raise refuse(
                "FIELD_REQUIRED",
                "summary",
                "“评估结论”为必填项",
                "'conclusion of the assessment' is required",
            )
        self._emit(self.AssessmentFiled, ctx, summary=summary.strip())

    def verify(self, ctx: Context, *, accepted: bool, opinion: str) -> None:
        if self.status is not Status.RECTIFICATION_REPORTED:
            raise _status_refusal("复查", "verify", self.status)
        if ctx.actor.id == self.rectification_reporter:
            raise refuse(
                "SELF_VERIFICATION",
                "actor",
                "报告整改完成的人员不能复查自己报告的整改",
                "the person who reported the rectification may not verify it",
            )
        listed = self.listing_level is not None and self.delisted_at is None
        if listed and self.assessment_filed_at is None:
            raise refuse(
                "LISTED_NEEDS_ASSESSMENT",
                "assessment",
                "挂牌督办的重大隐患须先提交评估报告，再申请验收",
                "a listed hazard needs the enterprise's assessment before acceptance",
            )
        if _blank(opinion):
            raise refuse(
                "FIELD_REQUIRED",
                "opinion",
                "“复查意见”为必填项",
                "'verification opinion' is required",
            )
        self._emit(self.Verified, ctx, accepted=bool(accepted), opinion=opinion.strip())

    def close(self, ctx: Context) -> None:
        if self.status is not Status.VERIFIED:
            raise refuse(
                "CLOSE_WITHOUT_ACCEPTANCE",
                "status",
                f"隐患当前状态为“{STATUS_ZH[self.status]}”，须复查通过后方可销号",
                f"cannot close a case whose status is '{STATUS_EN[self.status]}': "
                "it needs an accepted verification",
            )
        violations = []
        if _blank(self.measures):
            violations.append(
                Violation(
                    "CLOSE_WITHOUT_MEASURES",
                    "measures",
                    "整改报告未写明整改措施，不能销号",
                    "cannot close: the rectification report states no measures",
                )
            )
        if self.completed_at is None:
            violations.append(
                Violation(
                    "CLOSE_WITHOUT_COMPLETION_TIME",
                    "completed_at",
                    "整改报告未写明完成时间，不能销号",
                    "cannot close: the rectification report states no completion time",
                )
            )
        if self.grade is Grade.MAJOR and self.plan is None:
            violations.append(
                Violation(
                    "MAJOR_NEEDS_PLAN",
                    "plan",
                    "重大事故隐患缺少治理方案",
                    "a major hazard needs a plan",
                )
            )
        if violations:
            raise RuleViolated(violations)
        self._emit(self.Closed, ctx, self_managed=ctx.actor.role is Role.ENTERPRISE)

    def reopen(self, ctx: Context, *, reason: str) -> None:
        if self.status is not Status.CLOSED:
            raise _status_refusal("重新打开", "reopen", self.status)
        if _blank(reason):
            raise refuse(
                "FIELD_REQUIRED",
                "reason",
                "“重新打开原因”为必填项",
                "'reason for reopening' is required",
            )
        self._emit(self.Reopened, ctx, reason=reason.strip())

    def dismiss(self, ctx: Context, *, reason: str) -> None:
        """Dismiss a false alarm (误报核销): only a sensor's report, only before grading.

        A graded case is a hazard someone judged real; it ends by rectification, never
        by being called a false alarm afterwards.
        """
        if self.status is not Status.REPORTED:
            raise refuse(
                "DISMISS_ONLY_UNGRADED",
                "status",
                f"隐患当前状态为“{STATUS_ZH[self.status]}”，只有尚未定级的误报可以核销",
                f"cannot dismiss a case whose status is '{STATUS_EN[self.status]}': only an "
                "ungraded false alarm is dismissed",
            )
        if self.source not in FALSE_ALARM_SOURCES:
            raise refuse(
                "DISMISS_ONLY_FALSE_ALARM",
                "source",
                "只有科技手段检测（传感器报警）上报的隐患可以作为误报核销；"
                "群众举报经核查不属实的，在举报办理中认定不属实",
                "only a hazard reported by a sensor can be dismissed as a false alarm; "
                "an untrue public report is found unfounded in the public-report lifecycle",
            )
        if _blank(reason):
            raise refuse(
                "FIELD_REQUIRED",
                "reason",
                "“误报核销理由”为必填项",
                "'reason for dismissing as a false alarm' is required",
            )
        self._emit(self.Dismissed, ctx, reason=reason.strip())
