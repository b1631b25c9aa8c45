"""Idempotency keys: a retried POST records once.

Clients on unreliable government networks retry. A POST with ``Idempotency-Key`` claims
the key (per user) before acting; a retry with the same key and the same request body
gets the stored response; the same key with a different body is refused (422). A
command that is refused releases its key, because nothing was recorded.

A claim is a lease: it names its owner (this machine's boot and the process id) and
when it was taken. A process killed mid-request leaves its claim behind; a retry takes
it over as soon as the owner is known to be dead (same machine, no such process) or the
lease has run out (``LEASE_SECONDS``; owners on other machines cannot be asked), instead
of answering "still being processed" forever. The answer itself is not stored here: the
ledger writes it under the key in the transaction that records the command
(``ledger.idempotency``), so a process killed after the commit leaves an answer the
retry replays, never a recorded command whose key a retry would run again.
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
from functools import cache
from pathlib import Path
from typing import Any

from ledger.idempotency import ddl
from ledger.sqlstore import SqlStore

LEASE_SECONDS = 120.0
"""How long a claim holds without its owner's word: far above any request's time (the
store's lock timeouts are 10-30 s), so only an abandoned claim ever runs out."""

_LEASE_COLUMNS = (("claimed_at", "DOUBLE PRECISION"), ("owner", "TEXT"))


@cache
def _boot_id() -> str:
    """This machine since its last boot: process ids mean something only within it."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return socket.gethostname()


def owner_id(pid: int | None = None) -> str:
    """Who holds a claim: this machine's boot and a process id (this one by default)."""
    return f"{_boot_id()}/{os.getpid() if pid is None else pid}"


def _owner_is_dead(owner: str | None) -> bool:
    """True only when the owner ran on this machine since its boot and is gone."""
    if not owner or "/" not in owner:
        return False
    boot, _, pid_text = owner.rpartition("/")
    if boot != _boot_id() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


class IdempotencyStore:
    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql
        self.sql.script([ddl(self.sql.dialect)])
        self._add_lease_columns()

    def _add_lease_columns(self) -> None:
        """Stores made before claims were leases lack the two columns: add them."""
        if self.sql.read_only:
            return
        if self.sql.dialect == "postgres":
            self.sql.script(
                [
                    f"ALTER TABLE {{schema}}.api_idempotency ADD COLUMN IF NOT EXISTS {n} {t}"
                    for n, t in _LEASE_COLUMNS
                ]
            )
            return
        have = {
            r["name"]
            for r in self.sql.fetchall("SELECT name FROM pragma_table_info('api_idempotency')")
        }
        self.sql.script(
            [
                f"ALTER TABLE api_idempotency ADD COLUMN {n} {t}"
                for n, t in _LEASE_COLUMNS
                if n not in have
            ]
        )

    @staticmethod
    def fingerprint(method: str, path: str, body: bytes) -> str:
        return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()

    def claim(
        self, username: str, key: str, request_hash: str, *, now: float | None = None
    ) -> dict[str, Any] | None:
        """Claim ``key``; return the earlier outcome if it was already used.

        Returns None when the caller should go ahead and act: the key was free, or its
        claim was abandoned (see the module's docstring) and is now the caller's.
        """
        moment = time.time() if now is None else now
        me = owner_id()
        with self.sql.cursor(commit=True) as c:
            c.execute(
                self.sql.sql(
                    "INSERT INTO {schema}.api_idempotency"
                    " (username, key, request_hash, claimed_at, owner)"
                    " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING"
                ),
                (username, key, request_hash, moment, me),
            )
            inserted = c.rowcount == 1
        if inserted:
            return None
        row = self._row(username, key)
        if (
            row["status"] is None
            and row["request_hash"] == request_hash
            and self._abandoned(row, moment)
            and self._take_over(username, key, row, moment, me)
        ):
            return None
        return {k: row[k] for k in ("request_hash", "status", "body")}

    def _row(self, username: str, key: str) -> dict[str, Any]:
        row = self.sql.fetchone(
            "SELECT request_hash, status, body, claimed_at, owner FROM {schema}.api_idempotency"
            " WHERE username = ? AND key = ?",
            [username, key],
        )
        assert row is not None  # claims are deleted only while unfinished, by their owner
        return row

    @staticmethod
    def _abandoned(row: dict[str, Any], now: float) -> bool:
        claimed_at = row["claimed_at"]
        if claimed_at is None:  # taken before claims were leases
            return True
        return _owner_is_dead(row["owner"]) or now - float(claimed_at) > LEASE_SECONDS

    def _take_over(self, username: str, key: str, row: dict[str, Any], now: float, me: str) -> bool:
        """Move the abandoned claim to ``me`` unless somebody else just did."""
        same = "IS" if self.sql.dialect == "sqlite" else "IS NOT DISTINCT FROM"
        with self.sql.cursor(commit=True) as c:
            c.execute(
                self.sql.sql(
                    "UPDATE {schema}.api_idempotency SET claimed_at = ?, owner = ?"
                    " WHERE username = ? AND key = ? AND status IS NULL"
                    f" AND claimed_at {same} ? AND owner {same} ?"
                ),
                (now, me, username, key, row["claimed_at"], row["owner"]),
            )
            return bool(c.rowcount == 1)

    def release(self, username: str, key: str) -> None:
        self.sql.execute(
            "DELETE FROM {schema}.api_idempotency"
            " WHERE username = ? AND key = ? AND status IS NULL",
            [username, key],
        )
