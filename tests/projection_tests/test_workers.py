"""Exactly once under failure: a worker killed mid-batch, and workers racing each other.

A follower process is killed with SIGKILL while it applies batches; a new one starts
from the last committed position. The result must equal a rebuild from zero, and the
counters (which would double if a batch were applied twice) must equal recounts.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

from ledger.application import HazardLedger
from projections.db import ReadStore
from tests.conftest import FakeClock

from .helpers import START, HistoryWriter, dump, follower, random_ops


def slow_follow(store_url: str, batch_size: int) -> None:
    """A worker whose folds take a little time, so that a kill lands mid-batch."""
    from projections import statistics

    original = statistics.SectorStatistics.fold

    def slow_fold(self: statistics.SectorStatistics, event: object, rows: object) -> None:
        time.sleep(0.002)
        original(self, event, rows)  # type: ignore[arg-type]

    statistics.SectorStatistics.fold = slow_fold  # type: ignore[method-assign]
    app = HazardLedger(store_url)
    f = follower(app, batch_size=batch_size)
    f.catch_up()


def build_history(store_url: str, n_ops: int, seed: int = 7) -> tuple[HazardLedger, HistoryWriter]:
    clock = FakeClock(START)
    app = HazardLedger(store_url, clock=clock)
    writer = HistoryWriter(app, clock, enterprises=5)
    for op in random_ops(seed, n_ops):
        writer.play(op)
    return app, writer


def position(app: HazardLedger, name: str) -> int:
    """The committed position, read without taking the write lock."""
    db = ReadStore(app.store)
    conn = db.connect()
    try:
        row = db.execute(
            conn, "SELECT position FROM projection_tracking WHERE name = ?", (name,)
        ).fetchone()
        return int(row[0]) if row else 0
    finally:
        conn.close()


def recount_found(app: HazardLedger, tables: dict[str, list[tuple[object, ...]]]) -> int:
    return sum(int(r[3]) for r in tables["sector_stats"])  # type: ignore[call-overload]


def test_killed_worker_resumes_exactly_once(store_url: str) -> None:
    app, writer = build_history(store_url, 500)
    head = app.recorder.max_notification_id()
    assert head is not None and head > 300
    ctx = multiprocessing.get_context("spawn")
    # A first run builds the live tables (rebuild path), so kill the second, incremental
    # one: first build everything up to a point, then add events and follow slowly.
    first = follower(app, batch_size=100)
    first.catch_up()
    first.close()
    for op in random_ops(8, 500):
        writer.play(op)
    head = app.recorder.max_notification_id()
    assert head is not None
    start_pos = position(app, "sector_statistics")
    proc = ctx.Process(target=slow_follow, args=(store_url, 40))
    proc.start()
    deadline = time.monotonic() + 120
    while position(app, "sector_statistics") <= start_pos + 40:
        assert time.monotonic() < deadline and proc.is_alive()
        time.sleep(0.02)
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    killed_at = position(app, "sector_statistics")
    assert start_pos < killed_at < head, "the kill must land part-way through"

    restarted = follower(app, batch_size=40)
    restarted.catch_up()
    followed = dump(restarted)
    restarted.rebuild()
    rebuilt = dump(restarted)
    restarted.close()
    assert followed == rebuilt
    assert recount_found(app, followed) == len(writer.cases)
    app.close()


def race(store_url: str, batch_size: int) -> None:
    app = HazardLedger(store_url)
    f = follower(app, batch_size=batch_size)
    for _ in range(3):
        f.catch_up()
    f.close()
    app.close()


def test_concurrent_workers_never_double_apply(store_url: str) -> None:
    app, writer = build_history(store_url, 300, seed=11)
    seed_follower = follower(app)
    seed_follower.catch_up()  # live tables exist: the racers follow incrementally
    seed_follower.close()
    for op in random_ops(12, 400):
        writer.play(op)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=race, args=(store_url, 7)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    check = follower(app)
    check.catch_up()
    followed = dump(check)
    check.rebuild()
    assert followed == dump(check)
    assert recount_found(app, followed) == len(writer.cases)
    check.close()
    app.close()
