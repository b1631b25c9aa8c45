"""Public reports (群众举报): where each stands, and what came of it.

The read model holds what a supervising official lists and counts — channel, status,
conclusion and reasons, the case a founded report opened, the reward — and never the
reporter: the identity stays sealed in the event and is opened only through
``RevealReporterIdentity`` (see ``ledger.public_report``). The model records only
whether a report was anonymous and whether its identity was erased.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ledger.application import HazardLedger
from ledger.errors import NotFound
from ledger.public_report import REPORT_STATUS_EN, REPORT_STATUS_ZH, PublicReport, ReportStatus
from ledger.scope import Scope

from .base import Projection, Rows, Table, id_text, ts
from .queries import ReadModels, officials_only, scope_where

TEXT, INT = "TEXT", "INTEGER"

PUBLIC_REPORTS = Table(
    "public_reports",
    (
        ("report_id", TEXT),
        ("enterprise_code", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("channel", TEXT),
        ("content", TEXT),
        ("receiving_organisation", TEXT),
        ("received_at", TEXT),
        ("status", TEXT),
        ("verified_at", TEXT),
        ("concluded_at", TEXT),
        ("reasons", TEXT),
        ("case_id", TEXT),
        ("reward_amount", TEXT),
        ("rewarded_at", TEXT),
        ("anonymous", INT),
        ("identity_erased", INT),
    ),
    key=("report_id",),
    indexes=(("region_code", "received_at"),),
)


class PublicReportsList(Projection):
    name = "public_reports"
    version = 1
    tables = (PUBLIC_REPORTS,)
    handles = frozenset(
        {
            PublicReport.Received,
            PublicReport.Verified,
            PublicReport.FoundFounded,
            PublicReport.FoundUnfounded,
            PublicReport.Rewarded,
            PublicReport.IdentityErased,
        }
    )

    def fold(self, event: Any, rows: Rows) -> None:
        cls = type(event)
        rid = id_text(event.originator_id)
        if cls is PublicReport.Received:
            rows.put(
                "public_reports",
                PUBLIC_REPORTS.empty_row(
                    report_id=rid,
                    enterprise_code=event.enterprise_code,
                    region_code=event.region_code,
                    sector=event.sector,
                    channel=str(event.channel),
                    content=event.content,
                    receiving_organisation=event.receiving_organisation,
                    received_at=ts(event.occurred_at),
                    status=ReportStatus.RECEIVED.value,
                    anonymous=int(event.identity is None),
                    identity_erased=0,
                ),
            )
            return
        row = rows.get("public_reports", (rid,))
        if row is None:
            return
        at = ts(event.occurred_at)
        if cls is PublicReport.Verified:
            row["status"], row["verified_at"] = ReportStatus.VERIFIED.value, at
        elif cls is PublicReport.FoundFounded:
            row["status"], row["concluded_at"] = ReportStatus.FOUNDED.value, at
            row["reasons"], row["case_id"] = event.reasons, str(event.case_id)
        elif cls is PublicReport.FoundUnfounded:
            row["status"], row["concluded_at"] = ReportStatus.UNFOUNDED.value, at
            row["reasons"] = event.reasons
        elif cls is PublicReport.Rewarded:
            row["status"], row["rewarded_at"] = ReportStatus.REWARDED.value, at
            row["reward_amount"] = str(event.amount)
        else:
            row["identity_erased"] = 1
        rows.put("public_reports", row)


def list_public_reports(
    models: ReadModels,
    region: str | None = None,
    *,
    scope: Scope,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Public reports in ``scope``, newest first. For supervising officials: an
    enterprise never learns who reported it, nor that it was reported, from here."""
    officials_only(scope)
    table = models._table("public_reports", "public_reports")
    where, params = scope_where(scope, region)
    if status:
        where.append("status = ?")
        params.append(ReportStatus(status).value)
    cols = PUBLIC_REPORTS.column_names
    clause = " WHERE " + " AND ".join(where) if where else ""
    rows = models._q(
        f"SELECT {', '.join(cols)} FROM {table}{clause} ORDER BY received_at DESC, report_id",
        params,
    )
    out = [dict(zip(cols, r, strict=True)) for r in rows]
    for report in out:
        status = ReportStatus(report["status"])
        report["status_zh"] = REPORT_STATUS_ZH[status]
        report["status_en"] = REPORT_STATUS_EN[status]
        report["anonymous"] = bool(report["anonymous"])
        report["identity_erased"] = bool(report["identity_erased"])
    return out


def public_report(
    ledger: HazardLedger, report_id: UUID, *, scope: Scope, known_at: datetime | None = None
) -> dict[str, Any]:
    """One public report as recorded by ``known_at``, without its reporter. Not
    recorded by then, outside the scope, or asked by an enterprise: ``NotFound``."""
    try:
        state = ledger.state_at(report_id, known_at=known_at)
    except NotFound:
        state = None
    if (
        not isinstance(state, PublicReport)
        or scope.enterprise_code
        or not scope.sees(
            region_code=state.region_code,
            sector=state.sector,
            enterprise_code=state.enterprise_code,
        )
    ):
        raise NotFound("PublicReport", report_id)
    return {
        "id": str(state.id),
        "version": state.version,
        "enterprise_code": state.enterprise_code,
        "region_code": state.region_code,
        "sector": state.sector,
        "channel": state.channel.value,
        "content": state.content,
        "receiving_organisation": state.receiving_organisation,
        "received_at": state.received_at.isoformat(),
        "status": state.status.value,
        "status_zh": REPORT_STATUS_ZH[state.status],
        "status_en": REPORT_STATUS_EN[state.status],
        "findings": state.findings,
        "reasons": state.reasons,
        "case_id": str(state.case_id) if state.case_id else None,
        "concluded_at": state.concluded_at.isoformat() if state.concluded_at else None,
        "reward_amount": str(state.reward_amount) if state.reward_amount is not None else None,
        "anonymous": state.anonymous,
        "identity_erased": state.identity_erased,
        "identity_reads": state.identity_reads,
    }
