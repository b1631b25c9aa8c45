"""Time: every read route answers ``known_at=T`` exactly as a copy of the ledger holding
only the events recorded up to T answers now (its clock standing at T).

For each route in ``READ_ROUTES`` that must honour time, hypothesis draws a moment T
across the generated history, a viewer (role × scope) and a request (ids that exist by
T or only later, months, regions, filters). Routes answered from read models get their
snapshot at T built first through ``POST /snapshots``, as the web page does. The copy is
made by copying the stored events recorded up to T, in order, into a fresh store, and
its read models are caught up from them.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .harness import World, answer, first_difference, without
from .requests import requests_for, spread_moments
from .routes import READ_ROUTES
from .world import VIEWERS

pytestmark = pytest.mark.filterwarnings(
    # hypothesis measures the repr of the session fixtures when it reports an example
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

MOMENTS = 14
PICK = st.integers(0, 10_000)
"""Draws are plain indices into lists made from the history (hypothesis replays them
exactly; the history itself is fixed)."""

TIME_ROUTES = sorted(path for path, spec in READ_ROUTES.items() if spec.time)

#: Fields that legitimately differ between the two answers, by name:
#: - ``known_at``: the full ledger's answer echoes the ``known_at`` it was asked for,
#:   the copy (asked without it) echoes nothing;
#: - ``generated_at``: when a document was rendered, not what it says.
ECHOED = ("known_at", "generated_at")


def comparable(status_body: tuple[int, Any]) -> tuple[int, Any]:
    status, body = status_body
    return status, without(body, *ECHOED)


@pytest.mark.parametrize("route", TIME_ROUTES)
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(t=st.integers(0, MOMENTS - 1), viewer=st.sampled_from(sorted(VIEWERS)), pick=PICK)
def test_known_at_answers_like_a_copy_cut_at_that_moment(
    world: World, route: str, t: int, viewer: str, pick: int
) -> None:
    moment = spread_moments(world.history, MOMENTS)[t]
    choices = requests_for(route, world.history)
    request = choices[pick % len(choices)]
    if READ_ROUTES[route].read_model:
        world.snapshot_at(moment)
    copy = world.copy_at(moment)
    full = answer(world.served.get(viewer, request.path, **request.params, known_at=moment))
    cut = answer(copy.get(viewer, request.path, **request.params))
    left, right = comparable(full), comparable(cut)
    assert left == right, (
        f"{request} as {viewer}: known_at={moment.isoformat()} on the full ledger vs a "
        f"copy cut at that moment: {first_difference(list(left), list(right))}"
    )
