"""Idempotency keys: a retried POST records once.

Clients on unreliable government networks retry. A POST with ``Idempotency-Key`` claims
the key (per user) before acting; a retry with the same key and the same request body
gets the stored response; the same key with a different body is refused (422). A
command that is refused releases its key, because nothing was recorded.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from ledger.sqlstore import SqlStore

_DDL = [
    "CREATE TABLE IF NOT EXISTS {schema}.api_idempotency ("
    " username TEXT NOT NULL,"
    " key TEXT NOT NULL,"
    " request_hash TEXT NOT NULL,"
    " status INTEGER,"
    " body TEXT,"
    " PRIMARY KEY (username, key))",
]


class IdempotencyStore:
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql
        self.sql.script(_DDL)

    @staticmethod
    def fingerprint(method: str, path: str, body: bytes) -> str:
        return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()

    def claim(self, username: str, key: str, request_hash: str) -> dict[str, Any] | None:
        """Claim ``key``; return the earlier outcome if it was already used.

        Returns None when the caller should go ahead and act.
        """
        with self.sql.cursor(commit=True) as c:
            c.execute(
                self.sql.sql(
                    "INSERT INTO {schema}.api_idempotency (username, key, request_hash)"
                    " VALUES (?,?,?) ON CONFLICT DO NOTHING"
                ),
                (username, key, request_hash),
            )
            inserted = c.rowcount == 1
        if inserted:
            return None
        row = self.sql.fetchone(
            "SELECT request_hash, status, body FROM {schema}.api_idempotency"
            " WHERE username = ? AND key = ?",
            [username, key],
        )
        assert row is not None
        return row

    def complete(self, username: str, key: str, status: int, body: Any) -> None:
        self.sql.execute(
            "UPDATE {schema}.api_idempotency SET status = ?, body = ?"
            " WHERE username = ? AND key = ?",
            [status, orjson.dumps(body).decode(), username, key],
        )

    def release(self, username: str, key: str) -> None:
        self.sql.execute(
            "DELETE FROM {schema}.api_idempotency"
            " WHERE username = ? AND key = ? AND status IS NULL",
            [username, key],
        )
