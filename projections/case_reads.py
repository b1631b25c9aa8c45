"""Reads of one hazard case from its events: state, timeline, findings, linked actions.

Each takes the viewer's scope and cuts the events at ``known_at`` (transaction time)
itself, so no read model and no snapshot is involved: a case nothing of which was
recorded by ``known_at``, a case outside the scope and an id nobody used all raise the
same ``NotFound``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from itertools import takewhile
from typing import Any
from uuid import UUID

from ledger.application import HazardLedger
from ledger.audit import AuditRule, builtin_rules, run_rules
from ledger.enforcement import EnforcementAction
from ledger.errors import NotFound
from ledger.events import LedgerAggregate
from ledger.hazard import HazardCase
from ledger.review.index import enterprise_aggregates
from ledger.review.report import build_dossier
from ledger.scope import Scope
from ledger.views import case_summary, event_row

from .base import ts
from .statistics import fen

Event = LedgerAggregate.Event


def known_events(
    ledger: HazardLedger, case_id: UUID, *, scope: Scope, known_at: datetime | None
) -> list[Event]:
    """The case's events recorded by ``known_at``, if the scope sees the case."""
    try:
        events = ledger.history(case_id)
    except NotFound:
        raise NotFound("HazardCase", case_id) from None
    reported = events[0]
    if not isinstance(reported, HazardCase.Reported) or not scope.sees(
        region_code=reported.region_code,
        sector=reported.sector,
        enterprise_code=reported.enterprise_code,
    ):
        raise NotFound("HazardCase", case_id)
    if known_at is not None:
        cut = known_at
        events = list(takewhile(lambda e: e.timestamp <= cut, events))
    if not events:
        raise NotFound("HazardCase", case_id)
    return events


def visible_case(
    ledger: HazardLedger,
    case_id: UUID,
    *,
    scope: Scope,
    known_at: datetime | None = None,
    valid_at: datetime | None = None,
) -> HazardCase:
    """The case as recorded by ``known_at`` and as it was at ``valid_at``, if in scope."""
    try:
        case = ledger.case_at(case_id, known_at=known_at, valid_at=valid_at)
    except NotFound:
        case = None
    if case is None or not scope.sees(
        region_code=case.region_code, sector=case.sector, enterprise_code=case.enterprise_code
    ):
        raise NotFound("HazardCase", case_id)
    return case


def case_state(
    ledger: HazardLedger,
    case_id: UUID,
    *,
    scope: Scope,
    known_at: datetime | None = None,
    valid_at: datetime | None = None,
) -> dict[str, Any]:
    """The case as recorded by ``known_at`` and as it was at ``valid_at``; overdue is
    computed for ``valid_at``, else ``known_at``, else now."""
    case = visible_case(ledger, case_id, scope=scope, known_at=known_at, valid_at=valid_at)
    return case_summary(case, at=valid_at or known_at or ledger.clock())


def timeline(
    ledger: HazardLedger, case_id: UUID, *, scope: Scope, known_at: datetime | None = None
) -> list[dict[str, Any]]:
    """Every event of the case recorded by ``known_at``, with both clocks and actor."""
    return [event_row(e) for e in known_events(ledger, case_id, scope=scope, known_at=known_at)]


def findings(
    ledger: HazardLedger,
    case_id: UUID,
    *,
    scope: Scope,
    known_at: datetime | None = None,
    valid_at: datetime | None = None,
    rules: Sequence[AuditRule] = (),
) -> list[dict[str, Any]]:
    """What the audit rules find about this case, judged on the enterprise's record as
    recorded by ``known_at`` and as far as the scope sees it, at the moment ``valid_at``
    (else ``known_at``, else now). ``rules`` are the sector plugins' rules, run after
    the built-in ones."""
    reported = known_events(ledger, case_id, scope=scope, known_at=known_at)[0]
    code = str(getattr(reported, "enterprise_code", ""))
    moment = valid_at or known_at or ledger.clock()
    dossier = build_dossier(ledger, code, moment, scope=scope, known_at=known_at)
    return [
        f.as_dict()
        for f in run_rules([*builtin_rules(ledger.sectors), *rules], dossier)
        if f.subject_id == case_id
    ]


def linked_actions(
    ledger: HazardLedger,
    case_id: UUID,
    *,
    scope: Scope,
    known_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """Enforcement actions in scope that name this case, as recorded by ``known_at``,
    in the order they were issued."""
    reported = known_events(ledger, case_id, scope=scope, known_at=known_at)[0]
    code = str(getattr(reported, "enterprise_code", ""))
    linked = []
    for action_id in enterprise_aggregates(ledger, code).actions:
        action = ledger.state_at(action_id, known_at=known_at)
        if (
            isinstance(action, EnforcementAction)
            and case_id in action.case_ids
            and scope.sees(
                region_code=action.region_code,
                sector=action.sector,
                enterprise_code=action.enterprise_code,
            )
        ):
            linked.append(_action_row(action))
    linked.sort(key=lambda a: (a["issued_at"], a["action_id"]))
    return linked


def _action_row(action: EnforcementAction) -> dict[str, Any]:
    """The fields of the enterprise profile's enforcement rows, from the aggregate."""
    return {
        "action_id": str(action.id),
        "kind": str(action.kind),
        "document_number": action.document_number,
        "department": action.department,
        "issued_at": ts(action.issued_at),
        "status": str(action.status),
        "amount_paid_fen": None if action.amount_paid is None else fen(action.amount_paid),
        "ended_at": ts(action.ended_at),
        "fine_amount": str(Decimal(fen(action.fine_amount)) / 100),
        # what the order covers: one device, one part of the site, or (both empty) the
        # whole enterprise
        "device_code": action.device_code,
        "site_part": action.site_part,
    }
