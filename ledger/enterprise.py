"""The enterprise (生产经营单位) and its principal person in charge over time.

An enterprise is keyed by its unified social credit code: its aggregate id is derived
from the code, so one code can be registered once, by anybody, in any process.
The principal person in charge (主要负责人) is the first link of the responsibility
chain; each change is an event, so a review can ask who held the post on a given day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from .codes import credit_code_violations, region_code_violations
from .errors import RuleViolated, Violation, refuse
from .events import Context, LedgerAggregate

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-ledger/enterprise")


@lru_cache(maxsize=16384)
def enterprise_id(credit_code: str) -> UUID:
    """The aggregate id of the enterprise with this credit code (remembered: a uuid5
    per command naming an enterprise was a few per cent of a bulk import's CPU)."""
    return uuid5(_NAMESPACE, credit_code)


@dataclass(frozen=True, slots=True)
class Person:
    """A named person holding a post (an ID-card hash or staff number as ``id``)."""

    id: str
    name: str
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Tenure:
    """Who held a post from when (business time) to when (None: still holds it)."""

    person: Person
    start: datetime
    end: datetime | None


_NAME_REQUIRED = Violation(
    "FIELD_REQUIRED", "name", "“单位名称”为必填项", "'name of the enterprise' is required"
)
_SECTOR_REQUIRED = Violation(
    "FIELD_REQUIRED", "sectors", "至少填写一个行业领域", "at least one sector"
)


class Enterprise(LedgerAggregate):
    """A production and business unit under supervision."""

    class Registered(LedgerAggregate.Created):
        credit_code: str
        name: str
        region_code: str
        sectors: tuple[str, ...]
        address: str
        principal: Person

        def apply(self, e: Enterprise) -> None:
            e.credit_code = self.credit_code
            e.name = self.name
            e.region_code = self.region_code
            e.sectors = self.sectors
            e.address = self.address
            e.principals = (Tenure(self.principal, self.occurred_at, None),)

    class PrincipalChanged(LedgerAggregate.Event):
        principal: Person

        def apply(self, e: Enterprise) -> None:
            last = e.principals[-1]
            e.principals = (
                *e.principals[:-1],
                Tenure(last.person, last.start, self.occurred_at),
                Tenure(self.principal, self.occurred_at, None),
            )

    class DetailsChanged(LedgerAggregate.Event):
        name: str
        sectors: tuple[str, ...]
        address: str

        def apply(self, e: Enterprise) -> None:
            e.name = self.name
            e.sectors = self.sectors
            e.address = self.address

    if TYPE_CHECKING:
        credit_code: str
        name: str
        region_code: str
        sectors: tuple[str, ...]
        address: str
        principals: tuple[Tenure, ...]

    @classmethod
    def register(
        cls,
        ctx: Context,
        *,
        credit_code: str,
        name: str,
        region_code: str,
        sectors: tuple[str, ...],
        address: str,
        principal: Person,
    ) -> Enterprise:
        violations: list[Violation] = list(credit_code_violations(credit_code))
        violations += region_code_violations(region_code)
        if not name.strip():
            violations.append(_NAME_REQUIRED)
        if not sectors:
            violations.append(_SECTOR_REQUIRED)
        if not principal.name.strip() or not principal.id.strip():
            violations.append(
                Violation(
                    "PRINCIPAL_REQUIRED",
                    "principal",
                    "必须登记主要负责人（姓名和身份标识）",
                    "the principal person in charge (name and id) is required",
                )
            )
        if violations:
            raise RuleViolated(violations)
        enterprise: Enterprise = cls._create_with(
            cls.Registered,
            ctx,
            id=enterprise_id(credit_code),
            credit_code=credit_code,
            name=name.strip(),
            region_code=region_code,
            sectors=tuple(sectors),
            address=address.strip(),
            principal=principal,
        )
        return enterprise

    def change_principal(self, ctx: Context, *, principal: Person) -> None:
        if principal.id == self.principals[-1].person.id:
            raise refuse(
                "PRINCIPAL_UNCHANGED",
                "principal",
                "新的主要负责人与现任相同",
                "the new principal is the one already in post",
            )
        if not principal.name.strip():
            raise refuse(
                "PRINCIPAL_REQUIRED",
                "principal",
                "“主要负责人姓名”为必填项",
                "'name of the principal person in charge' is required",
            )
        self._emit(self.PrincipalChanged, ctx, principal=principal)

    def change_details(
        self, ctx: Context, *, name: str, sectors: tuple[str, ...], address: str
    ) -> None:
        violations = ([] if name.strip() else [_NAME_REQUIRED]) + (
            [] if sectors else [_SECTOR_REQUIRED]
        )
        if violations:
            raise RuleViolated(violations)
        self._emit(
            self.DetailsChanged, ctx, name=name.strip(), sectors=tuple(sectors), address=address
        )

    def principal_on(self, at: datetime) -> Person | None:
        """Who was the principal person in charge at business time ``at``."""
        for tenure in self.principals:
            if tenure.start <= at and (tenure.end is None or at < tenure.end):
                return tenure.person
        return None
