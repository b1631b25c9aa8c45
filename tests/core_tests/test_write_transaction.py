"""The write transaction: its answers, its failures and (on PostgreSQL) its round trips.

On PostgreSQL the recorder sends ``BEGIN``, the insert, the integrity log's tree-state
read and the idempotent answers' upserts in one round trip, and the log's rows with
``COMMIT`` in a second; the answers' results are read after the first. These tests hold
that path to what the statements one at a time decide (the SQLite path, and the model
below): which key refuses a commit, that a refused or failed commit leaves nothing
behind, events, leaves or answers, and that the store goes on writing afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Enterprise, Person
from ledger.idempotency import ANSWER_KWARG, DDL, IdempotencyRecord, KeyAlreadyAnswered
from ledger.identity import Actor, Role
from ledger.sqlstore import SqlStore
from ledger.unit_of_work import UnitOfWork

ADMIN = Actor("admin", "管理员", Role.ADMIN, "信息中心")
_serial = itertools.count(1)

#: What a key's row holds before the commit that answers it.
ABSENT, CLAIMED, CLAIMED_BY_OTHER, ANSWERED = "absent", "claimed", "other", "answered"


def register() -> c.RegisterEnterprise:
    n = next(_serial)
    return c.RegisterEnterprise(
        occurred_at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
        credit_code=make_credit_code(f"91620826MA{n:07d}"),
        name=f"某厂{n}",
        region_code="620826",
        sectors=("city_gas",),
        principal=Person(f"p{n}", "负责人"),
    )


@pytest.fixture
def keys(ledger: HazardLedger) -> Iterator[SqlStore]:
    sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
    sql.script([DDL])
    yield sql


def key_rows(keys: SqlStore) -> list[tuple[Any, ...]]:
    rows = keys.fetchall(
        "SELECT username, key, request_hash, status, body FROM {schema}.api_idempotency"
        " ORDER BY username, key"
    )
    return [tuple(r.values()) for r in rows]


def enterprises(ledger: HazardLedger) -> int:
    table = getattr(ledger.recorder, "events_table_name", "stored_events")
    row = SqlStore(ledger.recorder.datastore).fetchone(  # type: ignore[attr-defined]
        f"SELECT count(*) AS n FROM {{schema}}.{table} WHERE topic LIKE ?",
        [f"{Enterprise.__module__}:{Enterprise.__qualname__}.%"],
    )
    assert row is not None
    return int(row["n"])


def prepare(keys: SqlStore, record: IdempotencyRecord, state: str) -> None:
    """Put ``record``'s key in ``state`` before the commit."""
    insert = (
        "INSERT INTO {schema}.api_idempotency (username, key, request_hash, status, body)"
        " VALUES (?,?,?,?,?)"
    )
    if state == CLAIMED:
        keys.execute(insert, [record.username, record.key, record.fingerprint, None, None])
    elif state == CLAIMED_BY_OTHER:
        keys.execute(insert, [record.username, record.key, "other-request", None, None])
    elif state == ANSWERED:
        keys.execute(insert, [record.username, record.key, record.fingerprint, 201, "{}"])


def first_refused(answers: list[tuple[IdempotencyRecord, str]], states: dict[str, str]) -> int:
    """The model: the index of the first answer the upserts, run one after another,
    refuse (``len(answers)`` if none), each answered key answered thereafter."""
    now = dict(states)
    for i, (record, _) in enumerate(answers):
        if now[record.key] in (CLAIMED_BY_OTHER, ANSWERED):
            return i
        now[record.key] = ANSWERED
    return len(answers)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    plan=st.lists(
        st.tuples(st.sampled_from([ABSENT, CLAIMED, CLAIMED_BY_OTHER, ANSWERED]), st.booleans()),
        min_size=1,
        max_size=5,
    ),
    commands=st.integers(min_value=1, max_value=3),
)
def test_a_commit_answers_every_key_or_is_refused_by_the_first_it_cannot_answer(
    ledger: HazardLedger, keys: SqlStore, plan: list[tuple[str, bool]], commands: int
) -> None:
    """A commit carrying several answers (a group commit) answers each key as the
    upserts one after another would, or raises ``KeyAlreadyAnswered`` for the first key
    they could not answer and records nothing at all: no event, no answer, no leaf."""
    tag = f"k{next(_serial)}-"
    answers: list[tuple[IdempotencyRecord, str]] = []
    states: dict[str, str] = {}
    for i, (state, repeat) in enumerate(plan):
        if repeat and answers:  # the same key again, later in the same commit
            answers.append(answers[-1])
            continue
        record = IdempotencyRecord("admin", f"{tag}{i}", f"hash-{tag}{i}", 201)
        prepare(keys, record, state)
        states[record.key] = state
        answers.append((record, f'{{"n": {i}}}'))
    before_keys, before_events = key_rows(keys), enterprises(ledger)
    before_tree = ledger.integrity.tree_head()
    work = UnitOfWork(ledger)
    for _ in range(commands):
        work.execute(register(), ADMIN)
    refused = first_refused(answers, states)
    if refused < len(answers):
        with pytest.raises(KeyAlreadyAnswered) as raised:
            work.commit(**{ANSWER_KWARG: answers})
        assert raised.value.record == answers[refused][0]
        assert key_rows(keys) == before_keys
        assert enterprises(ledger) == before_events
        assert ledger.integrity.tree_head() == before_tree
    else:
        work.commit(**{ANSWER_KWARG: answers})
        assert enterprises(ledger) == before_events + commands
        stored = {row[1]: row for row in key_rows(keys)}
        for record, body in answers:
            assert stored[record.key][2:] == (record.fingerprint, 201, body)
    ledger.execute(register(), ADMIN)  # the store goes on writing afterwards
    assert ledger.integrity.tree_head()[0] == enterprises(ledger)  # a leaf per event


