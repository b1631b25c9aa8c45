"""The inspection (检查): who looked, where, when, how, and which hazards they found.

An inspection is recorded once, then each hazard it finds is linked to it, in the same
transaction as the hazard's report, so that "units inspected" and "hazards found" in
the sector statistics come from the same facts.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from .errors import RuleViolated, Violation, refuse
from .events import Context, LedgerAggregate


class InspectionType(StrEnum):
    ROUTINE = "routine"  # 日常检查
    SPECIAL = "special"  # 专项检查
    UNANNOUNCED = "unannounced"  # 四不两直、明查暗访
    JOINT = "joint"  # 联合检查
    EXPERT_DIAGNOSIS = "expert_diagnosis"  # 专家会诊
    SELF_INSPECTION = "self_inspection"  # 企业自查
    GRID_PATROL = "grid_patrol"  # 网格巡查
    COUNTY_VERIFICATION = "county_verification"  # 县级核查
    RE_INSPECTION = "re_inspection"  # 复查
    GUIDANCE = "guidance"  # 帮扶指导 (a visit to help, counted apart from enforcement)


class Inspection(LedgerAggregate):
    class Recorded(LedgerAggregate.Created):
        enterprise_code: str
        region_code: str
        sector: str
        inspection_type: InspectionType
        team: tuple[str, ...]
        location: str
        devices_checked: int
        summary: str

        def apply(self, i: Inspection) -> None:
            i.enterprise_code = self.enterprise_code
            i.region_code = self.region_code
            i.sector = self.sector
            i.inspection_type = self.inspection_type
            i.team = self.team
            i.location = self.location
            i.devices_checked = self.devices_checked
            i.summary = self.summary
            i.inspected_at = self.occurred_at
            i.hazard_ids = ()

    class HazardFound(LedgerAggregate.Event):
        case_id: UUID

        def apply(self, i: Inspection) -> None:
            i.hazard_ids = (*i.hazard_ids, self.case_id)

    if TYPE_CHECKING:
        enterprise_code: str
        region_code: str
        sector: str
        inspection_type: InspectionType
        team: tuple[str, ...]
        location: str
        devices_checked: int
        summary: str
        inspected_at: datetime
        hazard_ids: tuple[UUID, ...]

    @classmethod
    def record(
        cls,
        ctx: Context,
        *,
        enterprise_code: str,
        region_code: str,
        sector: str,
        inspection_type: InspectionType | str,
        team: tuple[str, ...],
        location: str = "",
        devices_checked: int = 0,
        summary: str = "",
        inspection_id: UUID | None = None,
    ) -> Inspection:
        violations = []
        try:
            inspection_type = InspectionType(inspection_type)
        except ValueError:
            violations.append(
                Violation(
                    "INSPECTION_TYPE_UNKNOWN",
                    "inspection_type",
                    f"未知的检查类型“{inspection_type}”",
                    f"unknown inspection type {inspection_type!r}",
                )
            )
        if not team or not all(m.strip() for m in team):
            violations.append(
                Violation(
                    "TEAM_REQUIRED", "team", "检查人员不能为空", "the team must name who inspected"
                )
            )
        if devices_checked < 0:
            violations.append(
                Violation(
                    "NEGATIVE_COUNT", "devices_checked", "检查设备数不能为负", "cannot be negative"
                )
            )
        if violations:
            raise RuleViolated(violations)
        inspection: Inspection = cls._create_with(
            cls.Recorded,
            ctx,
            id=inspection_id,
            enterprise_code=enterprise_code,
            region_code=region_code,
            sector=sector,
            inspection_type=inspection_type,
            team=tuple(m.strip() for m in team),
            location=location.strip(),
            devices_checked=devices_checked,
            summary=summary.strip(),
        )
        return inspection

    def record_hazard(self, ctx: Context, *, case_id: UUID) -> None:
        if case_id in self.hazard_ids:
            raise refuse(
                "HAZARD_ALREADY_LINKED", "case_id", "该隐患已关联本次检查", "already linked"
            )
        self._emit(self.HazardFound, ctx, case_id=case_id)
