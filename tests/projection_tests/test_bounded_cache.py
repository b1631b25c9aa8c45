"""A row cache far too small to hold the model changes nothing but memory.

The follower keeps a bounded number of rows per projection between batches and evicts
the rest (they are already in the tables). With a limit of zero rows only the rows the
last batch touched stay cached, so with batches of a few events nearly every row a fold
touches again has been evicted and is read back: the tables must still come out
identical to those of a follower whose cache held them all, on both stores, for any
history; also when the filter of evicted keys answers "maybe" for every key, and when
a poisoned event makes the batch fold twice.
"""

from __future__ import annotations

from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from projections.base import StoredKeys
from projections.follower import Follower
from projections.registry import builtin_projections
from tests.conftest import FakeClock, postgres_dsn

from .helpers import OPS, HistoryWriter, dump
from .test_equivalence import fresh_ledger
from .test_quarantine import Probe, count, history

operations = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 999), st.integers(0, 999)),
    min_size=30,
    max_size=120,
)
EVERYTHING = 10**9


def tiny(app: HazardLedger, batch: int, rows: int = 0) -> Follower:
    return Follower(app, builtin_projections(), batch_size=batch, cache_rows=rows)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations, chunk=st.integers(1, 15), batch=st.integers(1, 9), rows=st.integers(0, 6))
def test_a_tiny_cache_gives_the_same_tables(
    kind: str, ops: list[tuple[str, int, int]], chunk: int, batch: int, rows: int
) -> None:
    if kind == "postgres" and postgres_dsn() is None:
        pytest.skip("PostgreSQL case skipped: set LEDGER_TEST_POSTGRES_DSN to run it")
    with fresh_ledger(kind) as (app, clock):
        writer = HistoryWriter(app, clock)
        incremental = tiny(app, batch, rows)
        for i, op in enumerate(ops):
            writer.play(op)
            if i % chunk == 0:
                incremental.catch_up()
        incremental.catch_up()
        followed = dump(incremental)
        incremental.close()

        whole = Follower(app, builtin_projections(), batch_size=2000, cache_rows=EVERYTHING)
        whole.rebuild()
        reference = dump(whole)
        whole.close()

        evicting = tiny(app, batch, rows)
        evicting.rebuild()
        rebuilt = dump(evicting)
        over = {
            name: t.rows.size()
            for name, t in evicting.targets.items()
            if t.rows.size() > rows and any(t.rows.cache.values())
        }
        evicted = evicting.targets["hazard_register"].rows.stored.bits
        evicting.close()

        with patch.object(StoredKeys, "BITS", 8):  # every evicted-key check says "maybe"
            doubting = tiny(app, batch, rows)
            doubting.rebuild()
            rebuilt_doubting = dump(doubting)
            doubting.close()

        assert followed == reference == rebuilt == rebuilt_doubting
        assert not over, "over the limit, only the last batch's rows are kept"
        if len(writer.cases) > batch + rows:
            assert evicted.count(0) < len(evicted), "rows were evicted and remembered"


@pytest.mark.parametrize("batch_size", [2000, 3, 1])
@pytest.mark.parametrize("cache_rows", [0, EVERYTHING])
def test_a_poisoned_event_is_set_aside_whatever_the_cache(
    ledger: HazardLedger, clock: FakeClock, batch_size: int, cache_rows: int
) -> None:
    """The batch is folded again without the event, its rows read back where needed."""
    position = history(ledger, clock)
    follower = Follower(ledger, [Probe()], batch_size=batch_size, cache_rows=cache_rows)
    follower.rebuild()
    assert count(follower) == 4  # the poisoned event's half-done change is gone
    [entry] = follower.quarantined()
    assert entry["position"] == position
    follower.close()
