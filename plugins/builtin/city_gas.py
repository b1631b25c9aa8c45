"""City gas (城镇燃气): 建城规〔2023〕4号, regulated by the city gas authority (住房和城乡建设).

A gas hazard at catering premises must record whether a gas leak alarm is installed:
restaurant explosions are the sector's most frequent mass-casualty accident, and the
alarm is the first thing an accountability review asks about.
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.commands import Command, ReportHazard
from ledger.errors import Violation
from ledger.read_model_spec import ReadModelSpec
from plugins.catalogue import Catalogue
from plugins.spec import DetailField, Facts, SectorSpec, Suggestion, hookimpl

from .catalogues.city_gas import (
    CITY_GAS_2023,
    GENERAL_CATEGORIES,
    LISTING,
    MAJOR_GRADE,
)
from .keywords import match_keywords
from .open_cases import case_list

PREMISES = ("restaurant", "station", "pipeline", "household", "cylinder_outlet", "other")
#: What people call each kind of premises (the codes above are what is recorded).
PREMISES_LABELS = {
    "restaurant": ("餐饮场所", "restaurant"),
    "station": ("燃气场站", "gas station or plant"),
    "pipeline": ("燃气管道设施", "gas pipeline"),
    "household": ("居民用户", "household user"),
    "cylinder_outlet": ("瓶装液化石油气供应站点", "LPG cylinder outlet"),
    "other": ("其他场所", "other premises"),
}

SECTOR = SectorSpec(
    code="city_gas",
    name_zh="城镇燃气",
    name_en="City gas",
    department_zh="城镇燃气管理部门（住房和城乡建设）",
    department_en="City gas authority (housing and urban-rural development)",
    details=(
        DetailField(
            "premises",
            "场所类型",
            "kind of premises",
            kind="choice",
            choices=PREMISES,
            choice_labels=PREMISES_LABELS,
            example="restaurant",
        ),
        DetailField(
            "leak_alarm_installed",
            "是否安装可燃气体泄漏报警装置",
            "whether a gas leak alarm is installed",
            kind="bool",
            required=False,
            example=False,
        ),
    ),
    general_deadline_days=15,
    major_deadline_days=60,
    major_grade_zh=MAJOR_GRADE[0],
    major_grade_en=MAJOR_GRADE[1],
    general_categories=GENERAL_CATEGORIES,
    listing=LISTING,
)

KEYWORDS = (
    (("液位", "压力显示", "罐容"), "GAS-06"),
    (("放散", "超压切断"), "GAS-07"),
    (("拉脱",), "GAS-08"),
    (("防爆",), "GAS-09"),
    (("浓度报警",), "GAS-10"),
    (("占压",), "GAS-11"),
    (("调压",), "GAS-13"),
    (("非自有气瓶", "充装"), "GAS-14"),
    (("臭味", "加臭"), "GAS-17"),
    (("卫生间",), "GAS-19"),
    (("卧室", "客房"), "GAS-20"),
    (("淘汰",), "GAS-21"),
)


@hookimpl
def ledger_sectors() -> Sequence[SectorSpec]:
    return (SECTOR,)


@hookimpl
def ledger_catalogues() -> Sequence[Catalogue]:
    return (CITY_GAS_2023,)


@hookimpl
def ledger_validate(command: Command) -> Sequence[Violation]:
    if not isinstance(command, ReportHazard):
        return ()
    details = command.details
    if details.get("premises") == "restaurant" and "leak_alarm_installed" not in details:
        return (
            Violation(
                "LEAK_ALARM_REQUIRED",
                "details.leak_alarm_installed",
                "餐饮场所的燃气隐患必须填写是否安装可燃气体泄漏报警装置",
                "a gas hazard at a restaurant must record whether a gas leak alarm is installed",
            ),
        )
    return ()


@hookimpl
def ledger_suggest_criteria(facts: Facts) -> Sequence[Suggestion]:
    return match_keywords(KEYWORDS, facts)


#: Gas hazards at restaurants recorded without a leak alarm: the list a gas department
#: works through after a restaurant explosion anywhere in the country.
NO_LEAK_ALARM = case_list(
    "city_gas_restaurants_without_alarm",
    "city_gas",
    ("premises",),
    keep=lambda d: d.get("premises") == "restaurant" and d.get("leak_alarm_installed") is False,
)


@hookimpl
def ledger_read_models() -> Sequence[ReadModelSpec]:
    return (NO_LEAK_ALARM,)
