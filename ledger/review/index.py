"""Which aggregates belong to an enterprise: a small index for the review.

There is no enterprise read model yet, so the review finds an enterprise's hazard
cases, enforcement actions and inspections by scanning the application's notification
log for the creation events of those aggregates only (the topic filter runs in the
store) and keeping those whose ``enterprise_code`` matches. It is exact and needs no
extra table; it reads every creation event once, which is fine for a review run and
is the place that will switch to the enterprise-profile read model when it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from ledger.application import HazardLedger
from ledger.enforcement import EnforcementAction
from ledger.hazard import HazardCase
from ledger.inspection import Inspection

PAGE = 500

_KINDS: dict[str, str] = {
    get_topic(HazardCase.Reported): "cases",
    get_topic(EnforcementAction.Issued): "actions",
    get_topic(Inspection.Recorded): "inspections",
}


@dataclass
class EnterpriseAggregates:
    """Ids of one enterprise's aggregates, in recording order."""

    cases: list[UUID] = field(default_factory=list)
    actions: list[UUID] = field(default_factory=list)
    inspections: list[UUID] = field(default_factory=list)


def enterprise_aggregates(ledger: HazardLedger, enterprise_code: str) -> EnterpriseAggregates:
    """Every hazard case, enforcement action and inspection of ``enterprise_code``."""
    recorder = ledger.recorder
    found = EnterpriseAggregates()
    start: int | None = None
    while True:
        page = recorder.select_notifications(
            start, PAGE, topics=list(_KINDS), inclusive_of_start=start is None
        )
        for note in page:
            event: Any = ledger.mapper.to_domain_event(note)
            if getattr(event, "enterprise_code", None) == enterprise_code:
                bucket: list[UUID] = getattr(found, _KINDS[note.topic])
                bucket.append(UUID(str(note.originator_id)))
        if len(page) < PAGE:
            return found
        start = page[-1].id
