"""A field's value as a person reads it: codes named, times in Beijing time, rates as
percentages, yes/no in words, lists and plans written out.

Which group names a field's codes is decided here, once, by the field's name, so every
output (terminal, workbook, review) shows ``status: assigned`` as 状态：限期整改中.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .catalogue import Labels
from .formatting import NOTHING, beijing_minute, percent

#: Fields whose values are codes, and the group that names them.
CODED: dict[str, str] = {
    "status": "status",
    "grade": "grade",
    "sector": "sector",
    "sectors": "sector",
    "source": "source",
    "mode": "mode",
    "listing_level": "listing_level",
    "level": "listing_level",
    "kind": "kind",
    "action_status": "action_status",
    "duty": "duty",
    "role": "role",
    "actor_role": "role",
    "inspection_type": "inspection_type",
    "category": "measure_category",
    "measure_status": "measure_status",
    "severity": "severity",
    "event": "event",
    "rule": "finding",
}

#: Fields holding a moment (Beijing time to the minute) that do not end in ``_at``.
MOMENTS = frozenset({"deadline", "new_deadline", "previous_deadline", "due", "at"})

#: Fields holding a rate between 0 and 1.
RATES = frozenset({"rectification_rate", "rate"})


def is_moment(key: str) -> bool:
    return key.endswith("_at") or key in MOMENTS


def show(labels: Labels, key: str, value: Any) -> str:
    """``value`` of field ``key`` as text for people, in the catalogue's language."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return labels.text("是" if value else "否", "yes" if value else "no")
    if key in RATES and isinstance(value, int | float):
        return percent(float(value))
    group = CODED.get(key)
    if isinstance(value, Mapping):
        group_of_part = {"plan": "plan", "details": "detail"}.get(key, "field")
        sep = labels.colon
        return "；".join(
            f"{labels.name(group_of_part, k)}{sep}{show(labels, str(k), v)}"
            for k, v in value.items()
        )
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        parts = [labels.name(group, v) if group else show(labels, key, v) for v in value]
        return ("、" if labels.lang == "zh" else ", ").join(parts) or NOTHING
    if group is not None:
        return labels.name(group, value)
    if isinstance(value, datetime | date) or (isinstance(value, str) and is_moment(key)):
        return beijing_minute(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
