"""The columns of the hazard ledger sheet, with their Chinese headers and rules.

Officials' own ledgers differ in detail but share these facts (see the seed reports);
the header row is matched by the Chinese header text, so columns may come in any order
and unknown columns are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone

SHEET = "隐患台账"
#: Times written without a zone in a workbook are Beijing time.
WORKBOOK_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

#: Short names officials use for the built-in sectors, accepted on import beside every
#: loaded sector's own Chinese name (which is what the template's drop-down offers).
SECTORS_ZH = {
    "危险化学品": "chemicals",
    "城镇燃气": "city_gas",
    "建筑施工": "construction",
    "消防": "fire",
    "特种设备": "special_equipment",
}
SOURCES_ZH = {
    "企业自查": "self_inspection",
    "网格排查": "grid_patrol",
    "县级核查": "county_verification",
    "专家会诊": "expert_diagnosis",
    "明查暗访": "unannounced_inspection",
    "日常检查": "routine_inspection",
    "科技手段": "sensor",
    "群众举报": "public_report",
}
GRADES_ZH = {"一般": "general", "重大": "major"}
MODES_ZH = {"当场整改": "on_spot", "限期整改": "deadline"}
OUTCOMES_ZH = {"通过": True, "不通过": False}
STATUSES_ZH = {
    "待定级": "reported",
    "待处置": "graded",
    "限期整改中": "assigned",
    "待复查": "rectification_reported",
    "待销号": "verified",
    "已销号": "closed",
}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text | datetime | choice | json | codes
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 14
    note: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "ref",
        "隐患编号",
        note="可不填。填写时本台账内唯一，重复导入以此识别同一隐患；不填时以企业、行业、"
        "发现时间、隐患部位和隐患描述识别，补填后续步骤时这几项不要改动",
    ),
    Column("credit_code", "统一社会信用代码", required=True, width=22),
    Column("enterprise_name", "企业名称", required=True, width=24),
    Column("region_code", "行政区划代码", required=True, width=12),
    Column("principal", "主要负责人", note="企业尚未登记时必填"),
    # The drop-down lists the loaded sectors (plugins add sectors); checked on import.
    Column("sector", "行业领域", "text", True),
    Column("source", "隐患来源", "choice", True, tuple(SOURCES_ZH)),
    Column("found_by", "发现人", required=True),
    Column("found_at", "发现时间", "datetime", True, width=18),
    Column("location", "隐患部位", required=True, width=18),
    Column("description", "隐患描述", required=True, width=30),
    Column("grade", "隐患等级", "choice", False, tuple(GRADES_ZH)),
    Column("criteria", "判定依据", "codes", note="重大隐患必填，多个用逗号分隔，如 CHEM-20"),
    Column("mode", "整改方式", "choice", False, tuple(MODES_ZH)),
    Column("department", "责任部门", width=20, note="限期整改时必填（双重交办）"),
    Column("assigned_at", "交办时间", "datetime", width=18, note="缺省为发现时间"),
    Column("deadline", "整改期限", "datetime", width=18),
    Column("requirements", "整改要求", width=24),
    Column("plan_goal", "治理目标和任务", width=20, note="重大隐患治理方案六项，均须填写"),
    Column("plan_methods", "治理方法和措施", width=20),
    Column("plan_funds", "经费和物资", width=16),
    Column("plan_people", "负责机构和人员", width=16),
    Column("plan_time", "治理时限和要求", width=16),
    Column("plan_safety", "安全措施和应急预案", width=20),
    Column("measures", "整改措施", width=24),
    Column("completed_at", "整改完成时间", "datetime", width=18),
    Column("reported_by", "整改报告人"),
    Column("verifier", "复查人"),
    Column("verified_at", "复查时间", "datetime", width=18),
    Column("outcome", "复查结论", "choice", False, tuple(OUTCOMES_ZH)),
    Column("opinion", "复查意见", width=20),
    Column("closer", "销号人"),
    Column("closed_at", "销号时间", "datetime", width=18),
    Column(
        "status", "状态", "choice", False, tuple(STATUSES_ZH), note="可不填；填写时须与各步骤一致"
    ),
    Column(
        "details",
        "行业字段",
        "json",
        width=30,
        note='在各行业分表中按列填写即可；此列为兼容旧台账，可填 JSON，如 {"场所类型": "餐饮场所"}',
    ),
)

BY_HEADER = {c.header: c for c in COLUMNS}
BY_KEY = {c.key: c for c in COLUMNS}