def test_a_listeners_failing_statement_rolls_everything_back(
    ledger: HazardLedger, keys: SqlStore
) -> None:
    """A database error in a statement a listener sends after the insert (on PostgreSQL:
    reported by the closing sync, with ``COMMIT`` never run) records nothing."""
    ledger.execute(register(), ADMIN)
    before_keys, before_tree = key_rows(keys), ledger.integrity.tree_head()

    def fails(cursor: Any, *_: Any, **__: Any) -> None:
        cursor.execute("SELECT * FROM no_such_table")

    ledger.add_insert_listener(fails)
    record = IdempotencyRecord("admin", "key-1", "f" * 64, 201)
    with pytest.raises(Exception, match="no_such_table"):
        ledger.execute(register(), ADMIN, idempotency=record)
    ledger.recorder.listeners.remove(fails)  # type: ignore[attr-defined]
    assert key_rows(keys) == before_keys
    assert ledger.integrity.tree_head() == before_tree
    assert enterprises(ledger) == 1
    ledger.execute(register(), ADMIN, idempotency=record)  # the key was never answered
    assert enterprises(ledger) == 2
    assert ledger.integrity.verify().ok


def test_a_commit_that_fails_records_nothing_and_acknowledges_nothing(
    ledger: HazardLedger, keys: SqlStore
) -> None:
    """PostgreSQL: a failure that only ``COMMIT`` reports (a deferred constraint) raises
    from the write; nothing is recorded and the store goes on writing."""
    if not ledger.store.is_postgres:
        pytest.skip("PostgreSQL's deferred constraint triggers")
    ledger.execute(register(), ADMIN)
    schema = ledger.store.schema
    table = ledger.recorder.events_table_name  # type: ignore[attr-defined]
    keys.execute(
        f'CREATE FUNCTION "{schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS'
        " $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$"
    )
    keys.execute(
        f'CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON "{schema}".{table}'
        f' DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "{schema}".refuse()'
    )
    before_keys, before_tree = key_rows(keys), ledger.integrity.tree_head()
    record = IdempotencyRecord("admin", "key-1", "f" * 64, 201)
    with pytest.raises(Exception, match="refused at commit"):
        ledger.execute(register(), ADMIN, idempotency=record)
    keys.execute(f'DROP TRIGGER refuse ON "{schema}".{table}')
    assert key_rows(keys) == before_keys
    assert ledger.integrity.tree_head() == before_tree
    assert enterprises(ledger) == 1
    ledger.execute(register(), ADMIN, idempotency=record)
    assert enterprises(ledger) == 2
    assert ledger.integrity.verify().ok


def round_trips(trace: Path) -> int:
    """The times the client waited for the server: turns from sending to receiving."""
    turns, last = 0, None
    for line in trace.read_text().splitlines():
        direction = line.split("\t", 1)[0]
        if direction == "B" and last == "F":
            turns += 1
        last = direction
    return turns


@pytest.mark.parametrize("answers", [0, 1, 3])
def test_a_postgres_write_is_two_round_trips(
    ledger: HazardLedger, keys: SqlStore, tmp_path: Path, answers: int
) -> None:
    """``BEGIN``, the insert, the tree state and the answers; then the log's rows and
    ``COMMIT``: however many answers the commit carries."""
    if not ledger.store.is_postgres:
        pytest.skip("PostgreSQL's pipeline")
    from psycopg import pq

    ledger.execute(register(), ADMIN)
    datastore = ledger.recorder.datastore  # type: ignore[attr-defined]
    plain = datastore.get_connection
    traces: list[Path] = []

    @contextmanager
    def traced() -> Iterator[Any]:
        with plain() as conn:
            traces.append(tmp_path / f"trace-{len(traces)}")
            with traces[-1].open("w") as out:
                conn.pgconn.trace(out.fileno())
                conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
                try:
                    yield conn
                finally:
                    conn.pgconn.untrace()

    work = UnitOfWork(ledger)
    work.execute(register(), ADMIN)
    records = [IdempotencyRecord("admin", f"key-{i}", "f" * 64, 201) for i in range(answers)]
    datastore.get_connection = traced
    try:
        work.commit(**{ANSWER_KWARG: [(r, "{}") for r in records]})
    finally:
        datastore.get_connection = plain
    assert [round_trips(t) for t in traces] == [2]
    assert enterprises(ledger) == 2
    assert len(key_rows(keys)) == answers
