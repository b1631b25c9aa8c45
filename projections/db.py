"""The read-model side of the store: our own connection, in either dialect.

Read models live in the same store as the events (the SQLite file, or the PostgreSQL
schema) but are written through a connection of their own, so that a batch of row
changes and the tracking position commit in one transaction that the event recorder
knows nothing about. SQL is written with ``?`` placeholders and translated for psycopg.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from ledger.store import Store
from ledger.write_turns import write_turn

from .base import Key, Row, Table

COPY_AT_LEAST = 200  # rows in one write from which PostgreSQL gets them by COPY


class ReadStore:
    """Connections and dialect details for read-model tables."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.dialect = "postgres" if store.is_postgres else "sqlite"

    def connect(self) -> Any:
        """A connection in autocommit mode; transactions are opened explicitly."""
        if self.dialect == "sqlite":
            conn = self.store.connect_sqlite(timeout=60, isolation_level=None)
            if self.store.read_only:
                return conn
            conn.execute("PRAGMA journal_mode=WAL")
            # Read models can be rebuilt and their position commits with their rows: losing
            # the last batches to a power cut only means applying them again (ADR 0010).
            conn.execute("PRAGMA synchronous=NORMAL")
            # Upserts land at random primary keys all over large tables; pages not in this
            # cache come from the operating system's. 256 MiB here was a third of a
            # rebuild's memory and bought no speed in bench/rebuild.py: 32 MiB.
            conn.execute("PRAGMA cache_size=-32768")
            return conn
        from psycopg import sql

        s = self.store
        pg = s.connect_postgres()
        pg.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(s.schema)))
        return pg

    def sql(self, text: str) -> str:
        return text.replace("?", "%s") if self.dialect == "postgres" else text

    def execute(self, conn: Any, text: str, params: Sequence[Any] = ()) -> Any:
        return conn.execute(self.sql(text), tuple(params))

    def executemany(self, conn: Any, text: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if self.dialect == "sqlite":
            conn.executemany(text, rows)
        else:
            with conn.cursor() as cur:
                cur.executemany(self.sql(text), rows)

    @contextmanager
    def write_transaction(self, conn: Any) -> Iterator[None]:
        """BEGIN IMMEDIATE on SQLite (serialises writers across processes, which take
        their turns first: ``ledger.write_turns``), BEGIN on PG."""
        with write_turn(self.store.path) if self.dialect == "sqlite" else nullcontext():
            conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def try_lock(self, conn: Any, name: str) -> bool:
        """Take the projection's lock for this transaction; False if another worker has it.

        Advisory locks are database-wide, so the key names the schema: ledgers in other
        schemas of the same database never hold this one. SQLite needs none: ``BEGIN
        IMMEDIATE`` already excludes every other writer.
        """
        if self.dialect == "sqlite":
            return True
        key = f"projection:{self.store.schema}:{name}"
        row = conn.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", (key,)).fetchone()
        return bool(row[0])

    def table_exists(self, conn: Any, name: str) -> bool:
        if self.dialect == "sqlite":
            q = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"
            return conn.execute(q, (name,)).fetchone() is not None
        q = "SELECT 1 FROM information_schema.tables WHERE table_schema=%s AND table_name=%s"
        return conn.execute(q, (self.store.schema, name)).fetchone() is not None

    def column_type(self, kind: str) -> str:
        if kind == "INTEGER" and self.dialect == "postgres":
            return "BIGINT"
        return kind

    def create_table(self, conn: Any, table: Table, physical: str) -> None:
        cols = ", ".join(f"{n} {self.column_type(t)}" for n, t in table.columns)
        # A constraint name unique per build: PostgreSQL keeps a constraint's name when
        # the table is renamed, so a fixed name would collide with the next rebuild.
        pk = f"pk_{uuid.uuid4().hex[:12]}"
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {physical} ({cols}, "
            f"CONSTRAINT {pk} PRIMARY KEY ({', '.join(table.key)}))"
        )

    def create_indexes(self, conn: Any, table: Table, physical: str) -> None:
        for cols in table.indexes:
            name = f"ix_{physical}_{'_'.join(cols)}"
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {physical} ({', '.join(cols)})")

    def load_row(self, conn: Any, table: Table, physical: str, key: Key) -> Row | None:
        where = " AND ".join(f"{k} = ?" for k in table.key)
        cur = self.execute(
            conn, f"SELECT {', '.join(table.column_names)} FROM {physical} WHERE {where}", key
        )
        found = cur.fetchone()
        return None if found is None else dict(zip(table.column_names, found, strict=True))

    def write_rows(
        self, conn: Any, table: Table, physical: str, upserts: list[Row], deletes: list[Key]
    ) -> None:
        """Upsert and delete rows; ``upserts`` in key order (``Rows.take_changes``), so
        neighbouring rows share B-tree pages."""
        names = table.column_names
        if upserts:
            updates = ", ".join(f"{n} = excluded.{n}" for n in names if n not in table.key)
            conflict = "DO NOTHING" if not updates else f"DO UPDATE SET {updates}"
            text = (
                f"INSERT INTO {physical} ({', '.join(names)}) "
                f"VALUES ({', '.join('?' for _ in names)}) "
                f"ON CONFLICT ({', '.join(table.key)}) {conflict}"
            )
            if self.dialect == "postgres" and len(upserts) >= COPY_AT_LEAST:
                self._copy_upsert(conn, table, physical, upserts, conflict)
            else:
                self.executemany(conn, text, list(map(table.values_getter, upserts)))
        if deletes:
            where = " AND ".join(f"{k} = ?" for k in table.key)
            self.executemany(conn, f"DELETE FROM {physical} WHERE {where}", deletes)

    def _copy_upsert(
        self, conn: Any, table: Table, physical: str, rows: list[Row], conflict: str
    ) -> None:
        """Many rows on PostgreSQL: COPY into a session-local staging table, then one
        INSERT ... SELECT ... ON CONFLICT. A row per round trip (even pipelined) cost
        most of a rebuild's time; COPY streams them."""
        names = ", ".join(table.column_names)
        staging = f"staging_{physical}"[:63]
        conn.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {physical} INCLUDING DEFAULTS)"
        )
        # Emptied before each use, not at commit: a write in autocommit mode would
        # otherwise lose the copied rows before the INSERT reads them.
        conn.execute(f"TRUNCATE {staging}")
        with conn.cursor() as cur, cur.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for values in map(table.values_getter, rows):
                copy.write_row(values)
        conn.execute(
            f"INSERT INTO {physical} ({names}) SELECT {names} FROM {staging} "
            f"ON CONFLICT ({', '.join(table.key)}) {conflict}"
        )
