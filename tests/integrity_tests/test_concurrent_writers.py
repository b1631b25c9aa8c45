"""Several processes writing at once still produce one gapless, consistent sequence."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

from ledger.application import HazardLedger
from tests.conftest import FakeClock
from tests.support import INSPECTOR, register_restaurant, report_case

WORKERS = 4
CASES_EACH = 12
AT = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    return AT


def write_cases(url: str) -> int:
    """One writer process: report and grade its own cases, one save per command."""
    # The parent created the tables; eventsourcing's own CREATE OR REPLACE FUNCTION is
    # not safe to run from several processes at the same instant on PostgreSQL.
    app = HazardLedger(url, clock=fixed_clock, env={"CREATE_TABLE": "false"})
    try:
        for _ in range(CASES_EACH):
            case_id = report_case(app, AT)
            app.grade_hazard(INSPECTOR, AT, case_id, grade="general")
    finally:
        app.close()
    return CASES_EACH * 2


def test_concurrent_processes_share_one_gapless_sequence(
    ledger: HazardLedger, store_url: str, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
        written = sum(pool.map(write_cases, [store_url] * WORKERS))
    t = ledger.integrity.tables
    rows = t.fetchall(f"SELECT seq, notification_id FROM {t.log} ORDER BY seq")
    assert written == WORKERS * CASES_EACH * 2
    assert [int(r[0]) for r in rows] == list(range(written + 1))
    notification_ids = [int(r[1]) for r in rows]
    assert notification_ids == sorted(notification_ids)
    assert len(set(notification_ids)) == len(notification_ids)
    stored = int(t.fetchall(f"SELECT COUNT(*) FROM {t.events}")[0][0])
    assert stored == written + 1
    report = ledger.integrity.verify()
    assert report.ok, report.failures
    assert report.tree_size == written + 1
