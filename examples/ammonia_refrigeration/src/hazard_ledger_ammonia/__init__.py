"""Ammonia refrigeration (涉氨制冷) as a hazard-ledger sector, packaged separately.

Liquid ammonia is the refrigerant of most cold stores and meat plants; its leaks and
explosions (吉林宝源丰 2013, 121 dead; 上海翁牌 2013, 15 dead) are why the industry-and-
trade standard lists two ammonia items as major hazards. This package is a complete
third-party plugin: it imports from the plugin author's module (``plugins.authoring``)
and nothing else of the ledger, and is found through its entry point in
``hazard_ledger.sectors``.
"""

from __future__ import annotations

from collections.abc import Sequence

from plugins.authoring import (
    AuditRule,
    Catalogue,
    Command,
    DetailField,
    Facts,
    GradeHazard,
    LedgerAggregate,
    ReadModelSpec,
    ReportColumn,
    ReportHazard,
    SectorSpec,
    Suggestion,
    Violation,
    hookimpl,
)

from .audit import MajorAmmoniaHazardOpen
from .catalogues import EDITION_2017, EDITION_2023
from .read_model import CHARGE_AT_RISK

SECTOR = SectorSpec(
    code="ammonia_refrigeration",
    name_zh="涉氨制冷",
    name_en="Ammonia refrigeration",
    department_zh="应急管理部门",
    department_en="Emergency management department",
    details=(
        DetailField(
            "ammonia_charge_kg",
            "液氨充装量（千克）",
            "ammonia charge (kg)",
            kind="number",
            example=4500,
        ),
        DetailField(
            "system",
            "制冷系统形式",
            "kind of refrigeration system",
            kind="choice",
            choices=("direct_evaporation", "indirect"),
            choice_labels={
                "direct_evaporation": ("氨直接蒸发制冷", "direct ammonia evaporation"),
                "indirect": ("氨间接制冷（载冷剂）", "indirect, through a secondary coolant"),
            },
            example="indirect",
        ),
    ),
    general_deadline_days=15,
    major_deadline_days=60,
)

DIRECT_EVAPORATION_ITEM = "AMM-01"


@hookimpl
def ledger_sectors() -> Sequence[SectorSpec]:
    return (SECTOR,)


@hookimpl
def ledger_catalogues() -> Sequence[Catalogue]:
    return (EDITION_2017, EDITION_2023)


@hookimpl
def ledger_validate(command: Command, subject: LedgerAggregate | None) -> Sequence[Violation]:
    found: list[Violation] = []
    if isinstance(command, ReportHazard):
        charge = command.details.get("ammonia_charge_kg")
        if isinstance(charge, int | float) and not isinstance(charge, bool) and charge < 0:
            found.append(
                Violation(
                    "AMMONIA_CHARGE_NEGATIVE",
                    "details.ammonia_charge_kg",
                    "液氨充装量不能为负数",
                    "the ammonia charge cannot be negative",
                )
            )
    if isinstance(command, GradeHazard) and subject is not None:
        system = getattr(subject, "details", {}).get("system")
        if DIRECT_EVAPORATION_ITEM in command.criteria and system == "indirect":
            found.append(
                Violation(
                    "CRITERION_CONTRADICTS_RECORD",
                    "criteria",
                    "该隐患记录的制冷系统为间接制冷，不能依据“氨直接蒸发制冷”条款定级",
                    "the hazard's record says the system is indirect, so the "
                    "direct-evaporation item cannot be cited",
                )
            )
    return found


@hookimpl
def ledger_suggest_criteria(facts: Facts) -> Sequence[Suggestion]:
    text = f"{facts.location}{facts.description}"
    found = []
    if "直接蒸发" in text or facts.details.get("system") == "direct_evaporation":
        found.append(
            Suggestion("AMM-01", "记录为氨直接蒸发制冷", "recorded as direct ammonia evaporation")
        )
    if "速冻" in text or "快速冻结" in text:
        found.append(
            Suggestion("AMM-02", "隐患描述提到速冻装置", "the description mentions freezers")
        )
    return found


@hookimpl
def ledger_read_models() -> Sequence[ReadModelSpec]:
    return (CHARGE_AT_RISK,)


@hookimpl
def ledger_audit_rules() -> Sequence[AuditRule]:
    return (MajorAmmoniaHazardOpen(),)


@hookimpl
def ledger_report_columns() -> Sequence[ReportColumn]:
    return (
        ReportColumn(
            "ammonia_refrigeration", "ammonia_charge_kg", "液氨充装量（千克）", "Charge (kg)"
        ),
        ReportColumn("ammonia_refrigeration", "system", "制冷系统形式", "System"),
    )
