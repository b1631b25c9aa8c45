"""The event-sourcing library's SQLite persistence, with a statement cache per connection.

The library opens its pooled connections with ``cached_statements=True``, which the
``sqlite3`` module takes as the number 1: each connection keeps one compiled statement,
so every statement that differs from the one before it is parsed and planned again. A
command runs about a dozen different statements on the writer's connection (the
stream read, ``BEGIN IMMEDIATE``, the events' insert, the integrity log's tree read,
leaf row and tree update, the idempotency answer, ``COMMIT``), so almost every
statement was compiled anew, each time. This factory is the library's own with one
change: its pool's connections keep ``STATEMENT_CACHE`` compiled statements, as
``sqlite3.connect`` does by default.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlsplit

from eventsourcing.persistence import InterfaceError
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteFactory,
)
from eventsourcing.utils import Environment, EnvType

#: Compiled statements kept per connection (the ``sqlite3`` module's default).
STATEMENT_CACHE = 128


class StatementCachingPool(SQLiteConnectionPool):
    """The library's pool, whose connections keep ``STATEMENT_CACHE`` statements."""

    def _create_connection(self) -> SQLiteConnection:
        # The library's ``_create_connection`` but for ``cached_statements``.
        try:
            c = sqlite3.connect(
                database=self.db_name,
                uri=True,
                check_same_thread=False,
                isolation_level=None,  # autocommit: transactions are begun explicitly
                cached_statements=STATEMENT_CACHE,
                timeout=self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT,
            )
        except (sqlite3.Error, TypeError) as e:
            raise InterfaceError(e) from e
        # A read-only open (``Store.read_only``: a ``mode=ro`` URI) reads the file in
        # whatever journal mode it was left in, and cannot switch it to WAL.
        read_only = parse_qs(urlsplit(self.db_name).query).get("mode") == ["ro"]
        if not self.is_sqlite_memory_mode and not self.is_journal_mode_wal and not read_only:
            mode = c.execute("PRAGMA journal_mode;").fetchone()[0]
            if mode.lower() != "wal":
                c.execute("PRAGMA journal_mode=WAL;")
                self.journal_mode_was_changed_to_wal = True
            self.is_journal_mode_wal = True
        c.row_factory = sqlite3.Row
        return SQLiteConnection(sqlite_conn=c, max_age=self.max_age)


class LedgerSQLiteFactory(SQLiteFactory):
    """The library's SQLite factory with ``StatementCachingPool`` as its pool."""

    def __init__(self, env: Environment | EnvType | None):
        super().__init__(env)
        library = self.datastore.pool  # made by the library, not connected yet
        self.datastore.pool = StatementCachingPool(
            db_name=library.db_name, lock_timeout=library.lock_timeout
        )
