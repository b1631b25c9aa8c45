"""The ledger's SQLite writer keeps its compiled statements: the library's pool would
keep one per connection (``cached_statements=True`` is 1), compiling nearly every
statement of a command anew."""

from __future__ import annotations

from pathlib import Path

from ledger.application import HazardLedger
from ledger.recorders import LedgerSQLiteRecorder
from ledger.sqlite_persistence import StatementCachingPool
from ledger.store import eventsourcing_env, resolve_store
from tests.conftest import FakeClock
from tests.support import register_restaurant, report_case


def test_the_ledger_uses_the_caching_pool_and_still_records(
    tmp_path: Path, clock: FakeClock
) -> None:
    store = str(tmp_path / "ledger.db")
    assert eventsourcing_env(resolve_store(store))["PERSISTENCE_MODULE"].startswith(
        "ledger.sqlite_persistence"
    )
    ledger = HazardLedger(store, clock=clock)
    try:
        recorder = ledger.recorder
        assert isinstance(recorder, LedgerSQLiteRecorder)
        assert isinstance(recorder.datastore.pool, StatementCachingPool)
        register_restaurant(ledger, clock.now)
        report_case(ledger, clock.now)
        assert ledger.integrity.verify().ok
    finally:
        ledger.close()
