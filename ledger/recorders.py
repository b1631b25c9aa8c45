"""The event recorders: eventsourcing's, with the ledger's write transaction.

Two things change from the library's recorders:

* SQLite writes take the write lock up front (``BEGIN IMMEDIATE``) and run with
  ``synchronous=FULL``, so that concurrent writers from several processes queue
  instead of failing late, and an acknowledged write survives a power cut.
* After the events are inserted, and still inside the same transaction, every
  registered ``InsertListener`` runs with the cursor. The integrity log uses this to
  append the Merkle leaves of the new events atomically with the events themselves.
  On PostgreSQL the library already holds an EXCLUSIVE lock on the events table at
  that point, so listeners see a serialised stream on both stores.
* A listener that raises rolls the whole write back, events included, on both stores
  (the library's PostgreSQL recorder would commit a transaction whose failure was not
  the database's own, so ``insert_events`` is overridden there).
* On PostgreSQL a listener that has ``read_ahead(new_cursor, **kwargs)`` (itself or
  the object it is a method of: the integrity log reads its tree state, the idempotent
  answers write theirs) has the statements it sends on cursors from ``new_cursor()``
  queued in the pipeline with the insert, and gets what it returned (its cursors) as
  ``read_ahead=``: the results come back in the round trip that returns the
  notification ids instead of costing one of their own per write.
* On PostgreSQL the write is two round trips: ``BEGIN``, the insert and the listeners'
  read-ahead statements; then the listeners' statements and ``COMMIT``. psycopg's
  transaction block inside a pipeline syncs after ``BEGIN``, before ``COMMIT`` and
  after it (five round trips in all), so the recorder sends ``BEGIN`` and ``COMMIT``
  itself, and rolls back whatever did not commit before the connection goes back to
  the pool.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    PersistenceError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
from eventsourcing.utils import retry
from psycopg.pq import TransactionStatus
from psycopg.sql import SQL, Composable, Composed, Identifier

from .write_turns import write_turn

BEGIN = b"BEGIN"
COMMIT = b"COMMIT"
INTRANS = TransactionStatus.INTRANS
INERROR = TransactionStatus.INERROR


def as_bytes(statement: Any) -> Any:
    """``statement`` as the bytes psycopg would send (composed without a connection:
    identifiers and numbers only)."""
    return statement.as_bytes() if isinstance(statement, Composable) else statement


class InsertListener(Protocol):
    """Runs inside the write transaction, after the events are inserted."""

    def __call__(
        self,
        cursor: Any,
        stored_events: Sequence[StoredEvent],
        notification_ids: Sequence[int],
        **kwargs: Any,
    ) -> None: ...


def read_ahead(listener: InsertListener) -> Callable[..., Any] | None:
    """The ``read_ahead(new_cursor, **kwargs)`` of ``listener``, or of the object it is
    a method of, if any: it sends statements on cursors it gets from ``new_cursor()``
    and returns what the listener reads their results from (given as ``read_ahead=``).
    """
    reader = getattr(getattr(listener, "__self__", listener), "read_ahead", None)
    return reader if callable(reader) else None


class ListenerMixin:
    listeners: list[InsertListener]

    def _run_listeners(
        self,
        cursor: Any,
        stored_events: Sequence[StoredEvent],
        ids: Sequence[int],
        kwargs: Any,
        ahead: dict[int, Any] | None = None,
    ) -> None:
        for i, listener in enumerate(self.listeners):
            if ahead and i in ahead:
                listener(cursor, stored_events, ids, **kwargs, read_ahead=ahead[i])
            else:
                listener(cursor, stored_events, ids, **kwargs)


class LedgerSQLiteRecorder(ListenerMixin, SQLiteApplicationRecorder):
    dialect = "sqlite"

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self.listeners = []
        self._select_stream = (
            f"SELECT originator_version, topic, state FROM {events_table_name} "
            "WHERE originator_id = ? ORDER BY originator_version"
        )

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """A record's whole stream (what loading a record asks for) in one statement;
        anything else as the library reads it. The library wraps every read in
        ``BEGIN`` … ``ROLLBACK``; a single ``SELECT`` in autocommit mode reads one
        consistent snapshot by itself, so the same rows come back for two statements
        and two context managers fewer, on the pool's reading connection as before."""
        plain = gt is None and lte is None and not desc and limit is None
        if not plain or not isinstance(originator_id, UUID):
            return super().select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        # The library hands back the id it stored, as a UUID when ids are UUIDs: the
        # one asked for. Text ids go through its own conversion.
        oid: UUID | str = originator_id
        if self.datastore.originator_id_type != "uuid":
            oid = self.convert_originator_id(originator_id.hex)
        pool = self.datastore.pool
        conn = pool.get_connection(is_writer=False)
        try:
            cursor = conn.cursor().sqlite_cursor
            try:
                cursor.execute(self._select_stream, (originator_id.hex,))
                rows = cursor.fetchall()
            finally:
                cursor.close()
        finally:
            pool.put_connection(conn)
        return [
            StoredEvent(originator_id=oid, originator_version=v, topic=t, state=s)
            for v, t, s in rows
        ]

    def select_streams(self, originator_ids: Sequence[UUID]) -> dict[UUID, list[StoredEvent]]:
        """The whole streams of several records in one statement (records without events
        are absent): what ``select_events`` gives for each, asked together."""
        by_hex = {oid.hex: oid for oid in originator_ids}
        marks = ",".join("?" * len(by_hex))
        statement = (
            f"SELECT originator_id, originator_version, topic, state FROM "
            f"{self.events_table_name} WHERE originator_id IN ({marks}) "
            "ORDER BY originator_id, originator_version"
        )
        pool = self.datastore.pool
        conn = pool.get_connection(is_writer=False)
        try:
            cursor = conn.cursor().sqlite_cursor
            try:
                cursor.execute(statement, tuple(by_hex))
                rows = cursor.fetchall()
            finally:
                cursor.close()
        finally:
            pool.put_connection(conn)
        streams: dict[UUID, list[StoredEvent]] = {}
        for i, v, t, s in rows:
            oid = by_hex[i]
            streams.setdefault(oid, []).append(StoredEvent(oid, v, t, s))
        return streams

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with self.datastore.get_connection(commit=True) as conn:
            cursor = conn.cursor()
            raw = cursor.sqlite_cursor
            try:
                # Cheap (no I/O) and per connection: set it every time rather than
                # track which pooled connections have it.
                raw.execute("PRAGMA synchronous=FULL")
                with write_turn(self.datastore.pool.db_name):
                    raw.execute("BEGIN IMMEDIATE")
                    ids = self._insert_events(cursor, stored_events, **kwargs)
                    self._run_listeners(raw, stored_events, ids or [], kwargs)
                    conn.commit()
                return ids
            except sqlite3.IntegrityError as e:
                conn.rollback()
                raise IntegrityError(e) from e
            except sqlite3.OperationalError as e:
                conn.rollback()
                raise OperationalError(e) from e
            except sqlite3.Error as e:
                conn.rollback()
                raise PersistenceError(e) from e
            except BaseException:
                conn.rollback()
                raise
            finally:
                raw.close()


