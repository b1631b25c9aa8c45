"""``ledger.bulk_insert`` stores what the recorder stores (on SQLite it is the recorder's own
write; on PostgreSQL by COPY): the same events under the same
notification ids, the same integrity-log rows, subtree nodes and tree state; and, like
the recorder, nothing at all when a version is taken or a listener refuses."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import bulk_insert
from ledger.application import HazardLedger
from tests.conftest import FakeClock, drop_schema, new_store_url, postgres_dsn

TOPIC = "ledger.hazard:HazardCase.Graded"
START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def event(oid: UUID, version: int, n: int) -> StoredEvent:
    """A stored event with the header fields a leaf reads (recorded time, actor)."""
    state = orjson.dumps(
        {
            "timestamp": (START + timedelta(seconds=n)).isoformat(),
            "actor": {"id": f"actor-{n % 3}", "name": "检查员", "role": "inspector"},
            "occurred_at": START.isoformat(),
            "note": "x" * (n % 7),
        }
    )
    return StoredEvent(oid, version, TOPIC, state)


def streams(sizes: list[int]) -> list[StoredEvent]:
    """Events of ``len(sizes)`` new records, interleaved as a workbook's rows are not
    (each record's versions in order)."""
    oids = [uuid4() for _ in sizes]
    out: list[StoredEvent] = []
    left = list(sizes)
    version = [0] * len(sizes)
    while any(left):
        for i, oid in enumerate(oids):
            if left[i]:
                version[i] += 1
                left[i] -= 1
                out.append(event(oid, version[i], len(out)))
    return out


def chunked(items: list[StoredEvent], cuts: list[int]) -> Iterator[list[StoredEvent]]:
    start = 0
    for cut in sorted({c % (len(items) + 1) for c in cuts} | {len(items)}):
        if cut > start:
            yield items[start:cut]
            start = cut


PREFIX = streams([3, 1, 2])


def digest(ledger: HazardLedger) -> dict[str, str]:
    """Digests of everything a write stores: events (with their notification ids), the
    log's rows, the stored nodes, the tree row."""
    t = ledger.integrity.tables
    queries = {
        "events": f"SELECT {t.event_id}, originator_id, originator_version, topic, state "
        f"FROM {t.events} ORDER BY {t.event_id}",
        "log": f"SELECT seq, notification_id, originator_id, originator_version, topic, "
        f"recorded_at, actor_id, payload_hash, leaf_hash FROM {t.log} ORDER BY seq",
        "nodes": f"SELECT level, idx, hash FROM {t.nodes} ORDER BY level, idx",
        "tree": f"SELECT tree_size, frontier, root FROM {t.tree}",
    }
    out = {}
    for name, query in queries.items():
        rows = t.fetchall(query)
        plain = [[_plain(v) for v in row] for row in rows]
        out[name] = hashlib.sha256(orjson.dumps(plain)).hexdigest()
    return out


def _plain(value: Any) -> Any:
    """A stored value as the same JSON value on both stores (SQLite keeps ids as hex)."""
    if isinstance(value, UUID):
        return value.hex
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


class Stores:
    """Fresh ledgers of one kind, each holding the same few events (``PREFIX``, written
    by the recorder), so a write starts on a non-empty log and tree."""

    def __init__(self, kind: str, tmp_path: Path) -> None:
        self.kind, self.tmp_path = kind, tmp_path
        self.schemas: list[str] = []
        self.opened: list[HazardLedger] = []

    def new(self) -> HazardLedger:
        url, schema = new_store_url(self.kind, self.tmp_path)
        if schema is not None:
            self.schemas.append(schema)
        ledger = HazardLedger(url, clock=FakeClock(START + timedelta(days=1)))
        self.opened.append(ledger)
        ledger.recorder.insert_events(PREFIX)
        return ledger

    def close(self) -> None:
        for ledger in self.opened:
            ledger.close()
        dsn = postgres_dsn()
        for schema in self.schemas:
            assert dsn is not None
            drop_schema(dsn, schema)


@pytest.fixture
def stores(store_kind: str, tmp_path: Path) -> Iterator[Stores]:
    made = Stores(store_kind, tmp_path)
    yield made
    made.close()


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sizes=st.lists(st.integers(1, 7), min_size=1, max_size=120),
    cuts=st.lists(st.integers(0, 1_000), max_size=4),
)
def test_bulk_write_stores_what_the_recorder_stores(
    stores: Stores, sizes: list[int], cuts: list[int]
) -> None:
    events = streams(sizes)
    by_recorder, in_bulk = stores.new(), stores.new()
    for chunk in chunked(events, cuts):
        by_recorder.recorder.insert_events(chunk)
        ids = bulk_insert.insert_events(in_bulk, chunk)
        assert len(ids) == len(chunk) and ids == sorted(ids)
    assert digest(in_bulk) == digest(by_recorder)
    assert in_bulk.integrity.verify().ok


def test_subtree_nodes_and_many_chunks_match_the_recorder(stores: Stores) -> None:
    """Enough events to complete stored subtrees (2**8 leaves) several times."""
    events = streams([5] * 130)  # 650 events
    by_recorder, in_bulk = stores.new(), stores.new()
    for chunk in chunked(events, [100, 300, 301, 599]):
        by_recorder.recorder.insert_events(chunk)
        bulk_insert.insert_events(in_bulk, chunk)
    assert digest(in_bulk) == digest(by_recorder)
    assert in_bulk.integrity.verify().ok


def test_a_taken_version_stores_nothing_of_the_chunk(stores: Stores) -> None:
    ledger = stores.new()
    first = streams([2, 3])
    bulk_insert.insert_events(ledger, first)
    before = digest(ledger)
    clash = [*streams([2]), first[0]]  # a racing writer stored version 1 first
    with pytest.raises(IntegrityError):
        bulk_insert.insert_events(ledger, clash)
    assert digest(ledger) == before


def test_a_refusing_listener_rolls_the_whole_write_back(stores: Stores) -> None:
    ledger = stores.new()
    before = digest(ledger)
    seen: list[int] = []

    def refuse(
        cursor: Any, stored_events: Sequence[StoredEvent], notification_ids: Sequence[int], **_: Any
    ) -> None:
        seen.append(len(stored_events))
        raise RuntimeError("refused")

    ledger.add_insert_listener(refuse)
    try:
        with pytest.raises(RuntimeError):
            bulk_insert.insert_events(ledger, streams([3, 3]))
    finally:
        ledger.recorder.listeners.remove(refuse)  # type: ignore[attr-defined]
    assert seen == [6]
    assert digest(ledger) == before


def test_nothing_to_write_writes_nothing(stores: Stores) -> None:
    ledger = stores.new()
    before = digest(ledger)
    assert bulk_insert.insert_events(ledger, []) == []
    assert digest(ledger) == before
