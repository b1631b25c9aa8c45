"""Starting the accountability review from a recorded accident.

The accident names the enterprise and the moment, so the reviewer asks by the accident's
id and cannot mistype either. An accident outside the reviewer's scope, or not yet
recorded by ``known_at``, is ``NotFound``, exactly like an id nobody used.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from ledger.accident import LEVEL_EN, LEVEL_ZH, Accident
from ledger.application import HazardLedger
from ledger.errors import NotFound
from ledger.scope import Scope


def visible_accident(
    ledger: HazardLedger, accident_id: UUID, *, scope: Scope, known_at: datetime | None
) -> Accident:
    """The accident as recorded by ``known_at``, if the scope sees it."""
    try:
        state = ledger.state_at(accident_id, known_at=known_at)
    except NotFound:
        raise NotFound("Accident", accident_id) from None
    if not isinstance(state, Accident) or not scope.sees(
        region_code=state.region_code, sector=state.sector, enterprise_code=state.enterprise_code
    ):
        raise NotFound("Accident", accident_id)
    return state


def accident_summary(accident: Accident) -> dict[str, Any]:
    """The accident as the review and the API show it."""
    return {
        "id": str(accident.id),
        "happened_at": accident.happened_at.isoformat(),
        "enterprise_code": accident.enterprise_code,
        "region_code": accident.region_code,
        "sector": accident.sector,
        "place": accident.place,
        "description": accident.description,
        "deaths": accident.deaths,
        "serious_injuries": accident.serious_injuries,
        "direct_loss": str(accident.direct_loss),
        "level": accident.level.value,
        "level_zh": LEVEL_ZH[accident.level],
        "level_en": LEVEL_EN[accident.level],
    }


def review_of_accident(
    ledger: HazardLedger,
    accident_id: UUID,
    *,
    scope: Scope,
    known_at: datetime | None,
    review: Callable[[str, datetime], dict[str, Any]],
) -> dict[str, Any]:
    """The review of the accident's enterprise at the moment it happened (``review``
    builds it with the caller's scope, time and rules), with the accident attached."""
    accident = visible_accident(ledger, accident_id, scope=scope, known_at=known_at)
    report = review(accident.enterprise_code, accident.happened_at)
    return {**report, "accident": accident_summary(accident)}
