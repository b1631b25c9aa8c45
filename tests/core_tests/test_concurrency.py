"""Two writers on one case at the same version: one saves, the other is told, none is lost."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

import pytest

from ledger.application import HazardLedger
from ledger.errors import ConcurrentChange
from ledger.identity import Actor, Role
from tests.conftest import FakeClock
from tests.core_tests.walk import footprint, walk_to
from tests.core_tests.writers import WaitForOthers, attempt, process_writer
from tests.support import DEPARTMENT, OTHER_OFFICIAL

SITUATION = {"verify": "rectification_reported", "extend": "assigned"}
EVENT = {"verify": "Verified", "extend": "DeadlineExtended"}


@pytest.mark.parametrize("command", ["verify", "extend"])
def test_two_applications_race_on_one_case(
    ledger: HazardLedger, clock: FakeClock, store_url: str, command: str
) -> None:
    case_id = walk_to(ledger, clock, SITUATION[command])
    before = footprint(ledger, case_id)
    clock.advance(hours=1)
    barrier = threading.Barrier(2)
    writers = [
        HazardLedger(store_url, clock=clock, validators=[WaitForOthers(barrier)]) for _ in range(2)
    ]
    try:
        with ThreadPoolExecutor(2) as pool:
            futures = [
                pool.submit(attempt, app, command, case_id, actor, clock.now)
                for app, actor in zip(writers, (DEPARTMENT, OTHER_OFFICIAL), strict=True)
            ]
            outcomes = sorted(f.result(timeout=90) for f in futures)
    finally:
        for app in writers:
            app.close()
    assert outcomes == ["conflict", "saved"]
    _assert_exactly_one_more(ledger, case_id, before.events, before.stored_rows, command)


def test_two_processes_race_on_one_case(
    ledger: HazardLedger, clock: FakeClock, store_url: str
) -> None:
    case_id = walk_to(ledger, clock, "assigned")
    before = footprint(ledger, case_id)
    clock.advance(hours=1)
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    results = spawn.Queue()
    processes = [
        spawn.Process(
            target=process_writer,
            args=(store_url, "extend", case_id, n, clock.now, barrier, results),
        )
        for n in (1, 2)
    ]
    for p in processes:
        p.start()
    outcomes = sorted(results.get(timeout=120)[1] for _ in processes)
    for p in processes:
        p.join(timeout=60)
        assert p.exitcode == 0
    results.close()
    results.join_thread()
    assert outcomes == ["conflict", "saved"]
    _assert_exactly_one_more(ledger, case_id, before.events, before.stored_rows, "extend")


def _assert_exactly_one_more(
    ledger: HazardLedger, case_id: UUID, events: int, rows: int, command: str
) -> None:
    history = ledger.history(case_id)
    assert len(history) == events + 1
    assert type(history[-1]).__name__ == EVENT[command]
    assert footprint(ledger, case_id).stored_rows == rows + 1
    case = ledger.case(case_id)
    if command == "extend":
        assert case.extensions == 1
    else:
        assert case.verified_by in (DEPARTMENT.id, OTHER_OFFICIAL.id)
        assert case.verified_by == history[-1].actor.id


def test_stale_expected_version_is_refused_before_any_write(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = walk_to(ledger, clock, "rectification_reported")
    stale = ledger.case(case_id).version - 1
    before = footprint(ledger, case_id)
    clock.advance(hours=1)
    with pytest.raises(ConcurrentChange) as changed:
        ledger.verify_rectification(
            DEPARTMENT,
            clock.now,
            case_id,
            accepted=True,
            opinion="合格",
            expected_version=stale,
        )
    assert f"expected version {stale}" in str(changed.value)
    assert changed.value.key == case_id
    assert footprint(ledger, case_id) == before
    ledger.verify_rectification(
        DEPARTMENT,
        clock.now,
        case_id,
        accepted=True,
        opinion="合格",
        expected_version=before.version,
    )
    assert ledger.case(case_id).version == before.version + 1


def test_a_second_writer_with_the_first_writers_version_is_refused(
    ledger: HazardLedger, clock: FakeClock, store_url: str
) -> None:
    """The If-Match pattern across two applications: both read version v, one writes."""
    case_id = walk_to(ledger, clock, "assigned")
    other = HazardLedger(store_url, clock=clock)
    try:
        seen = other.case(case_id).version
        clock.advance(hours=1)
        ledger.record_interim_controls(
            Actor("ent-9", "企业安全员", Role.ENTERPRISE),
            clock.now,
            case_id,
            controls="设置警戒区",
            expected_version=seen,
        )
        with pytest.raises(ConcurrentChange):
            other.escalate(
                DEPARTMENT,
                clock.now,
                case_id,
                level="city",
                reason="逾期",
                expected_version=seen,
            )
        assert [type(e).__name__ for e in other.history(case_id)][-1] == "InterimControlsRecorded"
    finally:
        other.close()
