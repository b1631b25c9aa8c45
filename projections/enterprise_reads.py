"""One enterprise's record as it stood at a cut of both clocks: ``ledger enterprise show``.

Its hazard cases, enforcement actions and inspections are folded from their events, cut
at ``known_at`` (as recorded by then) and ``valid_at`` (as it was in the world then),
and narrowed to the viewer's scope.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ledger.application import HazardLedger
from ledger.enforcement import EnforcementAction
from ledger.enterprise import Enterprise
from ledger.errors import NotFound
from ledger.hazard import HazardCase
from ledger.inspection import Inspection
from ledger.review.index import enterprise_aggregates
from ledger.review.report import visible_enterprise
from ledger.scope import Scope
from ledger.views import is_late, plain


def enterprise_record(
    ledger: HazardLedger,
    code: str,
    *,
    scope: Scope,
    known_at: datetime | None = None,
    valid_at: datetime | None = None,
) -> dict[str, Any]:
    """The enterprise and its aggregates in ``scope`` as they stood at the given cut, as
    plain values.

    Aggregates nothing of which was known (or had happened) by the cut are left out, and
    so are those outside the scope; ``late_entries`` counts the events in the cut
    recorded long after they happened.
    """
    visible_enterprise(ledger, code, scope=scope, known_at=known_at)
    enterprise_state = ledger.state_at(
        ledger.enterprise(code).id, known_at=known_at, valid_at=valid_at
    )
    if not isinstance(enterprise_state, Enterprise):
        raise NotFound("Enterprise", code)
    at = valid_at or known_at or ledger.clock()
    ids = enterprise_aggregates(ledger, code)

    def cut(aggregate_id: Any) -> tuple[Any, int]:
        state: Any = ledger.state_at(aggregate_id, known_at=known_at, valid_at=valid_at)
        if state is None or not scope.sees(
            region_code=state.region_code,
            sector=state.sector,
            enterprise_code=state.enterprise_code,
        ):
            return None, 0
        late = sum(1 for e in ledger.history(aggregate_id)[: state.version] if is_late(e))
        return state, late

    cases, actions, inspections = [], [], []
    for case_id in ids.cases:
        case, late = cut(case_id)
        if isinstance(case, HazardCase):
            cases.append(
                {
                    "id": str(case.id),
                    "found_at": case.found_at.isoformat(),
                    "grade": case.grade.value if case.grade else None,
                    "status": case.status.value,
                    "overdue": case.is_overdue(at),
                    "deadline": plain(case.deadline),
                    "description": case.description,
                    "version": case.version,
                    "late_entries": late,
                }
            )
    for action_id in ids.actions:
        action, late = cut(action_id)
        if isinstance(action, EnforcementAction):
            actions.append(
                {
                    "id": str(action.id),
                    "kind": action.kind.value,
                    "document_number": action.document_number,
                    "issued_at": action.issued_at.isoformat(),
                    "status": action.status.value,
                    "suspends_work": action.suspends_work_at(at),
                    "late_entries": late,
                }
            )
    for inspection_id in ids.inspections:
        inspection, late = cut(inspection_id)
        if isinstance(inspection, Inspection):
            inspections.append(
                {
                    "id": str(inspection.id),
                    "type": inspection.inspection_type.value,
                    "inspected_at": inspection.inspected_at.isoformat(),
                    "team": list(inspection.team),
                    "hazards": [str(h) for h in inspection.hazard_ids],
                    "late_entries": late,
                }
            )
    return {
        "known_at": plain(known_at),
        "valid_at": plain(valid_at),
        "enterprise": {
            "credit_code": enterprise_state.credit_code,
            "name": enterprise_state.name,
            "region_code": enterprise_state.region_code,
            "sectors": list(enterprise_state.sectors),
            "principal": plain(enterprise_state.principal_on(at)),
        },
        "cases": cases,
        "actions": actions,
        "inspections": inspections,
    }
