"""The PostgreSQL recorder reads a record's stream exactly as the library does.

``LedgerPostgresRecorder.select_events`` sends the library's statement for a whole
stream written once as bytes (the library composes it anew for every read) and every
other question (from a version, up to one, newest first, limited) through the library's
own read. For every stream and every such question, the rows that come back are the
library's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.recorders import LedgerPostgresRecorder
from tests.conftest import drop_schema, new_store_url, postgres_dsn

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def recorder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerPostgresRecorder]:
    path: Path = tmp_path_factory.mktemp("reads")
    url, schema = new_store_url("postgres", path)
    app = HazardLedger(url)
    try:
        assert isinstance(app.recorder, LedgerPostgresRecorder)
        yield app.recorder
    finally:
        app.close()
        dsn = postgres_dsn()
        assert dsn is not None and schema is not None
        drop_schema(dsn, schema)


def library(recorder: LedgerPostgresRecorder, oid: UUID, **kwargs: object) -> list[StoredEvent]:
    return list(PostgresApplicationRecorder.select_events(recorder, oid, **kwargs))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    length=st.integers(min_value=0, max_value=12),
    states=st.lists(st.text(max_size=20), min_size=12, max_size=12),
    gt=st.none() | st.integers(min_value=0, max_value=13),
    lte=st.none() | st.integers(min_value=0, max_value=13),
    desc=st.booleans(),
    limit=st.none() | st.integers(min_value=1, max_value=5),
)
def test_a_stream_reads_back_as_the_library_reads_it(
    recorder: LedgerPostgresRecorder,
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
    assert recorder.select_events(oid, **asked) == library(recorder, oid, **asked)


def test_a_record_nobody_wrote_has_no_events(recorder: LedgerPostgresRecorder) -> None:
    oid = uuid4()
    assert recorder.select_events(oid) == [] == library(recorder, oid)
