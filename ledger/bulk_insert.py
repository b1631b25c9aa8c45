"""Many events of new or known records written in one transaction, in bulk.

``insert_events(ledger, stored_events)`` stores what ``ledger.recorder.insert_events``
stores for the same events — the events, their integrity-log leaves, the subtree nodes
they complete, the tree state, any redaction, and whatever the other insert listeners
write — in one transaction under the same locks, and fails the same way when a racing
writer stored a version first (``IntegrityError``).

On PostgreSQL the events and the log's rows each go by one binary ``COPY``: the library
sends the events as one array of composites in text, and the recorder's listener one
statement per leaf in its pipeline, which cannot carry a ``COPY``. The events table is
locked ``EXCLUSIVE`` first, as the library's insert does, so the events after the largest
notification id read under the lock are this transaction's, numbered in the order they
were copied. The other insert listeners run in the recorder's order with the same
cursor, without save keyword arguments (a bulk write carries no idempotent answers).

On SQLite the recorder itself writes: its statements run inside the database library
with nothing to save per round trip (one ``executemany`` for the events measured the
same CPU per event as its ``execute`` per event).

Meant for writes of thousands of events (the workbook import's spooled rows); a
command's save goes through the recorder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from .integrity.log import IntegrityLog
from .recorders import LedgerPostgresRecorder

if TYPE_CHECKING:
    from .application import HazardLedger


def insert_events(ledger: HazardLedger, stored_events: Sequence[StoredEvent]) -> list[int]:
    """Store ``stored_events`` (in order) as the recorder would, in one transaction;
    their notification ids. The caller runs the ledger's after-commit step."""
    if not stored_events:
        return []
    recorder = ledger.recorder
    if isinstance(recorder, LedgerPostgresRecorder):
        ids: list[int] = _postgres(recorder, stored_events)
        return ids
    return list(recorder.insert_events(stored_events) or [])


def _listeners(
    listeners: Sequence[Any],
    cursor: Any,
    stored_events: Sequence[StoredEvent],
    ids: Sequence[int],
) -> None:
    """Run the recorder's insert listeners in its order, each as the SQLite recorder
    calls it (no statement read ahead); the integrity log's by its bulk variant
    (``IntegrityLog.record_copied``)."""
    for listener in listeners:
        owner = getattr(listener, "__self__", None)
        if isinstance(owner, IntegrityLog) and listener == owner.record:
            owner.record_copied(cursor, stored_events, ids)
        else:
            listener(cursor, stored_events, ids)


@retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
def _postgres(recorder: LedgerPostgresRecorder, stored_events: Sequence[StoredEvent]) -> list[int]:
    datastore = recorder.datastore
    table = SQL("{}.{}").format(
        Identifier(datastore.schema), Identifier(recorder.events_table_name)
    )
    copy_events = SQL(
        "COPY {} (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
    ).format(table)
    largest = SQL("SELECT MAX(notification_id) AS n FROM {}").format(table)
    ours = SQL(
        "SELECT notification_id FROM {} WHERE notification_id > %s ORDER BY notification_id"
    ).format(table)
    oid_type = "uuid" if datastore.originator_id_type == "uuid" else "text"
    # The library's datastore turns psycopg's errors into the library's (IntegrityError).
    with datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
        recorder._lock_table(curs)
        recorder._notify_channel(curs)
        curs.execute(largest)
        before = (curs.fetchone() or {}).get("n") or 0
        with curs.copy(copy_events) as copy:
            copy.set_types([oid_type, "int8", "text", "bytea"])
            for s in stored_events:
                copy.write_row((s.originator_id, s.originator_version, s.topic, s.state))
        curs.execute(ours, (before,))
        ids = [int(row["notification_id"]) for row in curs.fetchall()]
        if len(ids) != len(stored_events):
            raise RuntimeError("the store returned no notification id for some events")
        _listeners(recorder.listeners, curs, stored_events, ids)
    return ids
