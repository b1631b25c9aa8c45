"""The two clock rules (``Context.check_clocks``) hold to the microsecond for moments
of any two zones: a business time more than ``CLOCK_SKEW`` after the recording is
refused, and one more than ``LATE_ENTRY_THRESHOLD`` before it needs a justification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import RuleViolated
from ledger.events import CLOCK_SKEW, LATE_ENTRY_THRESHOLD, Context
from ledger.identity import Actor, Role

ACTOR = Actor("insp", "检查员", Role.INSPECTOR, "县局")
RECORDED = datetime(2026, 3, 3, 9, tzinfo=UTC)
ZONES = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-14 * 60, 14 * 60)
)
NEAR_A_LIMIT = st.builds(
    lambda limit, shift, zone: (RECORDED + limit + timedelta(microseconds=shift)).astimezone(zone),
    st.sampled_from([CLOCK_SKEW, -LATE_ENTRY_THRESHOLD, timedelta(0)]),
    st.integers(-2, 2) | st.integers(-(10**12), 10**12),
    ZONES,
)


def refusal(occurred_at: datetime, recorded_at: datetime, justification: str | None) -> str:
    try:
        Context(ACTOR, occurred_at, recorded_at, justification).check_clocks()
    except RuleViolated as e:
        return e.violations[0].rule
    return ""


@settings(max_examples=400, deadline=None)
@given(occurred_at=NEAR_A_LIMIT, zone=ZONES, justification=st.sampled_from([None, " ", "补录"]))
def test_clock_rules_hold_to_the_microsecond_across_zones(
    occurred_at: datetime, zone: timezone, justification: str | None
) -> None:
    recorded_at = RECORDED.astimezone(zone)
    if occurred_at > recorded_at + CLOCK_SKEW:
        expected = "OCCURRED_AT_IN_FUTURE"
    elif recorded_at - occurred_at > LATE_ENTRY_THRESHOLD and justification != "补录":
        expected = "LATE_ENTRY_NEEDS_JUSTIFICATION"
    else:
        expected = ""
    assert refusal(occurred_at, recorded_at, justification) == expected
