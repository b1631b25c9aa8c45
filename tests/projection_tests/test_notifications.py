"""On PostgreSQL a write wakes a waiting follower at once (LISTEN/NOTIFY); on SQLite the
follower polls. Either way it applies what was recorded."""

from __future__ import annotations

import threading
import time

from ledger.application import HazardLedger
from ledger.scope import Scope
from projections.follower import Follower
from projections.registry import builtin_projections
from tests.conftest import FakeClock
from tests.support import register_restaurant, report_case

EVERYTHING = Scope.everything()

LONG_POLL = 60.0


def test_a_write_wakes_a_waiting_follower(
    ledger: HazardLedger, clock: FakeClock, store_kind: str
) -> None:
    register_restaurant(ledger, clock.now)
    stop, ready = threading.Event(), threading.Event()
    # On SQLite nothing can wake it early, so poll briskly there.
    interval = LONG_POLL if store_kind == "postgres" else 0.2

    def follow() -> None:
        follower = Follower(ledger, builtin_projections())  # its connection, its thread
        try:
            follower.catch_up()
            ready.set()
            follower.follow(poll_interval=interval, should_stop=stop.is_set)
        finally:
            follower.close()

    worker = threading.Thread(target=follow, daemon=True)
    worker.start()
    try:
        assert ready.wait(30)
        time.sleep(0.5)  # the follower is now waiting
        case_id = report_case(ledger, clock.now)
        deadline = time.monotonic() + LONG_POLL / 3
        seen = False
        while time.monotonic() < deadline and not seen:
            time.sleep(0.1)
            seen = str(case_id) in ledger_rows(ledger)
        assert seen, "the follower did not apply the new event before its poll interval"
    finally:
        stop.set()
        if store_kind == "postgres":
            report_case(ledger, clock.now)  # wake it so it sees the stop flag
        worker.join(timeout=LONG_POLL + 5)


def ledger_rows(ledger: HazardLedger) -> set[str]:
    from projections.queries import ReadModels

    models = ReadModels(ledger.store)
    try:
        return {item["case_id"] for item in models.register(limit=100, scope=EVERYTHING).items}
    finally:
        models.close()


def test_postgres_writes_notify_the_schemas_channel(ledger: HazardLedger) -> None:
    channel = getattr(ledger.recorder, "event_channel", None)
    if ledger.store.is_postgres:
        assert channel == ledger.store.event_channel
    else:
        assert channel is None
