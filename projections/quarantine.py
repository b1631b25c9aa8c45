"""Events a read model could not apply, set aside so that the model goes on.

A fold is code; a recorded event is history. When the two disagree (a date the fold
cannot convert, a value the read-model table cannot hold, an event that no longer
decodes), stopping the follower would stop every reader of that model for good, since
the event will be there on every retry. Instead the event is set aside here, per read
model, with its position and error, in the same transaction that moves the model past
it. Operators see the count (``/health`` says "degraded", ``ledger quarantine`` lists
them); a model whose fold is fixed is rebuilt (its version bumps, or ``ledger
quarantine --retry``) and the rebuild starts with an empty quarantine of its own.

Only failures that will happen again are set aside. A lost connection, a locked file or
a full disk say nothing about the event: those still stop the batch, which is retried.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from ledger.sqlstore import SqlStore

QUARANTINE = "projection_quarantine"
QUARANTINE_COLUMNS = (
    "name",
    "position",
    "event_id",
    "event_type",
    "error",
    "version",
    "set_aside_at",
)
ERROR_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class SetAside:
    """One event a read model could not apply."""

    position: int
    event_id: str
    event_type: str
    error: str


@dataclass(frozen=True, slots=True)
class Undecodable:
    """A stored event the mapper could not turn back into a domain event."""

    topic: str
    event_id: str
    error: str


def storable(text: str, limit: int = ERROR_LIMIT) -> str:
    """``text`` as either store accepts it: no NUL, no lone surrogates, bounded."""
    clean = text.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode("utf-8")
    return clean[:limit]


def describe_error(error: BaseException) -> str:
    return storable(f"{type(error).__name__}: {error}")


def describe_event(position: int, event: Any) -> SetAside:
    """The identity of ``event`` as the quarantine shows it (without the error)."""
    if isinstance(event, Undecodable):
        return SetAside(position, storable(event.event_id), storable(event.topic), "")
    originator = getattr(event, "originator_id", None)
    version = getattr(event, "originator_version", None)
    kind = getattr(event, "event_type", None) or type(event).__qualname__
    event_id = "" if originator is None else f"{originator}@{version}"
    return SetAside(position, storable(event_id), storable(str(kind)), "")


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` is about the database's state rather than the event.

    Such a failure is retried with the whole batch; anything else would fail the same
    way every time and is set aside.
    """
    if isinstance(error, sqlite3.OperationalError | MemoryError):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


def ddl(integer_type: str) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {QUARANTINE} (name TEXT NOT NULL, "
        f"position {integer_type} NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL, "
        "error TEXT NOT NULL, version INTEGER NOT NULL, set_aside_at TEXT NOT NULL, "
        "PRIMARY KEY (name, position))"
    )


def _exists(sql: SqlStore) -> bool:
    if sql.dialect == "sqlite":
        found = sql.fetchone(
            "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [QUARANTINE]
        )
    else:
        found = sql.fetchone(
            "SELECT 1 AS x FROM information_schema.tables WHERE table_schema = ?"
            " AND table_name = ?",
            [sql.schema, QUARANTINE],
        )
    return found is not None


def counts(sql: SqlStore) -> dict[str, int]:
    """Events set aside per read model (tracking name); empty when none ever were."""
    if not _exists(sql):
        return {}
    rows = sql.fetchall(
        f"SELECT name, COUNT(*) AS n FROM {{schema}}.{QUARANTINE} GROUP BY name ORDER BY name"
    )
    return {str(r["name"]): int(r["n"]) for r in rows}


def entries(sql: SqlStore, name: str | None = None) -> list[dict[str, Any]]:
    """Every event set aside (of one read model, or all), in log order."""
    if not _exists(sql):
        return []
    where = "" if name is None else " WHERE name = ?"
    return sql.fetchall(
        f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM {{schema}}.{QUARANTINE}{where}"
        " ORDER BY name, position",
        [] if name is None else [name],
    )
