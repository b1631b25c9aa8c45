"""The answer to an idempotent command commits with its events, or neither does.

``HazardLedger.execute(..., idempotency=...)`` writes the key's answer inside the write
transaction; a key already answered (by another attempt of the same request) refuses
the command and rolls its events back, on both stores. On PostgreSQL that needs the
recorder to roll back when an insert listener raises: the library's recorder committed
the events of a transaction whose failure was not the database's own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Enterprise, Person
from ledger.idempotency import DDL, IdempotencyRecord, KeyAlreadyAnswered, ddl
from ledger.identity import Actor, Role
from ledger.sqlstore import SqlStore

ADMIN = Actor("admin", "管理员", Role.ADMIN, "信息中心")
KEY = IdempotencyRecord("admin", "key-1", "f" * 64, 201)


def records(ledger: HazardLedger, kind: type[Any]) -> int:
    """Records of ``kind`` so far: one first event (version 1) each."""
    table = getattr(ledger.recorder, "events_table_name", "stored_events")
    row = SqlStore(ledger.recorder.datastore).fetchone(  # type: ignore[attr-defined]
        f"SELECT count(*) AS n FROM {{schema}}.{table}"
        " WHERE originator_version = 1 AND topic LIKE ?",
        [f"{kind.__module__}:{kind.__qualname__}.%"],
    )
    assert row is not None
    return int(row["n"])


def register(n: int) -> c.RegisterEnterprise:
    return c.RegisterEnterprise(
        occurred_at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
        credit_code=make_credit_code(f"91620826MA7{n}ABCDE"),
        name=f"某厂{n}",
        region_code="620826",
        sectors=("city_gas",),
        principal=Person(f"p{n}", "负责人"),
    )


@pytest.fixture(params=["as made now", "as made before"])
def keys(ledger: HazardLedger, request: pytest.FixtureRequest) -> Iterator[SqlStore]:
    """The keys' table as a new store makes it (on SQLite, rows kept in their key's
    B-tree) and as stores made before have it (a rowid table with an index)."""
    sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
    sql.script([ddl(sql.dialect) if request.param == "as made now" else DDL])
    yield sql


def test_a_new_sqlite_store_keeps_the_keys_in_one_btree(ledger: HazardLedger) -> None:
    """One page of this table per answer, not two (``ledger.idempotency.ddl``)."""
    sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
    if sql.dialect != "sqlite":
        pytest.skip("PostgreSQL tables have no rowid")
    sql.script([ddl(sql.dialect)])
    shape = sql.fetchone("SELECT wr FROM pragma_table_list WHERE name = 'api_idempotency'")
    assert shape == {"wr": 1}


def answer(keys: SqlStore, record: IdempotencyRecord) -> dict[str, Any] | None:
    return keys.fetchone(
        "SELECT request_hash, status, body FROM {schema}.api_idempotency"
        " WHERE username = ? AND key = ?",
        [record.username, record.key],
    )


def test_the_answer_commits_with_the_events(ledger: HazardLedger, keys: SqlStore) -> None:
    recorded = ledger.execute(register(1), ADMIN, idempotency=KEY)
    stored = answer(keys, KEY)
    assert stored is not None
    assert stored["status"] == 201
    assert stored["body"] == KEY.answer(recorded.id, recorded.version)
    assert records(ledger, Enterprise) == 1


def test_an_answered_key_records_nothing_more(ledger: HazardLedger, keys: SqlStore) -> None:
    first = ledger.execute(register(1), ADMIN, idempotency=KEY)
    with pytest.raises(KeyAlreadyAnswered):
        ledger.execute(register(2), ADMIN, idempotency=KEY)
    assert records(ledger, Enterprise) == 1
    stored = answer(keys, KEY)
    assert stored is not None and stored["body"] == KEY.answer(first.id, first.version)
    ledger.execute(register(3), ADMIN)  # the store goes on writing afterwards
    assert records(ledger, Enterprise) == 2


def test_a_claim_is_answered_and_another_requests_claim_is_not(
    ledger: HazardLedger, keys: SqlStore
) -> None:
    keys.execute(
        "INSERT INTO {schema}.api_idempotency (username, key, request_hash) VALUES (?,?,?)",
        [KEY.username, KEY.key, KEY.fingerprint],
    )
    ledger.execute(register(1), ADMIN, idempotency=KEY)
    stored = answer(keys, KEY)
    assert stored is not None and stored["status"] == 201
    other = IdempotencyRecord("admin", "key-2", "e" * 64, 201)
    keys.execute(
        "INSERT INTO {schema}.api_idempotency (username, key, request_hash) VALUES (?,?,?)",
        [other.username, other.key, "d" * 64],
    )
    with pytest.raises(KeyAlreadyAnswered):
        ledger.execute(register(2), ADMIN, idempotency=other)
    assert records(ledger, Enterprise) == 1


def test_a_failing_listener_rolls_the_events_back(ledger: HazardLedger) -> None:
    def fails(
        cursor: Any,
        stored_events: Sequence[StoredEvent],
        notification_ids: Sequence[int],
        **kwargs: Any,
    ) -> None:
        raise RuntimeError("listener failed")

    ledger.add_insert_listener(fails)
    with pytest.raises(RuntimeError, match="listener failed"):
        ledger.execute(register(1), ADMIN)
    ledger.recorder.listeners.remove(fails)  # type: ignore[attr-defined]
    assert records(ledger, Enterprise) == 0
    ledger.execute(register(2), ADMIN)
    assert records(ledger, Enterprise) == 1
    report = ledger.integrity.verify()
    assert not report.failures
    assert report.events_checked == report.tree_size == 1  # no leaf without its event
