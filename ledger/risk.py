"""Risk points (风险点) under dual prevention (双重预防): the risk side of the ledger.

Hazards are what went wrong; risk points are where things can go wrong and what is done
to keep them from it. An enterprise identifies its risk points, assesses each one's
level (重大/较大/一般/低风险, shown red/orange/yellow/blue: 红/橙/黄/蓝) and keeps controls
(管控措施) on it. A risk point may also be a major hazard source (重大危险源, 一级 to 四级,
GB 18218) with its three people in charge (包保责任人: 主要负责人, 技术负责人, 操作负责人).

A hazard found later may cite the control that failed: the link is an event on the risk
point (the case is not changed), so "which risk points have open hazards" is a question
of the read model, and a control's failure history survives the control's retirement.
Controls have ids (C1, C2, ...) numbered per risk point in the order they were added and
never reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from .codes import region_code_violations
from .enterprise import Person
from .errors import RuleViolated, Violation, refuse
from .events import Context, LedgerAggregate


class RiskLevel(StrEnum):
    """The four risk levels of 双重预防, highest first."""

    MAJOR = "major"  # 重大风险, 红
    LARGER = "larger"  # 较大风险, 橙
    GENERAL = "general"  # 一般风险, 黄
    LOW = "low"  # 低风险, 蓝


RISK_LEVEL_ZH = {
    RiskLevel.MAJOR: "重大风险",
    RiskLevel.LARGER: "较大风险",
    RiskLevel.GENERAL: "一般风险",
    RiskLevel.LOW: "低风险",
}

#: What people reading English call each level; the label catalogue's ``risk_level``
#: group is this table and ``RISK_LEVEL_ZH``, so a refusal and the page agree.
RISK_LEVEL_EN = {
    RiskLevel.MAJOR: "major risk",
    RiskLevel.LARGER: "larger risk",
    RiskLevel.GENERAL: "general risk",
    RiskLevel.LOW: "low risk",
}

#: The colour each level is shown in on a four-colour risk map (四色图).
RISK_COLOUR = {
    RiskLevel.MAJOR: "red",
    RiskLevel.LARGER: "orange",
    RiskLevel.GENERAL: "yellow",
    RiskLevel.LOW: "blue",
}
RISK_COLOUR_ZH = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}
#: The codes happen to be the English words; the names are written all the same, so a
#: colour added to the map without an English name fails where it is named.
RISK_COLOUR_EN = {"red": "red", "orange": "orange", "yellow": "yellow", "blue": "blue"}

#: Order for listing, highest risk first.
RISK_RANK = {level: rank for rank, level in enumerate(RiskLevel)}

#: 重大危险源 levels (GB 18218): 一级 is the most dangerous.
HAZARD_SOURCE_LEVEL_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
HAZARD_SOURCE_LEVEL_EN = {1: "class 1", 2: "class 2", 3: "class 3", 4: "class 4"}


@dataclass(frozen=True, slots=True)
class HazardSource:
    """A major hazard source (重大危险源): its level and its three 包保责任人."""

    level: int
    principal: Person  # 主要负责人
    technical: Person  # 技术负责人
    operational: Person  # 操作负责人


@dataclass(frozen=True, slots=True)
class Control:
    """A control (管控措施) on a risk point; ``retired`` once it no longer applies."""

    id: str
    description: str
    retired: bool = False


def level_violation(level: str) -> Violation | None:
    try:
        RiskLevel(level)
    except ValueError:
        return Violation(
            "RISK_LEVEL_UNKNOWN",
            "level",
            "风险等级只能是重大（major）、较大（larger）、一般（general）或低（low）",
            "level must be major, larger, general or low",
        )
    return None


def _required(name: str, zh: str, en: str) -> Violation:
    """``name`` was left empty: named as the form names it, “{zh}” / '{en}'."""
    return Violation("FIELD_REQUIRED", name, f"“{zh}”为必填项", f"'{en}' is required")


def hazard_source_violations(source: HazardSource | None) -> list[Violation]:
    """A major hazard source needs its level (1-4) and all three people in charge."""
    if source is None:
        return []
    out: list[Violation] = []
    if source.level not in HAZARD_SOURCE_LEVEL_ZH:
        out.append(
            Violation(
                "HAZARD_SOURCE_LEVEL",
                "hazard_source_level",
                "重大危险源等级只能是一级至四级（1-4）",
                "a major hazard source's level is 1 to 4",
            )
        )
    for name, zh, person in (
        ("responsible_principal", "主要负责人", source.principal),
        ("responsible_technical", "技术负责人", source.technical),
        ("responsible_operational", "操作负责人", source.operational),
    ):
        if not person.name.strip() or not person.id.strip():
            out.append(
                Violation(
                    "HAZARD_SOURCE_RESPONSIBLE_REQUIRED",
                    name,
                    f"重大危险源必须登记包保责任人中的{zh}（姓名和身份标识）",
                    f"a major hazard source needs its {name.split('_')[1]} person in charge "
                    "(name and id)",
                )
            )
    return out


class RiskPoint(LedgerAggregate):
    """One risk point at an enterprise, its level over time and its controls."""

    class Registered(LedgerAggregate.Created):
        enterprise_code: str
        region_code: str
        sector: str
        name: str
        location: str
        level: RiskLevel
        controls: tuple[Control, ...]
        hazard_source: HazardSource | None

        def apply(self, r: RiskPoint) -> None:
            r.enterprise_code = self.enterprise_code
            r.region_code = self.region_code
            r.sector = self.sector
            r.name = self.name
            r.location = self.location
            r.level = self.level
            r.controls = self.controls
            r.hazard_source = self.hazard_source
            r.registered_at = self.occurred_at
            r.assessed_at = self.occurred_at
            r.cited = ()

    class Reassessed(LedgerAggregate.Event):
        previous_level: RiskLevel
        level: RiskLevel
        reason: str

        def apply(self, r: RiskPoint) -> None:
            r.level = self.level
            r.assessed_at = self.occurred_at

    class ControlAdded(LedgerAggregate.Event):
        control: Control

        def apply(self, r: RiskPoint) -> None:
            r.controls = (*r.controls, self.control)

    class ControlRetired(LedgerAggregate.Event):
        control_id: str
        reason: str

        def apply(self, r: RiskPoint) -> None:
            r.controls = tuple(
                Control(c.id, c.description, True) if c.id == self.control_id else c
                for c in r.controls
            )

    class FailedControlCited(LedgerAggregate.Event):
        """A hazard case names this risk point's control as the one that failed."""

        case_id: UUID
        control_id: str

        def apply(self, r: RiskPoint) -> None:
            r.cited = (*r.cited, (self.case_id, self.control_id))

    if TYPE_CHECKING:
        enterprise_code: str
        region_code: str
        sector: str
        name: str
        location: str
        level: RiskLevel
        controls: tuple[Control, ...]
        hazard_source: HazardSource | None
        registered_at: datetime
        assessed_at: datetime
        cited: tuple[tuple[UUID, str], ...]

    @property
    def colour(self) -> str:
        return RISK_COLOUR[self.level]

    @classmethod
    def register(
        cls,
        ctx: Context,
        *,
        enterprise_code: str,
        region_code: str,
        sector: str,
        name: str,
        location: str,
        level: RiskLevel | str,
        controls: tuple[str, ...],
        hazard_source: HazardSource | None,
        risk_point_id: UUID | None = None,
    ) -> RiskPoint:
        violations = [
            _required(field, zh, en)
            for field, zh, en, value in (
                ("name", "风险点名称", "name of the risk point", name),
                ("location", "位置", "location of the risk point", location),
            )
            if not value.strip()
        ]
        violations += region_code_violations(region_code)
        if (bad := level_violation(level)) is not None:
            violations.append(bad)
        if not any(c.strip() for c in controls):
            violations.append(
                Violation(
                    "CONTROL_REQUIRED",
                    "controls",
                    "风险点至少要有一项管控措施",
                    "a risk point needs at least one control",
                )
            )
        violations += hazard_source_violations(hazard_source)
        if violations:
            raise RuleViolated(violations)
        numbered = tuple(
            Control(f"C{n}", text.strip())
            for n, text in enumerate((c for c in controls if c.strip()), 1)
        )
        point: RiskPoint = cls._create_with(
            cls.Registered,
            ctx,
            id=risk_point_id,
            enterprise_code=enterprise_code,
            region_code=region_code,
            sector=sector,
            name=name.strip(),
            location=location.strip(),
            level=RiskLevel(level),
            controls=numbered,
            hazard_source=hazard_source,
        )
        return point

    def reassess(self, ctx: Context, *, level: RiskLevel | str, reason: str) -> None:
        if (bad := level_violation(level)) is not None:
            raise RuleViolated([bad])
        if not reason.strip():
            raise RuleViolated([_required("reason", "评估理由", "reason for the assessment")])
        if RiskLevel(level) is self.level:
            raise refuse(
                "RISK_LEVEL_UNCHANGED",
                "level",
                f"风险等级已是“{RISK_LEVEL_ZH[self.level]}”",
                f"the risk point is already at '{RISK_LEVEL_EN[self.level]}'",
            )
        self._emit(
            self.Reassessed,
            ctx,
            previous_level=self.level,
            level=RiskLevel(level),
            reason=reason.strip(),
        )

    def add_control(self, ctx: Context, *, description: str) -> str:
        """Add a control; its id (the next C-number)."""
        if not description.strip():
            raise RuleViolated([_required("description", "管控措施", "control")])
        control = Control(f"C{len(self.controls) + 1}", description.strip())
        self._emit(self.ControlAdded, ctx, control=control)
        return control.id

    def retire_control(self, ctx: Context, *, control_id: str, reason: str) -> None:
        control = self._control(control_id)
        if control.retired:
            raise refuse(
                "CONTROL_RETIRED",
                "control_id",
                f"管控措施{control_id}已停用",
                f"control {control_id} is already retired",
            )
        if not reason.strip():
            raise RuleViolated([_required("reason", "停用理由", "reason for retiring it")])
        if len(self.active_controls()) == 1:
            raise refuse(
                "CONTROL_REQUIRED",
                "control_id",
                "风险点至少要保留一项在用的管控措施",
                "a risk point keeps at least one active control",
            )
        self._emit(self.ControlRetired, ctx, control_id=control_id, reason=reason.strip())

    def cite_failed_control(
        self, ctx: Context, *, case_id: UUID, control_id: str, case_enterprise: str
    ) -> None:
        """Record that hazard ``case_id`` (at ``case_enterprise``) found ``control_id``
        failed. A retired control may be cited: a hazard found today may show that a
        control failed before it was retired."""
        self._control(control_id)
        if case_enterprise != self.enterprise_code:
            raise refuse(
                "CASE_AT_OTHER_ENTERPRISE",
                "case_id",
                "隐患与风险点不属于同一单位",
                "the hazard and the risk point belong to different enterprises",
            )
        if (case_id, control_id) in self.cited:
            raise refuse(
                "CONTROL_ALREADY_CITED",
                "control_id",
                f"该隐患已关联管控措施{control_id}",
                f"the hazard already cites control {control_id}",
            )
        self._emit(self.FailedControlCited, ctx, case_id=case_id, control_id=control_id)

    def active_controls(self) -> tuple[Control, ...]:
        return tuple(c for c in self.controls if not c.retired)

    def _control(self, control_id: str) -> Control:
        for control in self.controls:
            if control.id == control_id:
                return control
        raise refuse(
            "CONTROL_UNKNOWN",
            "control_id",
            f"风险点没有编号为{control_id}的管控措施",
            f"the risk point has no control {control_id}",
        )
