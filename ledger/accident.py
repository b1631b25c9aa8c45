"""The production-safety accident (生产安全事故): what happened, where, to whom, how grave.

An accident is recorded once, at the enterprise where it happened, with the time it
happened as its business time. Its level is computed here, never typed in, by
《生产安全事故报告和调查处理条例》(国务院令第493号) Art. 3: the gravest level any of the three
measures reaches (deaths, serious injuries including acute industrial poisoning, direct
economic loss); "以上" includes the number and "以下" excludes it. The record is where
the accountability review starts: it names the enterprise and the moment.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from .errors import RuleViolated, Violation
from .events import Context, LedgerAggregate


class AccidentLevel(StrEnum):
    GENERAL = "general"  # 一般事故
    LARGER = "larger"  # 较大事故
    SERIOUS = "serious"  # 重大事故
    PARTICULARLY_SERIOUS = "particularly_serious"  # 特别重大事故


LEVEL_ZH = {
    AccidentLevel.GENERAL: "一般事故",
    AccidentLevel.LARGER: "较大事故",
    AccidentLevel.SERIOUS: "重大事故",
    AccidentLevel.PARTICULARLY_SERIOUS: "特别重大事故",
}
LEVEL_EN = {
    AccidentLevel.GENERAL: "ordinary accident",
    AccidentLevel.LARGER: "relatively large accident",
    AccidentLevel.SERIOUS: "major accident",
    AccidentLevel.PARTICULARLY_SERIOUS: "extraordinarily serious accident",
}

#: Art. 3 thresholds, gravest first: (level, deaths, serious injuries, loss in yuan).
THRESHOLDS: tuple[tuple[AccidentLevel, int, int, Decimal], ...] = (
    (AccidentLevel.PARTICULARLY_SERIOUS, 30, 100, Decimal(100_000_000)),
    (AccidentLevel.SERIOUS, 10, 50, Decimal(50_000_000)),
    (AccidentLevel.LARGER, 3, 10, Decimal(10_000_000)),
)


def accident_level(deaths: int, serious_injuries: int, direct_loss: Decimal) -> AccidentLevel:
    """The level of Art. 3: the gravest that any one of the three measures reaches."""
    for level, min_deaths, min_injuries, min_loss in THRESHOLDS:
        if deaths >= min_deaths or serious_injuries >= min_injuries or direct_loss >= min_loss:
            return level
    return AccidentLevel.GENERAL


class Accident(LedgerAggregate):
    class Recorded(LedgerAggregate.Created):
        enterprise_code: str
        region_code: str
        sector: str
        place: str
        description: str
        deaths: int
        serious_injuries: int
        direct_loss: Decimal
        level: AccidentLevel

        def apply(self, a: Accident) -> None:
            a.enterprise_code = self.enterprise_code
            a.region_code = self.region_code
            a.sector = self.sector
            a.place = self.place
            a.description = self.description
            a.deaths = self.deaths
            a.serious_injuries = self.serious_injuries
            a.direct_loss = self.direct_loss
            a.level = self.level
            a.happened_at = self.occurred_at

    if TYPE_CHECKING:
        enterprise_code: str
        region_code: str
        sector: str
        place: str
        description: str
        deaths: int
        serious_injuries: int
        direct_loss: Decimal
        level: AccidentLevel
        happened_at: datetime

    @classmethod
    def record(
        cls,
        ctx: Context,
        *,
        enterprise_code: str,
        region_code: str,
        sector: str,
        place: str,
        description: str,
        deaths: int,
        serious_injuries: int,
        direct_loss: Decimal,
        accident_id: UUID | None = None,
    ) -> Accident:
        violations = [
            Violation("NEGATIVE_COUNT", name, f"{zh}不能为负数", f"{name} cannot be negative")
            for name, zh, value in (
                ("deaths", "死亡人数", deaths),
                ("serious_injuries", "重伤人数", serious_injuries),
                ("direct_loss", "直接经济损失", direct_loss),
            )
            if value < 0
        ]
        violations += [
            Violation("FIELD_REQUIRED", name, f"“{zh}”为必填项", f"'{en}' is required")
            for name, zh, en, value in (
                ("place", "事故地点", "place of the accident", place),
                ("description", "事故经过", "account of the accident", description),
            )
            if not value.strip()
        ]
        if violations:
            raise RuleViolated(violations)
        accident: Accident = cls._create_with(
            cls.Recorded,
            ctx,
            id=accident_id,
            enterprise_code=enterprise_code,
            region_code=region_code,
            sector=sector,
            place=place.strip(),
            description=description.strip(),
            deaths=deaths,
            serious_injuries=serious_injuries,
            direct_loss=direct_loss,
            level=accident_level(deaths, serious_injuries, direct_loss),
        )
        return accident
