"""Where a ledger lives: one setting, a SQLite file path or a PostgreSQL DSN.

``--store`` on every command, else ``LEDGER_STORE``, else ``ledger.db`` in the current
directory. Events, the integrity log and the read models all live in that one store, so
a ledger is one file (or one database schema) to back up. Secrets such as signing keys
never live in it.

SQLite runs in WAL mode with ``synchronous=FULL``: an acknowledged command survives a
power cut. PostgreSQL DSNs may carry ``?schema=NAME`` so that several ledgers (or test
runs) share one database without seeing each other.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_STORE = "ledger.db"
STORE_ENV_VAR = "LEDGER_STORE"


@dataclass(frozen=True, slots=True)
class Store:
    """A parsed store setting."""

    url: str
    kind: str  # "sqlite" or "postgres"
    path: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = "public"

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgres"

    def connect_postgres(self) -> Any:
        """A new autocommit connection to this PostgreSQL store (the caller closes it)."""
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=self.dbname,
            autocommit=True,
        )

    @property
    def event_channel(self) -> str:
        """PostgreSQL's LISTEN/NOTIFY channel announcing new events in this schema."""
        return f"hazard_ledger_events_{self.schema}"[:63]

    def describe(self) -> str:
        if self.is_postgres:
            where = f"{self.user}@{self.host}:{self.port}/{self.dbname}"
            return f"postgresql://{where} (schema {self.schema})"
        return str(Path(self.path).resolve())


def resolve_store(setting: str | None = None) -> Store:
    """Parse ``setting`` (or ``$LEDGER_STORE``, or the default) into a ``Store``."""
    url = setting or os.environ.get(STORE_ENV_VAR) or DEFAULT_STORE
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        return Store(
            url=url,
            kind="postgres",
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=(parts.path or "/").lstrip("/") or "postgres",
            schema=query.get("schema", ["public"])[0],
        )
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    return Store(url=url, kind="sqlite", path=path)


def eventsourcing_env(store: Store) -> dict[str, str]:
    """The eventsourcing environment that puts an application on ``store``."""
    if store.is_postgres:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "ledger.recorders:LedgerPostgresRecorder",
            "POSTGRES_DBNAME": store.dbname,
            "POSTGRES_HOST": store.host,
            "POSTGRES_PORT": str(store.port),
            "POSTGRES_USER": store.user,
            "POSTGRES_PASSWORD": store.password,
            "POSTGRES_SCHEMA": store.schema,
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "8",
            "POSTGRES_LOCK_TIMEOUT": "10",
        }
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "APPLICATION_RECORDER_TOPIC": "ledger.recorders:LedgerSQLiteRecorder",
        "SQLITE_DBNAME": store.path,
        "SQLITE_LOCK_TIMEOUT": "30",
    }


@contextmanager
def setup_lock(store: Store) -> Iterator[Any]:
    """Hold a store-wide lock while a process creates the ledger's schema and tables.

    Several API processes or workers starting at once on a new PostgreSQL schema would
    otherwise race on ``CREATE TYPE`` and ``CREATE TABLE``; a session advisory lock keyed
    by the schema makes them take turns. SQLite needs nothing (its DDL is serialised by
    the file lock). Yields the PostgreSQL connection holding the lock (None on SQLite),
    for setup work that belongs under it.
    """
    if not store.is_postgres:
        yield None
        return
    from psycopg import sql

    with store.connect_postgres() as conn:
        key = f"hazard-ledger setup {store.schema}"
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
        try:
            if store.schema != "public":
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(store.schema))
                )
            yield conn
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
