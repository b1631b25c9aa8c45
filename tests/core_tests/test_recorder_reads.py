"""The ledger's recorders read records' streams exactly as the library does.

``LedgerSQLiteRecorder.select_events`` reads a whole stream in one autocommit statement
instead of the library's ``BEGIN``/``SELECT``/``ROLLBACK``; every other read (from a
version, up to one, newest first, limited) is the library's own. For every stream and
every such question, the rows that come back are the library's. ``select_streams``
(both stores) reads several streams in one statement, and ``UnitOfWork.find_each``
finds records together exactly as ``find`` finds each.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Enterprise, Person, enterprise_id
from ledger.identity import Actor, Role
from ledger.recorders import LedgerSQLiteRecorder
from ledger.unit_of_work import UnitOfWork


@pytest.fixture(scope="module")
def recorder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerSQLiteRecorder]:
    path: Path = tmp_path_factory.mktemp("reads") / "ledger.db"
    app = HazardLedger(str(path))
    assert isinstance(app.recorder, LedgerSQLiteRecorder)
    yield app.recorder
    app.close()


def library(recorder: LedgerSQLiteRecorder, oid: UUID | str, **kwargs: object) -> list[StoredEvent]:
    return list(SQLiteApplicationRecorder.select_events(recorder, oid, **kwargs))  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    length=st.integers(min_value=0, max_value=12),
    states=st.lists(st.text(max_size=20), min_size=12, max_size=12),
    gt=st.none() | st.integers(min_value=0, max_value=13),
    lte=st.none() | st.integers(min_value=0, max_value=13),
    desc=st.booleans(),
    limit=st.none() | st.integers(min_value=1, max_value=5),
)
def test_a_stream_reads_back_as_the_library_reads_it(
    recorder: LedgerSQLiteRecorder,
    length: int,
    states: list[str],
    gt: int | None,
    lte: int | None,
    desc: bool,
    limit: int | None,
) -> None:
    oid = uuid4()
    events = [
        StoredEvent(
            oid, version, f"tests:Topic{version}", orjson.dumps({"note": states[version - 1]})
        )
        for version in range(1, length + 1)
    ]
    if events:
        recorder.insert_events(events)
    whole = recorder.select_events(oid)
    assert whole == library(recorder, oid) == events
    assert all(isinstance(e.originator_id, UUID) for e in whole)
    asked = {"gt": gt, "lte": lte, "desc": desc, "limit": limit}
    assert recorder.select_events(oid, **asked) == library(recorder, oid, **asked)  # type: ignore[arg-type]
    assert recorder.select_events(oid.hex) == library(recorder, oid.hex)


def test_a_record_nobody_wrote_has_no_events(recorder: LedgerSQLiteRecorder) -> None:
    assert recorder.select_events(uuid4()) == [] == library(recorder, uuid4())


def test_streams_read_together_are_each_stream_read_alone(store_url: str) -> None:
    """``select_streams`` (both stores) gives each record's ``select_events``, and
    ``UnitOfWork.find_each`` each record ``find`` gives, held ones as the unit holds them."""
    app = HazardLedger(store_url)
    try:
        recorder = app.recorder
        ids = [uuid4() for _ in range(4)]
        for n, oid in enumerate(ids[:3]):
            recorder.insert_events(
                [
                    StoredEvent(oid, v, f"tests:Topic{v}", orjson.dumps({"n": n, "v": v}))
                    for v in range(1, n + 2)
                ]
            )
        together = recorder.select_streams([*ids, ids[0]])  # type: ignore[attr-defined]
        for oid in ids:
            assert together.get(oid, []) == list(recorder.select_events(oid))
    finally:
        app.close()


def test_records_found_together_are_the_records_found_alone(ledger: HazardLedger) -> None:
    clerk = Actor("clerk", "录入员", Role.INSPECTOR, "县局")
    codes = [make_credit_code("92620826MA71B0ND0"), make_credit_code("92620826MA71B0ND1")]
    for code in codes:
        ledger.register_enterprise(
            clerk,
            datetime(2026, 3, 3, 9, tzinfo=UTC),
            credit_code=code,
            name="店",
            region_code="620826",
            sectors=["city_gas"],
            principal=Person("p", "负责人"),
        )
    ids = [enterprise_id(codes[0]), uuid4(), enterprise_id(codes[1]), enterprise_id(codes[0])]
    held = UnitOfWork(ledger)
    first = held.find(Enterprise, ids[2])
    together = held.find_each(Enterprise, ids)
    alone = [UnitOfWork(ledger).find(Enterprise, i) for i in ids]
    assert [r and (r.id, r.version, r.name) for r in together] == [
        r and (r.id, r.version, r.name) for r in alone
    ]
    assert together[1] is None and together[2] is first and together[0] is together[3]
