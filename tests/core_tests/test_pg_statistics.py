"""The ledger gives PostgreSQL statistics for its own tables when they have none."""

from __future__ import annotations

import pytest

from ledger import pg_statistics
from ledger.application import HazardLedger
from tests.conftest import FakeClock
from tests.support import register_restaurant, report_case


def analysed_columns(app: HazardLedger, table: str) -> int:
    with app.store.connect_postgres() as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM pg_stats WHERE schemaname = %s AND tablename = %s",
            (app.store.schema, table),
        ).fetchone()
    return int(row[0])


def test_a_never_analysed_events_table_is_analysed_on_open(
    ledger: HazardLedger, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not ledger.store.is_postgres:
        pytest.skip("planner statistics are PostgreSQL's")
    register_restaurant(ledger, clock.now)
    report_case(ledger, clock.now)
    events = ledger.own_tables()[0]
    assert analysed_columns(ledger, events) == 0  # this server may run without autovacuum
    monkeypatch.setattr(pg_statistics, "NEVER_ANALYSED_FROM", 0)
    again = HazardLedger(ledger.store)
    try:
        assert analysed_columns(again, events) > 0
        assert analysed_columns(again, "integrity_log") > 0
        # Once analysed, opening the ledger analyses nothing more.
        assert pg_statistics.analyse(again.store, again.own_tables(), only_if_never=True) == []
    finally:
        again.close()


def test_sqlite_is_left_alone(tmp_path: object) -> None:
    app = HazardLedger(f"{tmp_path}/l.db")
    try:
        assert pg_statistics.analyse(app.store, app.own_tables()) == []
    finally:
        app.close()
