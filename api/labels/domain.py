"""The names people read for the domain's codes, in Chinese and English.

Codes (``city_gas``, ``rectification_reported``, ``RectifiedOnSpot``) are recorded in
events and never renamed; people never read them. Where the domain already names a
code in Chinese (``STATUS_ZH``, ``KIND_ZH``, ``EVENT_ZH``, ``DUTY_ZH`` …) that name is
taken from there, and so is the English name where the domain writes messages with it
(``STATUS_EN``, ``KIND_EN``, ``EVENT_EN`` …), so a message the domain writes and a label
the page shows agree; the names the domain never needed live here.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from ledger.accident import LEVEL_EN as ACCIDENT_LEVEL_EN
from ledger.accident import LEVEL_ZH as ACCIDENT_LEVEL_ZH
from ledger.audit.model import EVENT_ZH, SEVERITY_ZH, Severity, event_name_en_of
from ledger.enforcement import ACTION_STATUS_NAMES, KIND_EN, KIND_ZH
from ledger.hazard import STATUS_EN, STATUS_ZH, Grade, ListingLevel, RectificationPlan, Source
from ledger.inspection import InspectionType
from ledger.measure import MEASURE_STATUS_ZH, MeasureCategory, MeasureStatus
from ledger.permissions import ROLE_NAMES
from ledger.public_report import REPORT_STATUS_EN, REPORT_STATUS_ZH, Channel
from ledger.responsibility import DUTY_ZH, Duty
from ledger.risk import (
    HAZARD_SOURCE_LEVEL_EN,
    HAZARD_SOURCE_LEVEL_ZH,
    RISK_COLOUR_EN,
    RISK_COLOUR_ZH,
    RISK_LEVEL_EN,
    RISK_LEVEL_ZH,
)

Pair = tuple[str, str]
"""(Chinese, English)."""


E = TypeVar("E", bound=StrEnum)


def _pairs(zh: Mapping[E, str], en: Mapping[E, str]) -> dict[str, Pair]:
    return {code.value: (zh[code], en[code]) for code in zh}


def _pairs_by_code(zh: Mapping[str, str], en: Mapping[str, str]) -> dict[str, Pair]:
    return {code: (name, en[code]) for code, name in zh.items()}


STATUS = _pairs(STATUS_ZH, STATUS_EN)

GRADE = _pairs(
    {Grade.GENERAL: "一般", Grade.MAJOR: "重大"},
    {Grade.GENERAL: "general", Grade.MAJOR: "major"},
)

SOURCE = _pairs(
    {
        Source.SELF_INSPECTION: "企业自查",
        Source.GRID_PATROL: "属地网格排查",
        Source.COUNTY_VERIFICATION: "县级核查",
        Source.EXPERT_DIAGNOSIS: "专家会诊",
        Source.UNANNOUNCED_INSPECTION: "明查暗访",
        Source.ROUTINE_INSPECTION: "日常执法检查",
        Source.SENSOR: "科技手段检测",
        Source.PUBLIC_REPORT: "群众举报",
    },
    {
        Source.SELF_INSPECTION: "enterprise self-inspection",
        Source.GRID_PATROL: "local grid patrol",
        Source.COUNTY_VERIFICATION: "county verification check",
        Source.EXPERT_DIAGNOSIS: "expert diagnosis",
        Source.UNANNOUNCED_INSPECTION: "unannounced inspection",
        Source.ROUTINE_INSPECTION: "routine inspection",
        Source.SENSOR: "sensor alert",
        Source.PUBLIC_REPORT: "public report",
    },
)

LISTING_LEVEL = _pairs(
    {ListingLevel.COUNTY: "县级", ListingLevel.CITY: "市级", ListingLevel.PROVINCE: "省级"},
    {ListingLevel.COUNTY: "county", ListingLevel.CITY: "city", ListingLevel.PROVINCE: "province"},
)

INSPECTION_TYPE = _pairs(
    {
        InspectionType.ROUTINE: "日常检查",
        InspectionType.SPECIAL: "专项检查",
        InspectionType.UNANNOUNCED: "明查暗访",
        InspectionType.JOINT: "联合检查",
        InspectionType.EXPERT_DIAGNOSIS: "专家会诊",
        InspectionType.SELF_INSPECTION: "企业自查",
        InspectionType.GRID_PATROL: "网格巡查",
        InspectionType.COUNTY_VERIFICATION: "县级核查",
        InspectionType.RE_INSPECTION: "复查",
        InspectionType.GUIDANCE: "帮扶指导",
    },
    {
        InspectionType.ROUTINE: "routine inspection",
        InspectionType.SPECIAL: "special inspection",
        InspectionType.UNANNOUNCED: "unannounced inspection",
        InspectionType.JOINT: "joint inspection",
        InspectionType.EXPERT_DIAGNOSIS: "expert diagnosis",
        InspectionType.SELF_INSPECTION: "self-inspection",
        InspectionType.GRID_PATROL: "grid patrol",
        InspectionType.COUNTY_VERIFICATION: "county verification check",
        InspectionType.RE_INSPECTION: "re-inspection",
        InspectionType.GUIDANCE: "guidance visit",
    },
)

KIND = _pairs(KIND_ZH, KIND_EN)

ACTION_STATUS: dict[str, Pair] = {
    status.value: pair for status, pair in ACTION_STATUS_NAMES.items()
}

DUTY = _pairs(
    DUTY_ZH,
    {
        Duty.DEPARTMENT_OFFICIAL: "official in charge at the competent department",
        Duty.GOVERNMENT_LEADER: "local government leader in charge",
    },
)

#: The roles' names are the permission table's (``ledger.permissions.ROLE_NAMES``), so a
#: refusal and the page name a role alike.
ROLE: dict[str, Pair] = {role.value: pair for role, pair in ROLE_NAMES.items()}

MEASURE_STATUS = _pairs(
    MEASURE_STATUS_ZH,
    {
        MeasureStatus.PLANNED: "planned",
        MeasureStatus.IN_PROGRESS: "in progress",
        MeasureStatus.COMPLETED: "completed",
    },
)

MEASURE_CATEGORY = _pairs(
    {MeasureCategory.INSTITUTIONAL: "制度措施", MeasureCategory.CAMPAIGN_TASK: "专项整治任务"},
    {
        MeasureCategory.INSTITUTIONAL: "institutional measure",
        MeasureCategory.CAMPAIGN_TASK: "campaign task",
    },
)

SEVERITY = _pairs(
    SEVERITY_ZH,
    {Severity.HIGH: "serious", Severity.MEDIUM: "significant", Severity.LOW: "minor"},
)

RISK_LEVEL = _pairs(RISK_LEVEL_ZH, RISK_LEVEL_EN)

#: The colours of the four-colour risk map (``ledger.risk.RISK_COLOUR``).
RISK_COLOUR = _pairs_by_code(RISK_COLOUR_ZH, RISK_COLOUR_EN)

#: Classes of a major hazard source (重大危险源, GB 18218; 一级 the most dangerous),
#: keyed by the class's number as text.
HAZARD_SOURCE_LEVEL = {
    str(level): (zh, HAZARD_SOURCE_LEVEL_EN[level]) for level, zh in HAZARD_SOURCE_LEVEL_ZH.items()
}

CHANNEL = _pairs(
    {
        Channel.HOTLINE: "12350 举报电话",
        Channel.ONLINE: "网络平台",
        Channel.LETTER: "信件",
        Channel.VISIT: "来访",
        Channel.REFERRED: "上级转办",
    },
    {
        Channel.HOTLINE: "12350 hotline",
        Channel.ONLINE: "online platform",
        Channel.LETTER: "letter",
        Channel.VISIT: "visit in person",
        Channel.REFERRED: "referred by a higher authority",
    },
)

REPORT_STATUS = _pairs(REPORT_STATUS_ZH, REPORT_STATUS_EN)

ACCIDENT_LEVEL = _pairs(ACCIDENT_LEVEL_ZH, ACCIDENT_LEVEL_EN)

MODE: dict[str, Pair] = {
    "on_spot": ("当场整改", "rectified on the spot"),
    "deadline": ("限期整改", "deadline rectification"),
}

PLAN_PART: dict[str, Pair] = {
    name: (zh, RectificationPlan.PART_NAMES_EN[name])
    for name, zh in RectificationPlan.PART_NAMES_ZH.items()
}

#: Events whose name means something else on another aggregate, by ``Aggregate.Event``
#: (the timeline names an event alone; ``Labels.event`` takes the aggregate when known).
_QUALIFIED: dict[str, Pair] = {
    "Accident.Recorded": ("记录事故", "accident recorded"),
    "PublicReport.Verified": ("核查举报", "report checked"),
    "RiskPoint.Registered": ("登记风险点", "risk point registered"),
}


def event_pair(name: str) -> Pair | None:
    """The names of an event type, or None when the domain gives it no Chinese name.

    Events added later get their Chinese name from the domain's ``EVENT_ZH`` (where the
    domain writes its messages) and an English one from their own name.
    """
    zh = EVENT_ZH.get(name)
    if zh is None:
        return None
    return zh, event_name_en_of(name)


def events() -> dict[str, Pair]:
    """Every event type the domain names in Chinese."""
    names = set(EVENT_ZH)
    named = {name: pair for name in sorted(names) if (pair := event_pair(name)) is not None}
    return named | _QUALIFIED


#: Titles of the fields people read: forms, registers, reports, case pages.
FIELD: dict[str, Pair] = {
    "id": ("编号", "number"),
    "case_id": ("案卷编号", "case number"),
    "extensions": ("延期次数", "extensions"),
    "plan_filed": ("已报治理方案", "plan filed"),
    "rectification_reporter": ("整改报告人", "rectification reported by"),
    "verified_by": ("复查人", "verified by"),
    "closed_by": ("销号人", "closed by"),
    "reopen_count": ("重新打开次数", "times reopened"),
    "description": ("隐患描述", "description"),
    "location": ("隐患部位", "location"),
    "enterprise": ("企业", "enterprise"),
    "enterprise_code": ("统一社会信用代码", "unified social credit code"),
    "enterprise_name": ("企业名称", "enterprise name"),
    "region_code": ("行政区划", "region"),
    "sector": ("行业领域", "sector"),
    "source": ("隐患来源", "source"),
    "found_by": ("发现人", "found by"),
    "found_at": ("发现时间", "found at"),
    "occurred_at": ("发生时间", "occurred at"),
    "recorded_at": ("记录时间", "recorded at"),
    "details": ("行业字段", "sector details"),
    "evidence": ("证据材料", "evidence"),
    "grade": ("隐患等级", "grade"),
    "criteria": ("判定依据", "criteria"),
    "catalogue_edition": ("标准版本", "catalogue edition"),
    "department": ("主管部门", "competent department"),
    "assigned_department": ("责任部门", "department assigned"),
    "deadline": ("整改期限", "deadline"),
    "requirements": ("整改要求", "requirements"),
    "measures": ("整改措施", "measures taken"),
    "completed_at": ("整改完成时间", "completed at"),
    "closed_at": ("销号时间", "closed at"),
    "accepted": ("复查结论", "verification result"),
    "opinion": ("复查意见", "opinion"),
    "reason": ("理由", "reason"),
    "approver": ("批准人", "approved by"),
    "new_deadline": ("新期限", "new deadline"),
    "previous_deadline": ("原期限", "previous deadline"),
    "level": ("督办层级", "listing level"),
    "listing_level": ("挂牌督办", "listed for supervision"),
    "authority": ("督办单位", "supervising authority"),
    "plan": ("治理方案", "rectification plan"),
    "controls": ("监控防范措施", "interim controls"),
    "summary": ("评估结论", "assessment summary"),
    "inspection_id": ("检查记录", "inspection"),
    "inspection_type": ("检查类型", "inspection type"),
    "status": ("状态", "status"),
    "version": ("版本", "version"),
    "event": ("事项", "event"),
    "actor": ("操作人", "actor"),
    "late": ("补录", "late entry"),
    "justification": ("补录原因", "justification"),
    "overdue": ("逾期未整改", "overdue"),
    "overdue_days": ("逾期天数", "days overdue"),
    "kind": ("执法类型", "enforcement kind"),
    "document_number": ("文书编号", "document number"),
    "amount": ("罚款金额（元）", "fine (CNY)"),
    "legal_basis": ("法律依据", "legal basis"),
    "role": ("角色", "role"),
    "duty": ("职责", "duty"),
    "units_inspected": ("检查单位", "units inspected"),
    "inspections": ("检查次数", "inspections"),
    "devices_checked": ("检查设备", "devices checked"),
    "hazards_found": ("排查隐患", "hazards found"),
    "rectified_on_spot": ("立查立改", "rectified on the spot"),
    "deadline_rectifications": ("限期整改", "deadline rectifications"),
    "rectified": ("已整改", "rectified so far"),
    "rectification_rate": ("整改率", "rectification rate"),
    "major_found": ("重大隐患", "major hazards found"),
    "major_rectified": ("重大隐患已整改", "major hazards rectified"),
    "major_open": ("重大隐患未清零", "major hazards open"),
    "fines_count": ("罚款次数", "fines"),
    "fines_amount": ("罚款金额（元）", "fines amount (CNY)"),
    "stop_work_notices": ("停工通知", "stop-work notices"),
    "directives": ("指令书", "directives"),
    "documents_issued": ("执法文书", "documents issued"),
    "rank": ("名次", "rank"),
    "unit": ("单位", "unit"),
    "index": ("动态评价指数", "evaluation index"),
    "title": ("措施/任务", "measure / task"),
    "category": ("类别", "category"),
    "self_managed": ("企业自主管理", "self-managed by the enterprise"),
    "device_code": ("设备编号", "device number"),
    "site_part": ("停用部位", "part of the site"),
    "control_id": ("管控措施编号", "control number"),
    "owner_department": ("牵头单位", "lead department"),
    "due": ("完成时限", "due"),
    "timetable": ("时间表和路线图", "timetable and road map"),
    "total": ("合计", "total"),
    "month": ("月份", "month"),
    # what an order covers and what became of it (device-level orders, fines)
    "quantity": ("数量", "quantity"),
    "fine_amount": ("罚款金额（元）", "fine (CNY)"),
    "amount_paid": ("已缴罚款（元）", "fine paid (CNY)"),
    "case_ids": ("涉及隐患", "cases concerned"),
    "note": ("说明", "note"),
    # enterprises, posts and inspections
    "name": ("名称", "name"),
    "credit_code": ("统一社会信用代码", "unified social credit code"),
    "address": ("地址", "address"),
    "principal": ("主要负责人", "principal person in charge"),
    "sectors": ("行业领域", "sectors"),
    "holder": ("责任人", "post holder"),
    "organisation": ("所在单位", "organisation"),
    "team": ("检查人员", "inspection team"),
    # risk points
    "control": ("管控措施", "control"),
    "hazard_source": ("重大危险源", "major hazard source"),
    "previous_level": ("原风险等级", "previous risk level"),
    "risk_level": ("风险等级", "risk level"),
    "colour": ("颜色", "colour"),
    # public reports
    "channel": ("举报渠道", "channel"),
    "content": ("举报内容", "report content"),
    "findings": ("查证情况", "findings"),
    "reasons": ("理由", "reasons"),
    "identity": ("举报人身份", "reporter identity"),
    "purpose": ("查阅目的", "purpose"),
    "receiving_organisation": ("受理单位", "receiving organisation"),
    # accidents
    "place": ("事故地点", "place"),
    "deaths": ("死亡人数", "deaths"),
    "serious_injuries": ("重伤人数", "serious injuries"),
    "direct_loss": ("直接经济损失（元）", "direct economic loss (CNY)"),
    "accident_level": ("事故等级", "accident level"),
    # redactions
    "fields": ("遮蔽字段", "fields redacted"),
    "payload_hash": ("原内容摘要", "digest of the original content"),
    "target_id": ("遮蔽对象", "record redacted"),
    "target_seq": ("遮蔽事件序号", "sequence of the event redacted"),
    "target_version": ("遮蔽事件版本", "version of the event redacted"),
}
