"""The bounds judge a moment of a fixed-offset zone they have met before (its range
remembered in that zone) exactly as they judge it the first time: by the instant,
against ``EARLIEST`` and ``LATEST``, to the microsecond, business time included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import bounds
from ledger import commands as c
from ledger.errors import RuleViolated
from ledger.events import CLOCK_SKEW

NOW = datetime(2026, 3, 3, 9, tzinfo=UTC)
#: The same zone objects again and again, as a workbook's moments share one.
ZONES = [timezone(timedelta(minutes=m)) for m in (-14 * 60, -330, 0, 345, 8 * 60, 14 * 60)]
EDGES = [bounds.EARLIEST, bounds.LATEST, NOW + CLOCK_SKEW]
NEAR_EDGE = st.builds(
    lambda edge, shift, zone: (edge + timedelta(microseconds=shift)).astimezone(zone),
    st.sampled_from(EDGES),
    st.integers(-3, 3) | st.integers(-(10**12), 10**12),
    st.sampled_from(ZONES),
)


def refused(command: c.Command) -> list[tuple[str, str]]:
    try:
        bounds.check(command, now=NOW)
    except RuleViolated as e:
        return [(v.rule, v.field) for v in e.violations]
    return []


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(moment=NEAR_EDGE)
def test_a_remembered_zone_judges_as_the_first_time(moment: datetime) -> None:
    bounds._SPANS.clear()  # at most _MAX_SPANS zones are remembered: start each example empty
    in_range = bounds.EARLIEST <= moment <= bounds.LATEST
    assign = c.AssignRectification(
        occurred_at=NOW, case_id=UUID(int=1), department="县局", deadline=moment, requirements="r"
    )
    grade = c.GradeHazard(occurred_at=moment, case_id=UUID(int=1), grade="general")
    for _ in range(2):  # the first time may remember the zone; the second uses it
        assert (refused(assign) == []) is in_range
        assert (refused(grade) == []) is (in_range and moment <= NOW + CLOCK_SKEW)
    assert moment.tzinfo in bounds._SPANS


def test_a_zone_met_again_as_another_equal_object_is_judged_the_long_way() -> None:
    first, again = timezone(timedelta(hours=5)), timezone(timedelta(hours=5))
    assert first == again and first is not again
    for zone in (first, again, first):
        inside = datetime(2026, 3, 3, 9, tzinfo=zone)
        outside = (bounds.LATEST + timedelta(microseconds=1)).astimezone(zone)
        for moment, accepted in ((inside, True), (outside, False)):
            command = c.AssignRectification(
                occurred_at=NOW,
                case_id=UUID(int=1),
                department="县局",
                deadline=moment,
                requirements="r",
            )
            assert (refused(command) == []) is accepted
