"""The PostgreSQL write sends its tree-state read with the insert and one notification
per write on the ledger's channel; the leaves it appends are the ones verify expects."""

from __future__ import annotations

import pytest

from ledger.application import HazardLedger
from tests.conftest import FakeClock
from tests.support import assigned_case, register_restaurant, report_case


def test_leaves_appended_with_the_insert_verify(ledger: HazardLedger, clock: FakeClock) -> None:
    assigned_case(ledger, clock.now)
    for _ in range(3):
        report_case(ledger, clock.now)
    size, _ = ledger.integrity.tree_head()
    assert size == 7  # registered, reported, graded, assigned, three more reported
    assert ledger.integrity.verify().ok


def test_each_write_notifies_the_ledgers_channel_once(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    if not ledger.store.is_postgres:
        pytest.skip("PostgreSQL's notifications")
    from psycopg import sql

    with ledger.store.connect_postgres() as listener:
        listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(ledger.store.event_channel)))
        register_restaurant(ledger, clock.now)
        for _ in range(3):
            report_case(ledger, clock.now)
        # Identical notifications are folded only within one transaction: four arrive.
        arrived = []
        for note in listener.notifies(timeout=10, stop_after=4):
            arrived.append(note.channel)
        assert arrived == [ledger.store.event_channel] * 4
