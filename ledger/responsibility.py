"""Responsibility posts (责任链): who held which duty, for what scope, from when to when.

"党政同责、一岗双责、失职追责" and "三管三必须" mean every hazard has, at any moment, a chain
of named people: the enterprise's principal (kept on ``Enterprise``), the competent
department's official in charge of the sector in the region, and the local government's
leader in charge of the region. Each post is an aggregate keyed by its duty and scope;
handing it over is an event, so "who held this duty on the day of the incident" is a
replay, not a guess.

A post is keyed on the exact division code it answers for: the county's leader in charge
(620826), a township's (620826100 城关镇) and a village's are three posts, so appointing
one never replaces another. The review names every post whose jurisdiction covers the
enterprise's place (``ledger.codes.jurisdictions``): the village's, the township's, the
county's and above.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from .codes import region_code_violations
from .enterprise import Person, Tenure
from .errors import RuleViolated, Violation, refuse
from .events import Context, LedgerAggregate

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-ledger/responsibility")


class Duty(StrEnum):
    DEPARTMENT_OFFICIAL = "department_official"  # 行业主管部门分管负责人
    GOVERNMENT_LEADER = "government_leader"  # 属地政府分管领导


DUTY_ZH = {
    Duty.DEPARTMENT_OFFICIAL: "行业主管部门负责人",
    Duty.GOVERNMENT_LEADER: "属地政府分管领导",
}


@lru_cache(maxsize=4096)
def post_id(duty: Duty | str, region_code: str, sector: str = "") -> UUID:
    """The aggregate id of the post for this duty and scope (remembered: every
    assignment asks for the posts of each division above its enterprise)."""
    return uuid5(_NAMESPACE, f"{Duty(duty).value}|{region_code}|{sector}")


class ResponsibilityPost(LedgerAggregate):
    class Established(LedgerAggregate.Created):
        duty: Duty
        region_code: str
        sector: str
        organisation: str
        title: str
        holder: Person

        def apply(self, p: ResponsibilityPost) -> None:
            p.duty = self.duty
            p.region_code = self.region_code
            p.sector = self.sector
            p.organisation = self.organisation
            p.title = self.title
            p.tenures = (Tenure(self.holder, self.occurred_at, None),)

    class HolderChanged(LedgerAggregate.Event):
        holder: Person

        def apply(self, p: ResponsibilityPost) -> None:
            last = p.tenures[-1]
            p.tenures = (
                *p.tenures[:-1],
                Tenure(last.person, last.start, self.occurred_at),
                Tenure(self.holder, self.occurred_at, None),
            )

    if TYPE_CHECKING:
        duty: Duty
        region_code: str
        sector: str
        organisation: str
        title: str
        tenures: tuple[Tenure, ...]

    @classmethod
    def establish(
        cls,
        ctx: Context,
        *,
        duty: Duty | str,
        region_code: str,
        sector: str,
        organisation: str,
        title: str,
        holder: Person,
    ) -> ResponsibilityPost:
        duty = Duty(duty)
        violations = region_code_violations(region_code)
        if violations:
            raise RuleViolated(violations)
        if duty is Duty.DEPARTMENT_OFFICIAL and not sector:
            raise refuse(
                "SECTOR_REQUIRED",
                "sector",
                "行业主管部门的责任须对应行业领域",
                "a department official's duty names the sector",
            )
        violations = [
            Violation("FIELD_REQUIRED", name, f"“{zh}”为必填项", f"'{en}' is required")
            for name, zh, en, value in (
                ("holder", "责任人姓名", "name of the person responsible", holder.name),
                (
                    "organisation",
                    "所在单位",
                    "organisation of the person responsible",
                    organisation,
                ),
            )
            if not value.strip()
        ]
        if violations:
            raise RuleViolated(violations)
        post: ResponsibilityPost = cls._create_with(
            cls.Established,
            ctx,
            id=post_id(duty, region_code, sector),
            duty=duty,
            region_code=region_code,
            sector=sector,
            organisation=organisation.strip(),
            title=title.strip(),
            holder=holder,
        )
        return post

    def hand_over(self, ctx: Context, *, holder: Person) -> None:
        if holder.id == self.tenures[-1].person.id:
            raise refuse("HOLDER_UNCHANGED", "holder", "新责任人与现任相同", "same holder")
        self._emit(self.HolderChanged, ctx, holder=holder)

    def holder_on(self, at: datetime) -> Person | None:
        for tenure in self.tenures:
            if tenure.start <= at and (tenure.end is None or at < tenure.end):
                return tenure.person
        return None
