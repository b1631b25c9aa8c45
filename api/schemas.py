"""Request and response bodies: the OpenAPI document is generated from these.

Field descriptions carry the domain's Chinese terms so that the generated document
reads well to the officials' IT staff.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ledger.enforcement import ActionKind
from ledger.hazard import Grade, ListingLevel, Source
from ledger.inspection import InspectionType
from ledger.responsibility import Duty


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Timed(Body):
    occurred_at: AwareDatetime = Field(
        description="Business time: when it happened (发生时间), with a time zone."
    )
    justification: str | None = Field(
        None,
        description="Why the entry is late (补录原因); required beyond 7 days.",
        max_length=2000,
    )


class Versioned(Timed):
    expected_version: int | None = Field(
        None, ge=1, description="The case version you acted on; stale writes are refused (409)."
    )


class PersonBody(Body):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=64)
    phone: str = Field("", max_length=32)


class RegisterEnterprise(Timed):
    credit_code: str = Field(description="统一社会信用代码 (GB 32100)", min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    region_code: str = Field(
        description="Division code: 6 digits (county), 9 (township) or 12 (village)", max_length=12
    )
    sectors: list[str] = Field(min_length=1, max_length=10)
    principal: PersonBody
    address: str = Field("", max_length=500)


class ChangePrincipal(Timed):
    principal: PersonBody
    expected_version: int | None = Field(None, ge=1)


class AssignResponsibility(Timed):
    duty: Duty
    region_code: str = Field(max_length=12)
    sector: str = Field("", max_length=64)
    organisation: str = Field(min_length=1, max_length=200)
    title: str = Field("", max_length=200)
    holder: PersonBody


class RecordInspection(Timed):
    enterprise_code: str = Field(max_length=32)
    sector: str = Field(max_length=64)
    inspection_type: InspectionType
    team: list[str] = Field(min_length=1, max_length=50)
    location: str = Field("", max_length=500)
    devices_checked: int = Field(0, ge=0, le=1_000_000)
    summary: str = Field("", max_length=5000)


class RecordAccident(Timed):
    """A production-safety accident (生产安全事故); ``occurred_at`` is when it happened."""

    enterprise_code: str = Field(max_length=32)
    sector: str = Field(max_length=64)
    place: str = Field(min_length=1, max_length=500, description="事故地点")
    description: str = Field(min_length=1, max_length=5000, description="事故简要经过")
    deaths: int = Field(0, ge=0, le=100_000, description="死亡人数")
    serious_injuries: int = Field(0, ge=0, le=100_000, description="重伤人数（包括急性工业中毒）")
    direct_loss: Decimal = Field(
        Decimal(0),
        ge=0,
        le=Decimal("1000000000000"),
        decimal_places=2,
        description="直接经济损失（元）",
    )


class ReportHazard(Timed):
    enterprise_code: str = Field(max_length=32)
    sector: str = Field(max_length=64)
    location: str = Field(max_length=500)
    description: str = Field(max_length=5000)
    source: Source
    found_by: str = Field("", max_length=200)
    inspection_id: UUID | None = None
    evidence: list[str] = Field(default_factory=list, max_length=100)
    details: dict[str, Any] = Field(default_factory=dict)


class GradeHazard(Versioned):
    grade: Grade
    criteria: list[str] = Field(default_factory=list, max_length=50)
    catalogue_edition: str | None = Field(None, max_length=64)
    category: str | None = Field(
        None, max_length=32, description="一般隐患类别（行业声明的代码，如 GAS-G02）"
    )


class RectifyOnSpot(Versioned):
    measures: str = Field(max_length=5000)
    evidence: list[str] = Field(default_factory=list, max_length=100)


class AssignRectification(Versioned):
    department: str = Field(max_length=200, description="Competent department (双重交办)")
    deadline: AwareDatetime
    requirements: str = Field(max_length=5000)


class PlanBody(Body):
    goal_and_tasks: str = Field(max_length=5000)
    methods_and_measures: str = Field(max_length=5000)
    funds_and_materials: str = Field(max_length=5000)
    organisation_and_people: str = Field(max_length=5000)
    time_limit_and_requirements: str = Field(max_length=5000)
    safety_and_emergency: str = Field(max_length=5000)


class FilePlan(Versioned):
    plan: PlanBody


class InterimControls(Versioned):
    controls: str = Field(max_length=5000)


class ExtendDeadline(Versioned):
    new_deadline: AwareDatetime
    reason: str = Field(max_length=2000)
    approver: str = Field(max_length=200)


class ListForSupervision(Versioned):
    level: ListingLevel
    authority: str = Field(max_length=200)


class Escalate(Versioned):
    level: str = Field(max_length=64)
    reason: str = Field(max_length=2000)


class ReportRectification(Versioned):
    measures: str | None = Field(None, max_length=5000, description="整改措施 (mandatory)")
    completed_at: AwareDatetime | None = Field(None, description="整改完成时间 (mandatory)")
    evidence: list[str] = Field(default_factory=list, max_length=100)


class FileAssessment(Versioned):
    summary: str = Field(max_length=5000)


class Verify(Versioned):
    accepted: bool
    opinion: str = Field(max_length=5000)


class Reopen(Versioned):
    reason: str = Field(max_length=2000)


class Dismiss(Versioned):
    reason: str = Field(max_length=2000, description="误报核销理由")


class IssueAction(Timed):
    kind: ActionKind
    document_number: str = Field(max_length=100, description="文书编号")
    enterprise_code: str = Field(max_length=32)
    sector: str = Field(max_length=64)
    department: str = Field(max_length=200)
    legal_basis: str = Field(max_length=1000)
    case_ids: list[UUID] = Field(default_factory=list, max_length=100)
    fine_amount: Decimal | None = Field(None, ge=0, le=Decimal("100000000"), decimal_places=2)
    description: str = Field("", max_length=5000)
    device_code: str = Field("", max_length=64, description="责令停止使用的设备（注册代码）")
    site_part: str = Field("", max_length=200, description="责令停工的场所部位")
    quantity: Decimal | None = Field(
        None, gt=0, le=Decimal("1000000000"), decimal_places=3, description="没收、查封的数量"
    )
    unit: str = Field("", max_length=10, description="数量的计量单位（箱、吨、件）")


class ExecuteAction(Versioned):
    amount_paid: Decimal | None = Field(None, ge=0, le=Decimal("100000000"), decimal_places=2)
    note: str = Field("", max_length=2000)


class EndAction(Versioned):
    reason: str = Field(max_length=2000)


class RecordObservedActivity(Versioned):
    description: str = Field(max_length=5000, description="检查发现被停对象仍在运行的情况")
    inspection_id: UUID | None = Field(None, description="发现该情况的检查")
    evidence: list[str] = Field(default_factory=list, max_length=100)


class CommandResult(BaseModel):
    id: UUID
    version: int


class TimelineEvent(BaseModel):
    version: int
    event: str
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    actor_id: str
    actor_role: str
    late: bool
    late_by_days: int
    justification: str | None
    changes: dict[str, Any]


class CaseView(BaseModel):
    id: UUID
    version: int
    status: str
    grade: str | None
    criteria: list[str]
    sector: str
    region_code: str
    enterprise_code: str
    enterprise_name: str
    location: str
    description: str
    source: str
    found_by: str
    found_at: datetime
    deadline: datetime | None
    overdue: bool
    overdue_days: int
    extensions: int
    assigned_department: str | None
    listing_level: str | None
    plan_filed: bool
    measures: str | None
    completed_at: datetime | None
    rectification_reporter: str | None
    verified_by: str | None
    closed_by: str | None
    closed_at: datetime | None
    reopen_count: int


class Health(BaseModel):
    status: str
    """"ok", or "degraded" when a read model has set events aside (see ``quarantined``)."""
    store: str
    events: int
    quarantined: dict[str, int] = {}
    """Events each read model could not apply and set aside (``ledger quarantine``)."""
