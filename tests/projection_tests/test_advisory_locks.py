"""Projection locks on PostgreSQL: held per schema, and a batch lost to a lock is retried,
never skipped — a rebuild is swapped in only with every event applied."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pytest

from ledger.application import HazardLedger
from ledger.store import Store
from projections.db import ReadStore
from tests.conftest import FakeClock
from tests.support import register_restaurant, report_case

from .helpers import HistoryWriter, dump, follower, random_ops


def hold_lock(store: Store, name: str) -> Any:
    """A connection of another worker of ``store``'s ledger, holding projection ``name``'s
    lock in an open transaction (as a worker writing a batch does)."""
    conn = store.connect_postgres()
    conn.autocommit = False
    assert ReadStore(store).try_lock(conn, name)
    return conn


@pytest.fixture
def written(ledger: HazardLedger, clock: FakeClock) -> HazardLedger:
    if not ledger.store.is_postgres:
        pytest.skip("advisory locks are PostgreSQL's")
    writer = HistoryWriter(ledger, clock)
    for op in random_ops(7, 60):
        writer.play(op)
    return ledger


def expected_tables(app: HazardLedger) -> dict[str, list[tuple[object, ...]]]:
    reference = follower(app, batch_size=1000)
    reference.rebuild()
    tables = dump(reference)
    reference.close()
    return tables


def test_a_lock_held_in_another_schema_does_not_stop_this_one(written: HazardLedger) -> None:
    expected = expected_tables(written)
    elsewhere = replace(written.store, schema=f"{written.store.schema}_other")
    held = [hold_lock(elsewhere, n) for n in ("hazard_register__build", "sector_statistics__build")]
    try:
        rebuilding = follower(written, batch_size=7)
        finished = threading.Thread(target=rebuilding.rebuild, daemon=True)
        finished.start()
        finished.join(timeout=20)
        assert not finished.is_alive(), "the rebuild waited on another schema's lock"
        assert dump(rebuilding) == expected
        rebuilding.close()
    finally:
        for conn in held:
            conn.close()


def test_a_final_batch_lost_to_the_lock_is_applied_once_it_is_free(
    written: HazardLedger, clock: FakeClock
) -> None:
    rebuilding = follower(written, batch_size=1000)
    rebuilding.rebuild(max_batches=1)  # the whole history so far, build not yet swapped
    register_restaurant(written, clock.now)
    report_case(written, clock.now)  # the last batch: one new hazard
    holder = hold_lock(written.store, "hazard_register__build")
    threading.Timer(0.5, holder.close).start()
    rebuilding.catch_up()  # must wait for the lock, not swap the build without the batch
    assert dump(rebuilding) == expected_tables(written)
    rebuilding.close()
