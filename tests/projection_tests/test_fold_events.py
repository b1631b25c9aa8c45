"""The rebuild's faster plain events change nothing a plugin fold sees or writes.

Plugin read models fold ``PlainEvent`` mappings; the follower hands them ``FoldEvent``,
a subclass that reads the same fields with fewer checks. For every event of any history
(hazards with sector details of every shape, inspections, actions), every key, present
or not, must give the same value or the same ``KeyError``, in any order of reading; and
every read model, built-in and plugin, must come out the same followed in small batches
with a tiny row cache, rebuilt, and rebuilt with the plain ``PlainEvent``, on both stores.
"""

from __future__ import annotations

import random
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.composition import read_models_for
from ledger.read_model_spec import PlainEvent
from projections import follower as follower_module
from projections.follower import Follower
from projections.plugin_adapter import FoldEvent
from tests.conftest import postgres_dsn
from tests.support import INSPECTOR

from .helpers import OPS, HistoryWriter, dump
from .test_equivalence import fresh_ledger

operations = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 999), st.integers(0, 999)),
    min_size=20,
    max_size=80,
)
DETAILS: tuple[dict[str, Any], ...] = (
    {"premises": "restaurant", "leak_alarm_installed": False},
    {"premises": "restaurant", "leak_alarm_installed": True},
    {"premises": "hotel", "leak_alarm_installed": None},
    {"device_registration_code": "容3310620826000123", "device_type": "pressure_vessel"},
    {"device_registration_code": 42, "nested": {"a": [1, 2.5, None]}},
    {"ammonia_charge_kg": 1200, "system": "机房"},
    {},
)


def play(writer: HistoryWriter, ops: list[tuple[str, int, int]]) -> None:
    """The history, with reports carrying sector details every few operations."""
    app, clock = writer.app, writer.clock
    for i, op in enumerate(ops):
        writer.play(op)
        if i % 4 == 0:
            _, a, b = op
            writer.cases.append(
                app.report_hazard(
                    INSPECTOR,
                    clock.now,
                    enterprise_code=writer.codes[a % len(writer.codes)],
                    sector=("city_gas", "special_equipment")[len(writer.cases) % 2],
                    location="后厨",
                    description="隐患描述",
                    source="grid_patrol",
                    details=DETAILS[(a + b) % len(DETAILS)],
                )
            )


def outcome(mapping: PlainEvent, key: str) -> tuple[str, Any]:
    try:
        return ("value", mapping[key])
    except KeyError as error:
        return ("KeyError", error.args)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations, seed=st.integers(0, 10**6))
def test_fold_events_read_exactly_as_plain_events(
    ops: list[tuple[str, int, int]], seed: int
) -> None:
    rng = random.Random(seed)
    with fresh_ledger("sqlite") as (app, clock):
        play(HistoryWriter(app, clock), ops)
        notes = app.recorder.select_notifications(0, 10**6, inclusive_of_start=False)
        assert notes
        for n in notes:
            event = app.mapper.to_domain_event(n)
            fast, slow = FoldEvent(event, n.id), PlainEvent(event, n.id)
            assert isinstance(fast, PlainEvent)
            keys = [*PlainEvent(event, n.id), "originator_id", "originator_version", "nope"]
            for key in rng.sample(keys, len(keys)) + rng.sample(keys, len(keys)):
                assert outcome(fast, key) == outcome(slow, key)
                assert fast.get(key) == slow.get(key)
                assert fast.get(key, "absent") == slow.get(key, "absent")
                assert (key in fast) == (key in slow)
            assert list(fast) == list(slow) and len(fast) == len(slow)
            assert dict(fast) == dict(slow)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations, chunk=st.integers(1, 12), batch=st.integers(1, 9), rows=st.integers(0, 6))
def test_every_read_model_followed_rebuilt_and_rebuilt_with_plain_events_agree(
    kind: str, ops: list[tuple[str, int, int]], chunk: int, batch: int, rows: int
) -> None:
    if kind == "postgres" and postgres_dsn() is None:
        pytest.skip("PostgreSQL case skipped: set LEDGER_TEST_POSTGRES_DSN to run it")
    with fresh_ledger(kind) as (app, clock):
        incremental = Follower(app, read_models_for(None), batch_size=batch, cache_rows=rows)
        writer = HistoryWriter(app, clock)
        for start in range(0, len(ops), chunk):
            play(writer, ops[start : start + chunk])
            incremental.catch_up()
        followed = dump(incremental)
        incremental.close()

        full = Follower(app, read_models_for(None), batch_size=batch + 3)
        full.rebuild()
        rebuilt = dump(full)
        full.close()

        with patch.object(follower_module, "FoldEvent", PlainEvent):
            plain = Follower(app, read_models_for(None), batch_size=batch + 5)
            plain.rebuild()
            with_plain_events = dump(plain)
            plain.close()

        assert followed == rebuilt == with_plain_events
        assert rebuilt["plugin_special_equipment_device_hazards"]
