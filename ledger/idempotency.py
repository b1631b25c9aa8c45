"""A command's idempotent answer, stored in the transaction that records the command.

A client that retries a write with the same ``Idempotency-Key`` must get the first
answer back, never a second record. The key is claimed before the command runs (by the
entry point, ``api.idempotency``); the answer — the record's id and new version, known
before commit — is written here, by an insert listener (``ledger.recorders``) inside the
write transaction of the command's events. "Recorded" and "answered" therefore commit
together or not at all: a process that dies after the commit leaves an answer a retry
replays, one that dies before it leaves nothing recorded and a claim a retry takes over.

The listener also fences the write: if the key was answered meanwhile (a retry took
over a claim whose owner only seemed dead and finished first), the transaction is
rolled back and ``KeyAlreadyAnswered`` raised, so the command is recorded at most once.
A group commit (``ledger.group_commit``) carries the answers of all its keyed commands;
one key answered meanwhile rolls the whole group back, and its commands then run alone,
each getting the answer it would have got by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent

from .errors import LedgerError
from .store import Store

TABLE = "api_idempotency"
"""The keys' table (named for the entry point that claims keys; existing stores have it)."""

DDL = (
    f"CREATE TABLE IF NOT EXISTS {{schema}}.{TABLE} ("
    " username TEXT NOT NULL,"
    " key TEXT NOT NULL,"
    " request_hash TEXT NOT NULL,"
    " status INTEGER,"
    " body TEXT,"
    " claimed_at DOUBLE PRECISION,"
    " owner TEXT,"
    " PRIMARY KEY (username, key))"
)
"""The table, with ``{schema}.`` for ``ledger.sqlstore.SqlStore`` to qualify."""


def ddl(dialect: str) -> str:
    """``DDL`` for a store of ``dialect`` (``SqlStore.dialect``).

    SQLite keeps the rows in their key's own B-tree (``WITHOUT ROWID``): answering a
    command then writes one page of this table in the command's commit, not two (the
    rows and the key's index), about a tenth of the pages a served command's commit
    writes. A store made before keeps its table; both answer alike.
    """
    return DDL + " WITHOUT ROWID" if dialect == "sqlite" else DDL


#: The keyword ``UnitOfWork.commit`` passes the pending answers to the recorder under:
#: a sequence of ``(IdempotencyRecord, body)``, one per keyed command of the transaction
#: (a group commit records many commands, each with its own key).
ANSWER_KWARG = "idempotent_answers"


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """Whose key, which request (its fingerprint) and the status its answer carries."""

    username: str
    key: str
    fingerprint: str
    status: int

    def answer(self, record_id: UUID, version: int) -> str:
        """The body a command on ``record_id`` that reached ``version`` answers with."""
        return orjson.dumps({"id": str(record_id), "version": version}).decode()


class KeyAlreadyAnswered(LedgerError):
    """The key's request was answered by another attempt: this one recorded nothing."""

    def __init__(self, record: IdempotencyRecord) -> None:
        self.record = record
        super().__init__(f"idempotency key {record.key!r} of {record.username!r} already answered")


class IdempotentAnswers:
    """Writes a command's answer under its key, on the recorder's cursor."""

    def __init__(self, store: Store) -> None:
        table = f'"{store.schema}".{TABLE}' if store.is_postgres else TABLE
        p = "%s" if store.is_postgres else "?"
        # A claim (status NULL, same request) is answered; a missing row is inserted
        # answered; an answered row or another request's claim returns no row.
        self._upsert = (
            f"INSERT INTO {table} (username, key, request_hash, status, body)"
            f" VALUES ({p},{p},{p},{p},{p})"
            " ON CONFLICT (username, key) DO UPDATE"
            " SET status = excluded.status, body = excluded.body"
            f" WHERE {TABLE}.status IS NULL AND {TABLE}.request_hash = excluded.request_hash"
            " RETURNING status"
        )

    def write(self, cursor: Any, record: IdempotencyRecord, body: str) -> None:
        """Store ``body`` as the answer to ``record``'s key, or raise ``KeyAlreadyAnswered``."""
        cursor.execute(self._upsert, self._params(record, body))
        if cursor.fetchone() is None:
            raise KeyAlreadyAnswered(record)

    @staticmethod
    def _params(record: IdempotencyRecord, body: str) -> tuple[str, str, str, int, str]:
        return (record.username, record.key, record.fingerprint, record.status, body)

    def read_ahead(self, new_cursor: Callable[[], Any], **kwargs: Any) -> list[Any]:
        """Send the answers' upserts before the listener runs, each on a cursor of its
        own (PostgreSQL: queued with the insert, see ``ledger.recorders``); the listener
        then reads from each cursor the row its upsert returned, or none."""
        cursors = []
        for record, body in kwargs.get(ANSWER_KWARG, ()):
            cursors.append(new_cursor())
            cursors[-1].execute(self._upsert, self._params(record, body))
        return cursors

    def __call__(
        self,
        cursor: Any,
        stored_events: Sequence[StoredEvent],
        notification_ids: Sequence[int],
        read_ahead: Any = None,
        **kwargs: Any,
    ) -> None:
        """The insert listener: write the answers the commit carries, if any (or read
        what ``read_ahead`` sent); one key already answered rolls the whole transaction
        back."""
        answers = kwargs.get(ANSWER_KWARG, ())
        if read_ahead is None:
            for record, body in answers:
                self.write(cursor, record, body)
            return
        for (record, _), sent in zip(answers, read_ahead, strict=True):
            if sent.fetchone() is None:
                raise KeyAlreadyAnswered(record)
