"""Plain-value views of aggregates and events, for the CLI, the API and reports.

Queries return plain values (dicts of JSON-ready scalars), not aggregates, so callers
never mutate domain objects by accident and serialisation stays in one place.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import orjson

from .events import LATE_ENTRY_THRESHOLD, LedgerAggregate
from .hazard import HazardCase
from .mapper import encode

_COMMON = {
    "originator_id",
    "originator_version",
    "timestamp",
    "actor",
    "occurred_at",
    "justification",
    "originator_topic",
}


def plain(value: Any) -> Any:
    """Turn domain values into JSON-ready ones."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple | frozenset | set):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def is_late(event: LedgerAggregate.Event) -> bool:
    """Recorded long after it happened (补录): auditors must see it wherever it shows."""
    return event.timestamp - event.occurred_at > LATE_ENTRY_THRESHOLD


def json_ready(values: dict[str, Any]) -> Any:
    """``plain`` applied to a mapping, through orjson's C encoder (same strings, faster)."""
    try:
        return orjson.loads(encode(values))
    except TypeError:
        return {str(k): plain(v) for k, v in values.items()}


def event_row(event: LedgerAggregate.Event) -> dict[str, Any]:
    changes = json_ready({k: v for k, v in vars(event).items() if k not in _COMMON})
    return {
        "version": event.originator_version,
        "event": type(event).__name__,
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.timestamp.isoformat(),
        "actor": event.actor.label(),
        "actor_id": event.actor.id,
        "actor_role": event.actor.role.value,
        "late": is_late(event),
        "late_by_days": max(0, (event.timestamp - event.occurred_at).days),
        "justification": event.justification,
        "changes": changes,
    }


def case_summary(case: HazardCase, at: datetime) -> dict[str, Any]:
    """The case's state in one flat mapping; overdue is computed for moment ``at``."""
    return {
        "id": str(case.id),
        "version": case.version,
        "status": case.status.value,
        "grade": case.grade.value if case.grade else None,
        "criteria": list(case.criteria),
        "sector": case.sector,
        "region_code": case.region_code,
        "enterprise_code": case.enterprise_code,
        "enterprise_name": case.enterprise_name,
        "location": case.location,
        "description": case.description,
        "source": case.source.value,
        "found_by": case.found_by,
        "found_at": case.found_at.isoformat(),
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "overdue": case.is_overdue(at),
        "overdue_days": case.overdue_days(at),
        "extensions": case.extensions,
        "assigned_department": case.assigned_department,
        "listing_level": case.listing_level.value if case.listing_level else None,
        "plan_filed": case.plan is not None,
        "measures": case.measures,
        "completed_at": case.completed_at.isoformat() if case.completed_at else None,
        "rectification_reporter": case.rectification_reporter,
        "verified_by": case.verified_by,
        "closed_by": case.closed_by,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "reopen_count": case.reopen_count,
    }
