"""A province's event log read from its streaming replica.

A hot standby refuses every write, ``CREATE ... IF NOT EXISTS`` included, so the
ledger's own constructor (which sets up its schema, tables and statistics) cannot open
on it. The follower needs only three things of a ledger: where it lives (``store``),
its notifications (``recorder.select_notifications``) and how they decode
(``mapper``). ``ProvinceLog`` is exactly that, and never writes.
"""

from __future__ import annotations

from typing import cast

from eventsourcing.postgres import PostgresDatastore

from ledger.application import HazardLedger
from ledger.mapper import OrjsonMapper
from ledger.recorders import LedgerPostgresRecorder
from ledger.store import Store, resolve_store

EVENTS_TABLE = HazardLedger.name.lower() + "_events"
"""The table eventsourcing gives the ledger's events (the application's name + _events)."""


class ProvinceLog:
    """The read-only half of a provincial ledger: its notification log and its mapper."""

    def __init__(self, store: Store | str) -> None:
        self.store = store if isinstance(store, Store) else resolve_store(store)
        if not self.store.is_postgres:
            raise ValueError(
                "a province is followed on PostgreSQL (a postgresql:// DSN) / "
                "省级台账须为 PostgreSQL（postgresql:// 地址）"
            )
        s = self.store
        self.datastore = PostgresDatastore(
            s.dbname, s.host, s.port, s.user, s.password, schema=s.schema, pool_size=1
        )
        self.recorder = LedgerPostgresRecorder(self.datastore, events_table_name=EVENTS_TABLE)
        self.mapper = OrjsonMapper()

    def head(self) -> int:
        """The last notification id the replica holds (0 for an empty log)."""
        return int(self.recorder.max_notification_id() or 0)

    def as_ledger(self) -> HazardLedger:
        """This log where a follower expects a ledger: it reads ``store``, ``recorder``
        and ``mapper`` only (``projections.follower``), all of which this has."""
        return cast(HazardLedger, self)

    def close(self) -> None:
        self.datastore.close()
