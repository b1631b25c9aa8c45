"""Hazardous chemicals, with fireworks (危险化学品、烟花爆竹): 安监总管三〔2017〕121号.

One document, two catalogues: the chemicals standard and the fireworks standard were
issued together and are regulated by the same emergency management department, so
they are one sector with two catalogues in force side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

from plugins.catalogue import Catalogue
from plugins.spec import DetailField, Facts, SectorSpec, Suggestion, hookimpl

from .catalogues.chemicals import (
    CHEMICALS_2017,
    FIREWORKS_2017,
    GENERAL_CATEGORIES,
    LISTING,
    MAJOR_GRADE,
)
from .keywords import match_keywords

SECTOR = SectorSpec(
    code="chemicals",
    name_zh="危险化学品（含烟花爆竹）",
    name_en="Hazardous chemicals (with fireworks)",
    department_zh="应急管理部门",
    department_en="Emergency management department",
    details=(
        DetailField(
            "major_hazard_source",
            "是否涉及重大危险源",
            "whether a major hazard installation is involved",
            kind="bool",
            required=False,
            example=True,
        ),
    ),
    general_deadline_days=30,
    major_deadline_days=90,
    major_grade_zh=MAJOR_GRADE[0],
    major_grade_en=MAJOR_GRADE[1],
    general_categories=GENERAL_CATEGORIES,
    listing=LISTING,
)

KEYWORDS = (
    (("考核合格",), "CHEM-01"),
    (("特种作业",), "CHEM-02"),
    (("紧急切断",), "CHEM-05"),
    (("万向",), "CHEM-07"),
    (("报警器", "检测报警", "防爆电气"), "CHEM-12"),
    (("双重电源", "不间断电源"), "CHEM-14"),
    (("安全阀", "爆破片"), "CHEM-15"),
    (("操作规程",), "CHEM-17"),
    (("动火", "受限空间"), "CHEM-18"),
    (("禁配", "混存", "混放", "超量"), "CHEM-20"),
    (("超药量", "超核定药量"), "FWK-05"),
    (("超人数", "超核定人数"), "FWK-04"),
)


@hookimpl
def ledger_sectors() -> Sequence[SectorSpec]:
    return (SECTOR,)


@hookimpl
def ledger_catalogues() -> Sequence[Catalogue]:
    return (CHEMICALS_2017, FIREWORKS_2017)


@hookimpl
def ledger_suggest_criteria(facts: Facts) -> Sequence[Suggestion]:
    return match_keywords(KEYWORDS, facts)
