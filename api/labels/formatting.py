"""How times and rates are written for people: one way, everywhere.

Officials read Beijing time to the minute (events carry microseconds in UTC, which
nobody reads) and one rate format, ``97.7%``; the CLI, the exports and the page all call
these, so a report printed from the CLI and the same figure on screen agree.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from ..rates import format_rate

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
"""China has one time zone and no daylight saving: a fixed offset is exact."""

NOTHING = "—"
"""What an empty value shows as."""


def beijing_minute(value: datetime | date | str | None) -> str:
    """``2025-03-04 15:07`` in Beijing time, from a datetime or its ISO 8601 text.

    A time without a zone is taken as already Beijing time (how workbooks write it); a
    date stays a date; text that is no time at all is returned unchanged.
    """
    if value is None or value == "":
        return NOTHING
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        value = parsed
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is not None:
        value = value.astimezone(BEIJING)
    return value.strftime("%Y-%m-%d %H:%M")


def beijing_day(value: datetime | date | str | None) -> str:
    """``2025-03-04``: the Beijing calendar day of a moment (for dense listings)."""
    text = beijing_minute(value)
    return text[:10] if text != NOTHING else text


def percent(rate: float | None) -> str:
    """A rate between 0 and 1 as ``97.7%`` (one decimal); no rate (nothing to divide
    by) never as ``0.0%``. The same formatter the workbooks use (``api.rates``)."""
    return format_rate(rate)
