"""Time on the command line: every CLI read command answers ``--known-at T`` on the full
store exactly as on a copy holding only the events recorded up to T.

The CLI reads the wall clock (it has no clock to stand at T), so both sides are asked
``--known-at T``; on the copy that cut keeps everything, so any difference is something
recorded after T leaking into the full store's answer, or a moment taken from "now"
instead of T. Read-model commands get their snapshot at T on both stores first.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .harness import World, first_difference, without
from .requests import MONTHS, spread_moments
from .test_time_http import ECHOED, MOMENTS

pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

#: Every CLI read command, by how it is called; ids and options are drawn from the facts.
CLI_READS = (
    "case show",
    "case history",
    "enterprise show",
    "register",
    "report monthly",
    "report ranking",
    "review",
)
READ_MODEL_COMMANDS = {"register", "report monthly", "report ranking"}
REGIONS = ("62", "6208", "6211", "620826")

#: Exit codes of a read that answered: 0, or 3 (not found: nothing of it by then).
ANSWERED = (0, 3)


def arguments(command: str, world: World, pick: int) -> list[str]:
    facts = world.facts
    cases = sorted(str(c) for c in facts.cases)
    codes = sorted(facts.enterprises)
    if command in ("case show", "case history"):
        return [*command.split(), cases[pick % len(cases)]]
    if command == "enterprise show":
        return ["enterprise", "show", codes[pick % len(codes)]]
    if command == "register":
        return ["register", "--region", REGIONS[pick % len(REGIONS)], "--limit", "500"]
    month = MONTHS[pick % len(MONTHS)]
    region = REGIONS[(pick // len(MONTHS)) % len(REGIONS)]
    if command == "report monthly":
        return ["report", "monthly", "--region", region, "--month", month]
    if command == "report ranking":
        return ["report", "ranking", "--region", region, "--month", month]
    moments = spread_moments(world.history, 6)
    incident = moments[pick % len(moments)].isoformat()
    code = codes[(pick // len(moments)) % len(codes)]
    return ["review", "--enterprise", code, "--incident-at", incident, "--format", "json"]


def comparable(output: Any) -> Any:
    return without(output, *ECHOED)


@pytest.mark.parametrize("command", CLI_READS)
@settings(
    max_examples=15,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(t=st.integers(0, MOMENTS - 1), pick=st.integers(0, 10_000))
def test_cli_known_at_answers_like_a_copy_cut_at_that_moment(
    world: World, command: str, t: int, pick: int
) -> None:
    moment = spread_moments(world.history, MOMENTS)[t]
    args = [*arguments(command, world, pick), "--known-at", moment.isoformat()]
    if command in READ_MODEL_COMMANDS:
        world.snapshot_at(moment)
        copy = world.copy_snapshot_at(moment)
    else:
        copy = world.copy_at(moment)
    full_code, full = world.cli(world.served.url, *args)
    cut_code, cut = world.cli(copy.url, *args)
    where = f"ledger {' '.join(args)}"
    assert full_code in ANSWERED, f"{where}: exit {full_code} on the full store: {str(full)[:200]}"
    assert (full_code, comparable(full)) == (cut_code, comparable(cut)), (
        f"{where}: full store vs a copy cut at that moment: exit {full_code} vs {cut_code}; "
        f"{first_difference(comparable(full), comparable(cut))}"
    )