class LedgerPostgresRecorder(ListenerMixin, PostgresApplicationRecorder):
    dialect = "postgres"

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.listeners = []
        self.event_channel = f"hazard_ledger_events_{datastore.schema or 'public'}"[:63]
        # The library NOTIFYs its channel in every write; the ledger's is that channel,
        # so each write sends one notification (delivered at commit, never for a
        # rolled-back write), which wakes projection followers at once.
        self.channel_name = self.event_channel
        # psycopg turns a composed statement into bytes at every execute (5-10 us each
        # for these, a write sends four and a read one); they never change, so they
        # are turned into bytes once.
        self.insert_events_statement = Composed([SQL(self.insert_events_statement.as_string())])
        self.lock_table_statements = [as_bytes(s) for s in self.lock_table_statements]
        self._notify = SQL("NOTIFY {0}").format(Identifier(self.channel_name)).as_bytes()
        table = SQL("{schema}.{table}").format(
            schema=Identifier(datastore.schema), table=Identifier(events_table_name)
        )
        self._select_stream = (
            SQL(
                "SELECT originator_id, originator_version, topic, state FROM {table} "
                "WHERE originator_id = %s ORDER BY originator_version ASC"
            )
            .format(table=table)
            .as_bytes()
        )
        self._select_streams = (
            SQL(
                "SELECT originator_id, originator_version, topic, state FROM {table} "
                "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
            )
            .format(table=table)
            .as_bytes()
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """A record's whole stream (what loading a record asks for) by the library's
        statement, written once instead of composed anew for every read; anything
        else as the library reads it."""
        if gt is not None or lte is not None or desc or limit is not None:
            read: Sequence[StoredEvent] = super().select_events(
                originator_id, gt=gt, lte=lte, desc=desc, limit=limit
            )
            return read
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._select_stream, (originator_id,), prepare=True)
            return [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def _notify_channel(self, curs: Any) -> None:
        curs.execute(self._notify)

    def select_streams(self, originator_ids: Sequence[UUID]) -> dict[UUID, list[StoredEvent]]:
        """The whole streams of several records in one statement and one round trip
        (records without events are absent): what ``select_events`` gives for each."""
        streams: dict[UUID, list[StoredEvent]] = {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._select_streams, (list(originator_ids),), prepare=True)
            for row in curs.fetchall():
                oid = row["originator_id"]
                streams.setdefault(oid, []).append(
                    StoredEvent(oid, row["originator_version"], row["topic"], bytes(row["state"]))
                )
        return streams

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's write (without its database functions) in two round trips, and
        an error leaves the transaction block: the library keeps it inside, where a
        listener's exception, not being the database's, let the events commit."""
        assert not self.datastore.enable_db_functions, "listeners need the plain insert"
        failure: BaseException | None = None
        ids: Sequence[int] | None = None
        with self.datastore.get_connection() as conn:
            try:
                with conn.pipeline() as pipeline:
                    try:
                        ids = self._write(conn, pipeline, stored_events, kwargs)
                    except BaseException as e:
                        failure = e  # raised outside the pipeline, as the library does
            except Exception as e:  # the closing sync: a listener's statement or COMMIT
                failure = failure or e
            finally:
                # A failure anywhere leaves the transaction open or aborted: end it
                # here, not in the pool.
                if conn.info.transaction_status in (INTRANS, INERROR):
                    conn.rollback()
            if failure is not None:
                raise failure
        return ids

    def _write(
        self, conn: Any, pipeline: Any, stored_events: Sequence[StoredEvent], kwargs: Any
    ) -> Sequence[int] | None:
        """Queue ``BEGIN``, the insert and the listeners' read-ahead statements and sync
        (uniqueness violations raise here); run the listeners and queue ``COMMIT``, whose
        answer (or the first failure before it, which it then never ran after) comes
        back in the pipeline's closing sync, before anything is acknowledged."""
        ids = None
        with conn.cursor() as curs, contextlib.ExitStack() as cursors:
            curs.execute(BEGIN)
            self._insert_events(curs, stored_events, **kwargs)
            if stored_events:
                self._insert_stored_events(curs, stored_events, **kwargs)

                def new_cursor() -> Any:
                    return cursors.enter_context(conn.cursor())

                ahead = {}
                for i, listener in enumerate(self.listeners):
                    reader = read_ahead(listener)
                    if reader is not None:
                        ahead[i] = reader(new_cursor, **kwargs)
                pipeline.sync()
                ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
                self._run_listeners(curs, stored_events, ids or [], kwargs, ahead)
            curs.execute(COMMIT)
        return ids
