"""Building and municipal construction (房屋市政工程): 建质规〔2024〕5号.

A construction hazard names its project and the project's construction permit
(施工许可证): the permit identifies who holds the site's safety duty, which is what an
accountability review must find.
"""

from __future__ import annotations

from collections.abc import Sequence

from plugins.catalogue import Catalogue
from plugins.spec import DetailField, Facts, ReportColumn, SectorSpec, Suggestion, hookimpl

from .catalogues.construction import (
    CONSTRUCTION_2024,
    GENERAL_CATEGORIES,
    LISTING,
    MAJOR_GRADE,
)
from .keywords import match_keywords

SECTOR = SectorSpec(
    code="construction",
    name_zh="房屋市政工程",
    name_en="Building and municipal construction",
    department_zh="住房和城乡建设主管部门",
    department_en="Housing and urban-rural development authority",
    details=(
        DetailField("project_name", "工程项目名称", "project name", example="城关镇安置房项目"),
        DetailField(
            "construction_permit_number",
            "施工许可证编号",
            "construction permit number",
            pattern=r"[0-9A-Za-z-]{8,40}",
            rule_zh="8–40 位数字、字母或连字符",
            rule_en="8-40 digits, letters or hyphens",
            example="6208262026000123",
        ),
    ),
    general_deadline_days=7,
    major_deadline_days=30,
    major_grade_zh=MAJOR_GRADE[0],
    major_grade_en=MAJOR_GRADE[1],
    general_categories=GENERAL_CATEGORIES,
    listing=LISTING,
)

KEYWORDS = (
    (("安全生产许可证", "超资质", "无资质"), "CONS-4-1"),
    (("专项施工方案",), "CONS-4-4"),
    (("超挖",), "CONS-5-2"),
    (("第三方监测",), "CONS-5-3"),
    (("连墙件",), "CONS-7-2"),
    (("防坠", "防倾覆"), "CONS-7-3"),
    (("未经验收", "使用登记"), "CONS-8-1"),
    (("限位", "安全装置"), "CONS-8-4"),
    (("吊篮",), "CONS-9-5"),
    (("安全电压",), "CONS-10-1"),
    (("外电", "架空线路"), "CONS-10-2"),
    (("有限空间",), "CONS-11-2"),
    (("堆载",), "CONS-14-1"),
    (("吊运人员",), "CONS-15-3"),
)


@hookimpl
def ledger_sectors() -> Sequence[SectorSpec]:
    return (SECTOR,)


@hookimpl
def ledger_catalogues() -> Sequence[Catalogue]:
    return (CONSTRUCTION_2024,)


@hookimpl
def ledger_suggest_criteria(facts: Facts) -> Sequence[Suggestion]:
    return match_keywords(KEYWORDS, facts)


@hookimpl
def ledger_report_columns() -> Sequence[ReportColumn]:
    return (
        ReportColumn("construction", "project_name", "工程项目名称", "Project"),
        ReportColumn(
            "construction", "construction_permit_number", "施工许可证编号", "Permit number"
        ),
    )
