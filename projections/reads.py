"""The read layer: every question anyone asks of the ledger, with scope and time.

Every entry point — HTTP routes, ``ledger`` commands, workbook exports — asks through
``Reads``. Each question takes the viewer's ``scope`` as a required keyword and the
two clocks under one name each: ``known_at`` (transaction time: as recorded by then)
and ``valid_at`` (business time: as it was in the world then, and the moment overdue is
computed for). So no entry point can forget either, and each means the same thing
everywhere.

How ``known_at`` is answered depends on where the answer comes from:

* a case, its timeline, findings and linked actions, and the review are folded from
  events, which are cut at ``known_at`` directly;
* the register, boards, profile, measures, monthly report, statistics, trend and
  rankings come from read models, and read the snapshot tables built as known at that
  moment (``ReadModelMissing`` when there is none: build one first).

Outside the scope a thing does not exist: ``NotFound`` (or an empty answer), the same
as for an id nobody used.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from uuid import UUID

from ledger.application import HazardLedger
from ledger.audit import AuditRule, builtin_rules
from ledger.hazard import HazardCase
from ledger.review.accident import accident_summary, review_of_accident, visible_accident
from ledger.review.report import build_review
from ledger.scope import Scope

from . import (
    case_reads,
    enterprise_reads,
    inspections,
    public_reports,
    record_reads,
    risk_points,
)
from .campaign import Ask, Period, campaign_table
from .queries import Page, ReadModels, RegisterFilter

__all__ = ["Reads"]

NO_FILTER = RegisterFilter()


class Reads:
    """The questions of one ledger; ``audit_rules`` are the sector plugins' rules
    (default: those of the ledger's own sectors)."""

    def __init__(
        self, ledger: HazardLedger, *, audit_rules: Sequence[AuditRule] | None = None
    ) -> None:
        self.ledger = ledger
        if audit_rules is None:
            audit_rules = ledger.sectors.audit_rules if ledger.sectors else ()
        self.audit_rules = tuple(audit_rules)

    @contextmanager
    def models(self, known_at: datetime | None) -> Iterator[ReadModels]:
        """The read models as known at ``known_at`` (live when None), for one question."""
        models = ReadModels(self.ledger.store, known_at=known_at)
        try:
            yield models
        finally:
            models.close()

    def _moment(self, known_at: datetime | None, valid_at: datetime | None) -> datetime | None:
        """Business time for read-model figures: ``valid_at``; else ``known_at`` (the
        read model as known then is also read as of then); else the ledger's now."""
        if valid_at is not None or known_at is not None:
            return valid_at
        return self.ledger.clock()

    # ---- folded from events -----------------------------------------------------------

    def case(
        self,
        case_id: UUID,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> dict[str, Any]:
        return case_reads.case_state(
            self.ledger, case_id, scope=scope, known_at=known_at, valid_at=valid_at
        )

    def hazard(
        self, case_id: UUID, *, scope: Scope, known_at: datetime | None = None
    ) -> HazardCase:
        """The case aggregate as recorded by ``known_at`` (for advice computed above this
        layer, such as grading suggestions)."""
        return case_reads.visible_case(self.ledger, case_id, scope=scope, known_at=known_at)

    def timeline(
        self, case_id: UUID, *, scope: Scope, known_at: datetime | None = None
    ) -> list[dict[str, Any]]:
        return case_reads.timeline(self.ledger, case_id, scope=scope, known_at=known_at)

    def findings(
        self,
        case_id: UUID,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        return case_reads.findings(
            self.ledger,
            case_id,
            scope=scope,
            known_at=known_at,
            valid_at=valid_at,
            rules=self.audit_rules,
        )

    def actions(
        self, case_id: UUID, *, scope: Scope, known_at: datetime | None = None
    ) -> list[dict[str, Any]]:
        return case_reads.linked_actions(self.ledger, case_id, scope=scope, known_at=known_at)

    def review(
        self,
        enterprise_code: str,
        incident_at: datetime,
        *,
        scope: Scope,
        known_at: datetime | None = None,
    ) -> dict[str, Any]:
        """The accountability review; an enterprise-bound scope may not review itself."""
        if scope.enterprise_code:
            raise ReviewNotForEnterprises
        return build_review(
            self.ledger,
            enterprise_code,
            incident_at,
            scope=scope,
            known_at=known_at,
            rules=[*builtin_rules(self.ledger.sectors), *self.audit_rules],
        )

    def accident(
        self, accident_id: UUID, *, scope: Scope, known_at: datetime | None = None
    ) -> dict[str, Any]:
        """An accident as recorded by ``known_at``, if the scope sees it."""
        found = visible_accident(self.ledger, accident_id, scope=scope, known_at=known_at)
        return accident_summary(found)

    def accident_review(
        self, accident_id: UUID, *, scope: Scope, known_at: datetime | None = None
    ) -> dict[str, Any]:
        """The accountability review started from an accident: its enterprise at the
        moment it happened, with the accident attached."""
        if scope.enterprise_code:
            raise ReviewNotForEnterprises
        return review_of_accident(
            self.ledger,
            accident_id,
            scope=scope,
            known_at=known_at,
            review=lambda code, at: self.review(code, at, scope=scope, known_at=known_at),
        )

    def enterprise(
        self, credit_code: str, *, scope: Scope, known_at: datetime | None = None
    ) -> dict[str, Any]:
        """An enterprise with its principal persons over time."""
        return record_reads.enterprise(self.ledger, credit_code, scope=scope, known_at=known_at)

    def inspection(
        self, inspection_id: UUID, *, scope: Scope, known_at: datetime | None = None
    ) -> dict[str, Any]:
        return record_reads.inspection(self.ledger, inspection_id, scope=scope, known_at=known_at)

    def action(
        self, action_id: UUID, *, scope: Scope, known_at: datetime | None = None
    ) -> dict[str, Any]:
        return record_reads.action(self.ledger, action_id, scope=scope, known_at=known_at)

    def enterprise_record(
        self,
        credit_code: str,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> dict[str, Any]:
        """The enterprise with its cases, actions and inspections at a cut of both clocks."""
        return enterprise_reads.enterprise_record(
            self.ledger, credit_code, scope=scope, known_at=known_at, valid_at=valid_at
        )

    # ---- from read models ---------------------------------------------------------------

    def register(
        self,
        filters: RegisterFilter = NO_FILTER,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        with self.models(known_at) as m:
            return m.register(
                filters,
                scope=scope,
                valid_at=self._moment(known_at, valid_at),
                limit=limit,
                cursor=cursor,
            )

    def register_count(
        self,
        filters: RegisterFilter = NO_FILTER,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> int:
        """How many cases of the register match ``filters`` inside ``scope``."""
        with self.models(known_at) as m:
            return m.count(filters, scope=scope, valid_at=self._moment(known_at, valid_at))

    def register_pages(
        self,
        filters: RegisterFilter = NO_FILTER,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
        limit: int = 1000,
    ) -> Iterator[Page]:
        """Every page of the register in turn, on one connection (for exports)."""
        with self.models(known_at) as m:
            cursor: str | None = None
            while True:
                page = m.register(
                    filters,
                    scope=scope,
                    valid_at=self._moment(known_at, valid_at),
                    limit=limit,
                    cursor=cursor,
                )
                yield page
                if not page.next_cursor:
                    return
                cursor = page.next_cursor

    def overdue(
        self,
        region: str | None = None,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
        limit: int = 200,
        cursor: str | None = None,
    ) -> Page:
        with self.models(known_at) as m:
            return m.overdue_list(
                region,
                scope=scope,
                valid_at=self._moment(known_at, valid_at),
                limit=limit,
                cursor=cursor,
            )

    def listed_board(
        self,
        region: str | None = None,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
        limit: int = 200,
        cursor: str | None = None,
    ) -> Page:
        with self.models(known_at) as m:
            return m.listed_board(
                region,
                scope=scope,
                valid_at=self._moment(known_at, valid_at),
                limit=limit,
                cursor=cursor,
            )

    def enterprise_profile(
        self,
        credit_code: str,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> dict[str, Any]:
        with self.models(known_at) as m:
            return m.enterprise_profile(
                credit_code, scope=scope, valid_at=self._moment(known_at, valid_at)
            )

    def measures(
        self,
        region: str | None = None,
        *,
        scope: Scope,
        status: str | None = None,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        with self.models(known_at) as m:
            return m.measures(
                region, scope=scope, status=status, valid_at=self._moment(known_at, valid_at)
            )

    # ---- inspections by day --------------------------------------------------------------

    def inspections(
        self,
        *,
        scope: Scope,
        on: date | tuple[date, date],
        inspector: str | None = None,
        known_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Inspections of a business day (or of a span of days, both ends included), as
        recorded by ``known_at``; with ``inspector``, only those that user recorded."""
        with self.models(known_at) as m:
            return inspections.list_inspections(m, scope=scope, on=on, inspector=inspector)

    # ---- risk points and public reports ------------------------------------------------

    def risk_points(
        self,
        region: str | None = None,
        *,
        scope: Scope,
        level: str | None = None,
        enterprise: str | None = None,
        known_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Risk points by level (重大 first), each with its open hazards."""
        with self.models(known_at) as m:
            return risk_points.list_risk_points(
                m, region, scope=scope, level=level, enterprise=enterprise
            )

    def risk_point(
        self, risk_point_id: UUID, *, scope: Scope, known_at: datetime | None = None
    ) -> dict[str, Any]:
        return risk_points.risk_point(self.ledger, risk_point_id, scope=scope, known_at=known_at)

    def public_reports(
        self,
        region: str | None = None,
        *,
        scope: Scope,
        status: str | None = None,
        known_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Public reports in scope, without their reporters (officials only)."""
        with self.models(known_at) as m:
            return public_reports.list_public_reports(m, region, scope=scope, status=status)

    def public_report(
        self, report_id: UUID, *, scope: Scope, known_at: datetime | None = None
    ) -> dict[str, Any]:
        return public_reports.public_report(self.ledger, report_id, scope=scope, known_at=known_at)

    def monthly_report(
        self,
        region: str | None,
        month: str,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> dict[str, Any]:
        with self.models(known_at) as m:
            return m.monthly_report(
                region, month, scope=scope, valid_at=self._moment(known_at, valid_at)
            )

    def campaign(
        self,
        table: str,
        region: str | None,
        period: Period,
        *,
        scope: Scope,
        since: date | None = None,
        source: str | None = None,
        baseline_years: int = 0,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> dict[str, Any]:
        """One of the campaign's tables (``projections.campaign.TABLES``) for ``period``,
        with cumulative figures from ``since`` when given."""
        moment = self._moment(known_at, valid_at)
        with self.models(known_at) as m:
            ask = Ask(
                scope=scope,
                region=region or "",
                period=period,
                since=since,
                source=source,
                moment=m.moment(moment),
                baseline_years=baseline_years,
            )
            return campaign_table(m, table, ask)

    def statistics(
        self,
        region: str | None,
        year: int,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        with self.models(known_at) as m:
            return m.statistics(
                region, year, scope=scope, valid_at=self._moment(known_at, valid_at)
            )

    def trend(
        self,
        region: str | None,
        year: int | None = None,
        *,
        scope: Scope,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> dict[str, Any]:
        with self.models(known_at) as m:
            return m.trend(region, year, scope=scope, valid_at=self._moment(known_at, valid_at))

    def rankings(
        self,
        region: str | None,
        month: str,
        *,
        scope: Scope,
        by: str = "region",
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        with self.models(known_at) as m:
            return m.ranking(
                region, month, scope=scope, by=by, valid_at=self._moment(known_at, valid_at)
            )


class ReviewNotForEnterprises(PermissionError):
    """An enterprise does not review itself: the review is for its supervisors."""

    message_zh = "企业不能调阅对自身的事故责任倒查报告"
    message_en = "an enterprise may not run an accountability review"

    def __init__(self) -> None:
        super().__init__(self.message_en)
