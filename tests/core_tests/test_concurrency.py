"""Concurrent writers on one case: one wins, the other is told, nothing is lost."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ledger.application import HazardLedger
from ledger.errors import ConcurrentChange
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, ENTERPRISE_USER, OTHER_OFFICIAL, assigned_case


def _ready_for_verification(ledger: HazardLedger, clock: FakeClock) -> Any:
    case_id = assigned_case(ledger, clock.now)
    clock.advance(days=2)
    ledger.report_rectification(
        ENTERPRISE_USER, clock.now, case_id, measures="已整改", completed_at=clock.now
    )
    clock.advance(days=1)
    return case_id


def test_two_officials_verify_at_the_same_moment(
    ledger: HazardLedger, store_url: str, clock: FakeClock
) -> None:
    case_id = _ready_for_verification(ledger, clock)
    first = HazardLedger(store_url, clock=clock)
    second = HazardLedger(store_url, clock=clock)
    try:
        # Both load version 4, then both act on it.
        a, b = first.case(case_id), second.case(case_id)
        assert a.version == b.version == 4
        a.verify(first._ctx(DEPARTMENT, clock.now, None), accepted=True, opinion="合格")
        b.verify(second._ctx(OTHER_OFFICIAL, clock.now, None), accepted=False, opinion="不合格")
        first._commit(a)
        with pytest.raises(ConcurrentChange):
            second._commit(b)
    finally:
        first.close()
        second.close()
    history = ledger.history(case_id)
    assert [type(e).__name__ for e in history][-1] == "Verified"
    assert len(history) == 5 and history[-1].actor == DEPARTMENT  # no lost, no doubled update


def test_expected_version_refuses_a_stale_write_before_writing(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = _ready_for_verification(ledger, clock)
    stored = ledger.recorder.max_notification_id()
    with pytest.raises(ConcurrentChange):
        ledger.verify_rectification(
            DEPARTMENT, clock.now, case_id, accepted=True, opinion="合格", expected_version=3
        )
    assert ledger.recorder.max_notification_id() == stored


def test_racing_threads_one_wins(ledger: HazardLedger, store_url: str, clock: FakeClock) -> None:
    case_id = _ready_for_verification(ledger, clock)
    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []
    # Each writer has its own application (own connections); they are opened here, one
    # after the other, so that only the writes race.
    apps = [HazardLedger(store_url, clock=clock) for _ in range(2)]

    def verify(app: HazardLedger, actor: Any) -> None:
        try:
            case = app.case(case_id)
            barrier.wait()
            case.verify(app._ctx(actor, clock.now, None), accepted=True, opinion="合格")
            app._commit(case)
            outcomes.append("ok")
        except ConcurrentChange:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=verify, args=(app, actor))
        for app, actor in zip(apps, (DEPARTMENT, OTHER_OFFICIAL), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for app in apps:
        app.close()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert len(ledger.history(case_id)) == 5


def _extend_in_process(store_url: str, case_id: str, start: str, queue: Any) -> None:
    clock = FakeClock(datetime.fromisoformat(start))
    app = HazardLedger(store_url, clock=clock)
    try:
        from uuid import UUID

        case = app.case(UUID(case_id))
        queue.put("loaded")
        import time

        time.sleep(0.3)  # let the other process load the same version
        assert case.deadline is not None
        case.extend_deadline(
            app._ctx(DEPARTMENT, clock.now, None),
            new_deadline=case.deadline + timedelta(days=10),
            reason="施工周期",
            approver="县住建局局长",
        )
        app._commit(case)
        queue.put("ok")
    except ConcurrentChange:
        queue.put("conflict")
    finally:
        app.close()


def test_racing_processes_one_wins(ledger: HazardLedger, store_url: str, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, clock.now)
    clock.advance(hours=1)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(
            target=_extend_in_process, args=(store_url, str(case_id), clock.now.isoformat(), queue)
        )
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    results = sorted(r for r in (queue.get(timeout=5) for _ in range(4)) if r != "loaded")
    assert results == ["conflict", "ok"]
    history = ledger.history(case_id)
    assert sum(type(e).__name__ == "DeadlineExtended" for e in history) == 1


def test_clock_fixture_is_timezone_aware(clock: FakeClock) -> None:
    assert clock.now.tzinfo is UTC
