"""The integrity log's tables, in SQLite and PostgreSQL dialects, and connections.

Six tables live next to the events, in the same store (and, on PostgreSQL, the same
schema):

* ``integrity_log``: one row per event, keyed by the gapless ``seq`` (= leaf index):
  the event's notification id, the header fields, the payload hash and the leaf hash.
* ``integrity_tree``: one row; the current tree size, the compact Merkle frontier and
  the root, so that appending costs O(log n) and never rereads the log.
* ``integrity_nodes``: the root of every perfect, aligned subtree of 256 leaves or
  more, written as the leaf that completes it is appended, so that a proof reads
  O(log n) stored nodes and at most a few hundred leaves instead of the whole log.
* ``integrity_checkpoints``: every signed checkpoint ever issued.
* ``integrity_cosignatures``: witnesses' cosignature lines, by checkpoint tree size.
* ``integrity_redactions``: payloads blanked on purpose, with who, when and why.

Reads (verification, proofs, checkpoints) use connections of their own, with plain
tuple rows, so that a full verification streams rows without the library's per-row
conversions. Writes that belong with events happen on the recorder's cursor instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ledger.store import Store
from ledger.write_turns import write_turn

#: The indexed start of a leaf hash: a lookup by at least this many leading bytes of
#: a leaf hash (``LEAF_KEY = ?`` with the bytes) is one index probe.
LEAF_KEY_BYTES = 16
LEAF_KEY = f"substr(leaf_hash, 1, {LEAF_KEY_BYTES})"

_SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Tables:
    """Names, placeholders and DDL of the integrity tables for one store."""

    def __init__(self, store: Store, events_table: str = "stored_events") -> None:
        self.store = store
        self.postgres = store.is_postgres
        if self.postgres:
            if not _SAFE_NAME.match(store.schema):
                raise ValueError(f"unsupported schema name: {store.schema!r}")
            prefix = f'"{store.schema}".'
        else:
            prefix = ""
        self.log = f"{prefix}integrity_log"
        self.tree = f"{prefix}integrity_tree"
        self.checkpoints = f"{prefix}integrity_checkpoints"
        self.redactions = f"{prefix}integrity_redactions"
        self.nodes = f"{prefix}integrity_nodes"
        self.cosignatures = f"{prefix}integrity_cosignatures"
        if not _SAFE_NAME.match(events_table):
            raise ValueError(f"unsupported table name: {events_table!r}")
        self.events = f"{prefix}{events_table}"
        # The events table's notification id column and how ids read back as text.
        self.event_id = "notification_id" if self.postgres else "rowid"
        self._reader: Any = None
        self._reader_pid = 0
        self._reader_lock = threading.Lock()

    def sql(self, statement: str) -> str:
        """Write statements with ``?`` placeholders; PostgreSQL wants ``%s``."""
        return statement.replace("?", "%s") if self.postgres else statement

    def ddl(self) -> list[str]:
        blob = "bytea" if self.postgres else "BLOB"
        big = "bigint" if self.postgres else "INTEGER"
        oid = "uuid" if self.postgres else "TEXT"
        return [
            f"CREATE TABLE IF NOT EXISTS {self.log} ("
            f"seq {big} PRIMARY KEY, "
            f"notification_id {big} NOT NULL, "
            f"originator_id {oid} NOT NULL, "
            f"originator_version {big} NOT NULL, "
            "topic TEXT NOT NULL, "
            "recorded_at TEXT NOT NULL, "
            "actor_id TEXT NOT NULL, "
            f"payload_hash {blob} NOT NULL, "
            f"leaf_hash {blob} NOT NULL)",
            f"CREATE UNIQUE INDEX IF NOT EXISTS integrity_log_event ON {self.log} "
            "(originator_id, originator_version)",
            f"CREATE UNIQUE INDEX IF NOT EXISTS integrity_log_notification ON {self.log} "
            "(notification_id)",
            # A leaf found by the start of its hash (a printed paper's short link) in an
            # index lookup, not a scan of the whole log.
            f"CREATE INDEX IF NOT EXISTS integrity_log_leaf_key ON {self.log} ({LEAF_KEY})",
            f"CREATE TABLE IF NOT EXISTS {self.tree} ("
            "id INTEGER PRIMARY KEY CHECK (id = 1), "
            "origin TEXT NOT NULL, "
            f"tree_size {big} NOT NULL, "
            f"frontier {blob} NOT NULL, "
            f"root {blob} NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.checkpoints} ("
            f"tree_size {big} NOT NULL, "
            "key_id TEXT NOT NULL, "
            "key_name TEXT NOT NULL, "
            "origin TEXT NOT NULL, "
            f"root {blob} NOT NULL, "
            f"signature {blob} NOT NULL, "
            "note TEXT NOT NULL, "
            "issued_at TEXT NOT NULL, "
            "PRIMARY KEY (tree_size, key_id))",
            f"CREATE TABLE IF NOT EXISTS {self.nodes} ("
            "level INTEGER NOT NULL, "
            f"idx {big} NOT NULL, "
            f"hash {blob} NOT NULL, "
            "PRIMARY KEY (level, idx))",
            f"CREATE TABLE IF NOT EXISTS {self.cosignatures} ("
            f"tree_size {big} NOT NULL, "
            "key_id TEXT NOT NULL, "
            "line TEXT NOT NULL, "
            "PRIMARY KEY (tree_size, key_id))",
            f"CREATE TABLE IF NOT EXISTS {self.redactions} ("
            f"seq {big} PRIMARY KEY, "
            "reason TEXT NOT NULL, "
            "fields TEXT NOT NULL, "
            "actor_id TEXT NOT NULL, "
            "redacted_at TEXT NOT NULL)",
        ]

    @contextmanager
    def connect(self) -> Iterator[Any]:
        """A connection of our own: sqlite3 (autocommit mode) or psycopg (tuple rows)."""
        if self.postgres:
            import psycopg

            s = self.store
            with psycopg.connect(
                host=s.host,
                port=s.port,
                user=s.user,
                password=s.password or None,
                dbname=s.dbname,
            ) as conn:
                yield conn
        else:
            # Read-only when the store is (``file:PATH?mode=ro``): a copy on read-only
            # media, or one that must stay unchanged, is never opened for writing.
            lite = self.store.connect_sqlite(timeout=30, isolation_level=None)
            try:
                lite.execute("PRAGMA synchronous=FULL")
                yield lite
            finally:
                lite.close()

    @contextmanager
    def write(self) -> Iterator[Any]:
        """A write transaction of our own (SQLite takes the write lock up front)."""
        with self.connect() as conn:
            if self.postgres:
                with conn.transaction():
                    yield conn.cursor()
            else:
                with write_turn(self.store.path):
                    cur = conn.cursor()
                    cur.execute("BEGIN IMMEDIATE")
                    try:
                        yield cur
                    except BaseException:
                        conn.rollback()
                        raise
                    else:
                        conn.commit()

    def fetchall(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one read on this process's shared reading connection.

        A proof makes a few dozen small reads; opening a connection for each (a TCP
        handshake and authentication on PostgreSQL) cost more than the reads. The
        connection is autocommit, so each read sees every committed write; one lock
        serialises its users, and a broken one is replaced on the next read.
        """
        with self._reader_lock:
            conn = self._reader_connection()
            try:
                cur = conn.cursor()
                cur.execute(self.sql(statement), tuple(params))
                return [tuple(r) for r in cur.fetchall()]
            except Exception:
                self._drop_reader()
                raise

    def _reader_connection(self) -> Any:
        conn = self._reader
        usable = conn is not None and self._reader_pid == os.getpid()
        if usable and (not self.postgres or not (conn.closed or conn.broken)):
            return conn
        self._reader = None  # another process's (after fork), or broken: never reuse
        if self.postgres:
            conn = self.store.connect_postgres()
        else:
            conn = self.store.connect_sqlite(
                timeout=30, isolation_level=None, check_same_thread=False
            )
        self._reader, self._reader_pid = conn, os.getpid()
        return conn

    def _drop_reader(self) -> None:
        conn, self._reader = self._reader, None
        if conn is not None and self._reader_pid == os.getpid():
            with contextlib.suppress(Exception):
                conn.close()

    def close(self) -> None:
        """Close the shared reading connection (the next read opens a new one)."""
        with self._reader_lock:
            self._drop_reader()


def row_tuple(row: Any) -> tuple[Any, ...]:
    """Rows from the recorder's cursors are dicts (psycopg) or sqlite3.Row; make tuples."""
    if isinstance(row, dict):
        return tuple(row.values())
    return tuple(row)
