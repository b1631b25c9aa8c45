"""Replay determinism: any legal command sequence, replayed, gives the same state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.errors import RuleViolated
from ledger.hazard import HazardCase
from tests.conftest import FakeClock
from tests.support import register_restaurant, report_case

from .test_transitions import COMMANDS

TEXT = st.text(alphabet="隐患整改措施已完成安全出口消防abc ", min_size=1, max_size=12)


def state_of(case: HazardCase) -> dict[str, Any]:
    return {k: v for k, v in vars(case).items() if k != "_pending_events"}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    choices=st.lists(st.sampled_from(sorted(COMMANDS)), min_size=1, max_size=25),
    gaps=st.lists(st.integers(min_value=0, max_value=72 * 60), min_size=25, max_size=25),
)
def test_any_command_sequence_replays_to_the_same_state(
    tmp_path_factory: Any, choices: list[str], gaps: list[int]
) -> None:
    clock = FakeClock(datetime(2026, 3, 3, 9, tzinfo=UTC))
    path = tmp_path_factory.mktemp("replay") / "ledger.db"
    ledger = HazardLedger(str(path), clock=clock)
    try:
        register_restaurant(ledger, clock.now)
        case_id = report_case(ledger, clock.now)
        applied = 0
        for name, gap in zip(choices, gaps, strict=False):
            clock.advance(minutes=gap)
            before = ledger.case(case_id).version
            try:
                COMMANDS[name](ledger, case_id, clock.now)
                applied += 1
            except RuleViolated:
                # Illegal here: refused and nothing changed.
                assert ledger.case(case_id).version == before
        live = ledger.case(case_id)
        assert live.version == 1 + applied
        other = HazardLedger(str(path), clock=clock)
        try:
            replayed_once = other.case(case_id)
            replayed_twice = other.state_at(case_id)
        finally:
            other.close()
        assert isinstance(replayed_twice, HazardCase)
        assert state_of(replayed_once) == state_of(live) == state_of(replayed_twice)
    finally:
        ledger.close()


def test_replay_on_both_stores(ledger: HazardLedger, store_url: str, clock: FakeClock) -> None:
    register_restaurant(ledger, clock.now)
    case_id = report_case(ledger, clock.now)
    for name in (
        "grade",
        "assign",
        "report_rectification",
        "reject",
        "report_rectification",
        "verify",
        "close",
        "reopen",
        "grade_major",
        "plan",
        "assign",
        "list",
    ):
        clock.advance(hours=5)
        COMMANDS[name](ledger, case_id, clock.now + timedelta(seconds=0))
    live = ledger.case(case_id)
    other = HazardLedger(store_url, clock=clock)
    try:
        assert state_of(other.case(case_id)) == state_of(live)
    finally:
        other.close()
