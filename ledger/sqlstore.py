"""Plain SQL on the ledger's own store, for the tables that are not events.

Users, idempotency keys and other service tables live in the same store as the events
(one file or one schema to back up). This adapter hides the two differences that
matter between the dialects — parameter style and schema qualification — and hands out
rows as dicts, using the application's own connection pool.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore


class SqlStore:
    """Runs SQL written with ``?`` placeholders and ``{schema}.`` table prefixes."""

    def __init__(
        self, datastore: SQLiteDatastore | PostgresDatastore, *, read_only: bool = False
    ) -> None:
        self.datastore = datastore
        self.dialect = "postgres" if isinstance(datastore, PostgresDatastore) else "sqlite"
        self.schema = datastore.schema if isinstance(datastore, PostgresDatastore) else ""
        self.read_only = read_only

    def sql(self, statement: str) -> str:
        if self.dialect == "postgres":
            return statement.replace("{schema}.", f'"{self.schema}".').replace("?", "%s")
        return statement.replace("{schema}.", "")

    @contextmanager
    def cursor(self, *, commit: bool = False) -> Iterator[Any]:
        with self.datastore.transaction(commit=commit) as cursor:
            # SQLite's wrapper hides rowcount; hand out the raw DB-API cursor on both.
            yield getattr(cursor, "sqlite_cursor", cursor)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        with self.cursor(commit=True) as c:
            c.execute(self.sql(statement), tuple(params))

    def script(self, statements: Sequence[str]) -> None:
        """Run set-up statements (``CREATE ... IF NOT EXISTS``). On a store opened
        read-only they are skipped: its tables are what they are, and a command that
        only reads must still open it (a table it lacks then fails the read that needs
        it, not the opening)."""
        if self.read_only:
            return
        with self.cursor(commit=True) as c:
            for statement in statements:
                c.execute(self.sql(statement))

    def fetchall(self, statement: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.cursor() as c:
            c.execute(self.sql(statement), tuple(params))
            return [dict(row) for row in c.fetchall()]

    def fetchone(self, statement: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self.fetchall(statement, params)
        return rows[0] if rows else None
