"""Reads of one reference record from its events: an enterprise, an inspection, an
enforcement action, as recorded by ``known_at`` and inside the viewer's scope.

Not recorded by then, outside the scope, or an id nobody used: the same ``NotFound``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ledger.application import HazardLedger
from ledger.enforcement import EnforcementAction
from ledger.errors import NotFound
from ledger.inspection import Inspection
from ledger.review.report import visible_enterprise
from ledger.scope import Scope
from ledger.views import plain

ACTION_FIELDS = (
    "kind",
    "document_number",
    "enterprise_code",
    "region_code",
    "sector",
    "department",
    "case_ids",
    "legal_basis",
    "fine_amount",
    "description",
    "issued_at",
    "status",
    "executed_at",
    "amount_paid",
    "ended_at",
)


def enterprise(
    ledger: HazardLedger, credit_code: str, *, scope: Scope, known_at: datetime | None = None
) -> dict[str, Any]:
    """An enterprise with its principal persons over time."""
    e = visible_enterprise(ledger, credit_code, scope=scope, known_at=known_at)
    return {
        "credit_code": e.credit_code,
        "name": e.name,
        "region_code": e.region_code,
        "sectors": list(e.sectors),
        "address": e.address,
        "principals": plain(e.principals),
        "version": e.version,
    }


def _seen(
    ledger: HazardLedger,
    aggregate_id: UUID,
    kind: type[Any],
    *,
    scope: Scope,
    known_at: datetime | None,
) -> Any:
    try:
        state = ledger.state_at(aggregate_id, known_at=known_at)
    except NotFound:
        state = None
    if not isinstance(state, kind) or not scope.sees(
        region_code=state.region_code, sector=state.sector, enterprise_code=state.enterprise_code
    ):
        raise NotFound(kind.__name__, aggregate_id)
    return state


def inspection(
    ledger: HazardLedger, inspection_id: UUID, *, scope: Scope, known_at: datetime | None = None
) -> dict[str, Any]:
    """An inspection with the hazards it found (those recorded by ``known_at``)."""
    i = _seen(ledger, inspection_id, Inspection, scope=scope, known_at=known_at)
    return {
        "id": str(i.id),
        "enterprise_code": i.enterprise_code,
        "region_code": i.region_code,
        "sector": i.sector,
        "inspection_type": i.inspection_type.value,
        "team": list(i.team),
        "location": i.location,
        "devices_checked": i.devices_checked,
        "inspected_at": i.inspected_at.isoformat(),
        "hazard_ids": [str(h) for h in i.hazard_ids],
        "version": i.version,
    }


def action(
    ledger: HazardLedger, action_id: UUID, *, scope: Scope, known_at: datetime | None = None
) -> dict[str, Any]:
    """An enforcement action's state as recorded by ``known_at``."""
    a = _seen(ledger, action_id, EnforcementAction, scope=scope, known_at=known_at)
    return {
        "id": str(a.id),
        "version": a.version,
        **{f: plain(getattr(a, f)) for f in ACTION_FIELDS},
    }
