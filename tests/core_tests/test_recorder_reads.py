"""The ledger's SQLite recorder reads a record's stream exactly as the library does.

``LedgerSQLiteRecorder.select_events`` reads a whole stream in one autocommit statement
instead of the library's ``BEGIN``/``SELECT``/``ROLLBACK``; every other read (from a
version, up to one, newest first, limited) is the library's own. For every stream and
every such question, the rows that come back are the library's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.recorders import LedgerSQLiteRecorder


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
