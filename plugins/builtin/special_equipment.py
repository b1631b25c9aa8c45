"""Special equipment (特种设备): GB 45067-2024, regulated by market supervision (特种设备安全监管).

A special-equipment hazard names its device: the registration code identifies the
unit's use registration (使用登记), and the device type decides which part of GB 45067
clause 4 may be cited — an elevator hazard cannot be graded major under a boiler item.
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.commands import Command, GradeHazard
from ledger.errors import Violation
from ledger.events import LedgerAggregate
from ledger.read_model_spec import ReadModelSpec
from plugins.catalogue import Catalogue
from plugins.spec import DetailField, Facts, ReportColumn, SectorSpec, Suggestion, hookimpl

from .catalogues.special_equipment import (
    GENERAL_CATEGORIES,
    LISTING,
    MAJOR_GRADE,
    SPECIAL_EQUIPMENT_2024,
)
from .keywords import match_keywords
from .open_cases import case_list

#: Device type -> (Chinese name, criterion code prefixes that may be cited for it).
DEVICE_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "boiler": ("锅炉", ("SE-BLR-",)),
    "pressure_vessel": ("压力容器", ("SE-PV-", "SE-FIL-")),
    "pressure_piping": ("压力管道", ("SE-PIP-",)),
    "gas_cylinder": ("气瓶", ("SE-FIL-",)),
    "elevator": ("电梯", ("SE-ELV-",)),
    "crane": ("起重机械", ("SE-CRN-",)),
    "ropeway": ("客运索道", ("SE-RPW-",)),
    "amusement_ride": ("大型游乐设施", ("SE-AMU-",)),
    "field_vehicle": ("场（厂）内专用机动车辆", ("SE-VEH-",)),
}
GENERAL = "SE-GEN-"
#: English names of the kinds of device (the Chinese ones are in ``DEVICE_TYPES``).
DEVICE_TYPES_EN = {
    "boiler": "boiler",
    "pressure_vessel": "pressure vessel",
    "pressure_piping": "pressure piping",
    "gas_cylinder": "gas cylinder",
    "elevator": "elevator",
    "crane": "lifting appliance",
    "ropeway": "passenger ropeway",
    "amusement_ride": "large amusement ride",
    "field_vehicle": "in-plant motor vehicle",
}

SECTOR = SectorSpec(
    code="special_equipment",
    name_zh="特种设备",
    name_en="Special equipment",
    department_zh="市场监督管理部门（特种设备安全监察）",
    department_en="Market regulation authority (special equipment safety)",
    details=(
        DetailField(
            "device_registration_code",
            "设备代码或使用登记证编号",
            "device code or use-registration number",
            pattern=r"[0-9A-Za-z\u4e00-\u9fff()（）-]{6,40}",
            rule_zh="6–40 位数字、字母、汉字或括号",
            rule_en="6-40 digits, letters, Chinese characters or brackets",
            example="3110620820190001",
        ),
        DetailField(
            "device_type",
            "设备种类",
            "kind of device",
            kind="choice",
            choices=tuple(DEVICE_TYPES),
            choice_labels={
                code: (zh, DEVICE_TYPES_EN[code]) for code, (zh, _) in DEVICE_TYPES.items()
            },
            example="elevator",
        ),
    ),
    general_deadline_days=15,
    major_deadline_days=60,
    has_devices=True,
    major_grade_zh=MAJOR_GRADE[0],
    major_grade_en=MAJOR_GRADE[1],
    general_categories=GENERAL_CATEGORIES,
    listing=LISTING,
)

KEYWORDS = (
    (("超期未检", "未检验", "检验不合格"), "by-device:inspection"),
    (("安全阀",), "SE-BLR-03"),
    (("门锁", "短接"), "SE-ELV-02"),
    (("限速器", "安全钳"), "SE-ELV-03"),
    (("急停",), "SE-CRN-03"),
    (("起重量限制器", "力矩限制器"), "SE-CRN-04"),
)

#: The periodic-inspection item of each device type (定期检验结论不合格仍继续使用).
INSPECTION_ITEM = {
    "boiler": "SE-BLR-01",
    "pressure_vessel": "SE-PV-01",
    "pressure_piping": "SE-PIP-01",
    "elevator": "SE-ELV-01",
    "crane": "SE-CRN-02",
    "ropeway": "SE-RPW-01",
    "amusement_ride": "SE-AMU-01",
    "field_vehicle": "SE-VEH-01",
}


@hookimpl
def ledger_sectors() -> Sequence[SectorSpec]:
    return (SECTOR,)


@hookimpl
def ledger_catalogues() -> Sequence[Catalogue]:
    return (SPECIAL_EQUIPMENT_2024,)


@hookimpl
def ledger_validate(command: Command, subject: LedgerAggregate | None) -> Sequence[Violation]:
    if not isinstance(command, GradeHazard) or subject is None:
        return ()
    device = getattr(subject, "details", {}).get("device_type")
    if device not in DEVICE_TYPES:
        return ()
    name_zh, prefixes = DEVICE_TYPES[device]
    wrong = [code for code in command.criteria if not code.startswith((GENERAL, *prefixes))]
    if not wrong:
        return ()
    return (
        Violation(
            "CRITERION_DEVICE_MISMATCH",
            "criteria",
            f"判定依据 {', '.join(wrong)} 不适用于{name_zh}",
            f"criteria {', '.join(wrong)} do not apply to a device of type {device}",
        ),
    )


@hookimpl
def ledger_suggest_criteria(facts: Facts) -> Sequence[Suggestion]:
    device = facts.details.get("device_type")
    found = []
    for suggestion in match_keywords(KEYWORDS, facts):
        if suggestion.code == "by-device:inspection":
            code = INSPECTION_ITEM.get(str(device))
            if code is None:
                continue
            suggestion = Suggestion(code, suggestion.reason_zh, suggestion.reason_en)
        prefixes = DEVICE_TYPES.get(str(device), ("", ()))[1]
        if not prefixes or suggestion.code.startswith((GENERAL, *prefixes)):
            found.append(suggestion)
    return found


@hookimpl
def ledger_report_columns() -> Sequence[ReportColumn]:
    return (
        ReportColumn("special_equipment", "device_registration_code", "设备代码", "Device code"),
        ReportColumn("special_equipment", "device_type", "设备种类", "Device type"),
    )


#: Every special-equipment hazard with its device: the market-regulation department's
#: device-by-device view (which registered devices carry open hazards).
DEVICE_HAZARDS = case_list(
    "special_equipment_device_hazards",
    "special_equipment",
    ("device_registration_code", "device_type"),
)


@hookimpl
def ledger_read_models() -> Sequence[ReadModelSpec]:
    return (DEVICE_HAZARDS,)
