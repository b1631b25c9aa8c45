"""A claim left behind by a request that died is taken over by the retry, never a 409
"still being processed" forever; a live claim still holds."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from api.idempotency import LEASE_SECONDS, IdempotencyStore, owner_id
from ledger.application import HazardLedger
from ledger.sqlstore import SqlStore

HASH = "h" * 64


@pytest.fixture
def keys(ledger: HazardLedger) -> IdempotencyStore:
    return IdempotencyStore(SqlStore(ledger.recorder.datastore))  # type: ignore[attr-defined]


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def leave_claim(keys: IdempotencyStore, key: str, *, owner: str | None, at: float | None) -> None:
    """Insert a claim as a process that died mid-request leaves it."""
    keys.sql.execute(
        "INSERT INTO {schema}.api_idempotency (username, key, request_hash, claimed_at, owner)"
        " VALUES (?,?,?,?,?)",
        ["insp", key, HASH, at, owner],
    )


def answer(keys: IdempotencyStore, key: str, status: int, body: str) -> None:
    """Answer a claim as the ledger's commit does (``ledger.idempotency``)."""
    keys.sql.execute(
        "UPDATE {schema}.api_idempotency SET status = ?, body = ? WHERE username = ? AND key = ?",
        [status, body, "insp", key],
    )


def test_a_claim_of_a_dead_process_is_taken_over(keys: IdempotencyStore) -> None:
    leave_claim(keys, "k1", owner=owner_id(dead_pid()), at=time.time())
    assert keys.claim("insp", "k1", HASH) is None
    # ... and is now ours: a second retry meanwhile is told to wait.
    held = keys.claim("insp", "k1", HASH)
    assert held is not None and held["status"] is None


def test_a_live_claim_holds_until_its_lease_runs_out(keys: IdempotencyStore) -> None:
    elsewhere = "another-machine/4242"  # its process cannot be asked: only time tells
    now = time.time()
    leave_claim(keys, "k2", owner=elsewhere, at=now)
    held = keys.claim("insp", "k2", HASH, now=now + 1)
    assert held is not None and held["status"] is None
    assert keys.claim("insp", "k2", HASH, now=now + LEASE_SECONDS + 1) is None


def test_a_claim_from_before_leases_is_taken_over(keys: IdempotencyStore) -> None:
    leave_claim(keys, "k3", owner=None, at=None)
    assert keys.claim("insp", "k3", HASH) is None


def test_a_finished_or_different_request_is_never_taken_over(keys: IdempotencyStore) -> None:
    leave_claim(keys, "k4", owner=owner_id(dead_pid()), at=time.time())
    other = keys.claim("insp", "k4", "x" * 64)
    assert other is not None and other["request_hash"] == HASH  # 422 for the caller
    assert keys.claim("insp", "k4", HASH) is None
    answer(keys, "k4", 201, '{"id": "a", "version": 1}')
    done = keys.claim("insp", "k4", HASH, now=time.time() + LEASE_SECONDS * 2)
    assert done is not None and done["status"] == 201


def test_a_store_made_before_leases_gets_the_columns(ledger: HazardLedger) -> None:
    sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
    sql.script(
        [
            "CREATE TABLE IF NOT EXISTS {schema}.api_idempotency (username TEXT NOT NULL,"
            " key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER, body TEXT,"
            " PRIMARY KEY (username, key))",
            "INSERT INTO {schema}.api_idempotency (username, key, request_hash)"
            " VALUES ('insp', 'old', '" + HASH + "')",
        ]
    )
    keys = IdempotencyStore(sql)
    assert keys.claim("insp", "old", HASH) is None
