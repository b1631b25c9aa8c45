"""Verify's fast path judges a row exactly as the full check does, whatever it holds.

A forger who can write the store rewrites one event consistently: its payload, the
payload hash and the header in the log, and the leaf as the full check would recompute
it from that header. Whatever the payload is (an object or not, with or without a
timestamp and an actor with an id, of any type, keys given twice, not JSON at all) and
whatever the header holds (versions of other types, ids not as written), reading the
page with the fast path must give the leaves and failures of judging every row in full,
with either SQLite library.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import apsw
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.integrity.leaf import leaf_hash_of
from ledger.integrity.recompute import PageResult, _check_row, page_query, recompute_page
from ledger.integrity.tables import Tables
from tests.conftest import FakeClock
from tests.support import INSPECTOR, register_restaurant, report_case

CASES = 4  # two events each, after the enterprise
SEQ = 4  # the event rewritten: a grading, between two events of its case


class Image:
    """A small ledger as SQLite's serialized bytes (a short repr for hypothesis)."""

    def __init__(self, tables: Tables, data: bytes) -> None:
        self.tables, self.data = tables, data

    def __repr__(self) -> str:
        return f"Image({len(self.data)} bytes)"


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Image]:
    path = tmp_path_factory.mktemp("verify-fast-path") / "ledger.db"
    clock = FakeClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    app = HazardLedger(str(path), clock=clock)
    register_restaurant(app, clock.now)
    for _ in range(CASES):
        clock.advance(minutes=7)
        case = report_case(app, clock.now - timedelta(minutes=1))
        app.grade_hazard(INSPECTOR, clock.now, case, grade="general")
    tables = app.integrity.tables
    copy_path = path.with_name("copy.db")
    with tables.connect() as conn:
        conn.execute("VACUUM INTO ?", (str(copy_path),))
    app.close()
    copy = sqlite3.connect(copy_path)
    copy.execute("PRAGMA journal_mode=DELETE")  # an image in WAL mode cannot be opened
    yield Image(tables, copy.serialize())


TEXT = st.text(max_size=8)
INTS = st.integers(-(2**63), 2**64 - 1)  # what orjson writes
SCALARS = st.one_of(st.none(), st.booleans(), INTS, st.floats(allow_nan=False), TEXT)
ACTORS = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=2),
    st.fixed_dictionaries({}, optional={"id": SCALARS, "name": TEXT}),
)
OBJECTS = st.fixed_dictionaries(
    {}, optional={"timestamp": SCALARS, "actor": ACTORS, "grade": TEXT, "n": INTS}
)


USUAL = st.fixed_dictionaries(
    {"timestamp": TEXT, "actor": st.fixed_dictionaries({"id": TEXT}, optional={"name": TEXT})},
    optional={"grade": TEXT, "n": INTS},
)


@st.composite
def payloads(draw: st.DrawFn) -> bytes:
    """Payload bytes: mostly objects as events have them, then any objects, some with
    keys given twice (orjson keeps the last), other JSON values, bytes not JSON."""
    kind = draw(st.sampled_from(["usual", "usual", "usual", "object", "twice", "value", "bytes"]))
    if kind in ("usual", "object"):
        return orjson.dumps(draw(USUAL if kind == "usual" else OBJECTS))
    if kind == "twice":
        key = draw(st.sampled_from(["timestamp", "actor"]))
        first, last = orjson.dumps(draw(ACTORS)), orjson.dumps(draw(ACTORS))
        body = orjson.dumps(draw(USUAL))[1:-1]
        return b'{"%s":%s,%s,"%s":%s}' % (key.encode(), first, body, key.encode(), last)
    if kind == "value":
        return orjson.dumps(draw(st.one_of(SCALARS, st.lists(SCALARS, max_size=2))))
    return draw(st.binary(max_size=40))


def said(payload: bytes) -> tuple[Any, Any]:
    """The payload's timestamp and actor id where it has them (else None)."""
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    actor = data.get("actor")
    return data.get("timestamp"), actor.get("id") if isinstance(actor, dict) else None


def judged_in_full(tables: Tables, conn: Any, end: int) -> tuple[list[bytes], PageResult]:
    """Every row of seq 0..end - 1 through the full check, as a page of the reference."""
    cur = conn.cursor()
    rows = list(cur.execute(page_query(tables), (0, end)))
    result = PageResult()
    leaves, expected = [], 0
    for row in rows:
        leaves.append(_check_row(tables, cur, row, expected, {}, result))
        expected = row[0] + 1
    return leaves, result


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    payload=payloads(),
    rec=st.one_of(st.none(), st.none(), st.none(), TEXT),
    actor=st.one_of(st.none(), st.none(), st.none(), TEXT),
    version=st.sampled_from(["", "'2'", "2.5", "'x'"]),
    oid=st.sampled_from(["", "upper(originator_id)", "'not-an-id'", "originator_id || 'a'"]),
    topic=st.one_of(st.none(), TEXT),
    hashed=st.sampled_from([True, True, False]),
    as_stored=st.booleans(),
    both=st.sampled_from([True, True, False]),
)
def test_the_fast_path_agrees_with_the_full_check(
    image: Image,
    payload: bytes,
    rec: str | None,
    actor: str | None,
    version: str,
    oid: str,
    topic: str | None,
    hashed: bool,
    as_stored: bool,
    both: bool,
) -> None:
    """``rec``/``actor``/``topic`` None: the header keeps what the payload says (where
    that is text) or what it held; ``hashed``: the log holds the new payload's hash;
    ``as_stored``: the leaf is hashed from the header's stored values as they read
    (the id hyphenated but not lowercased), not as the full check recomputes it;
    ``both``: ``version``, ``oid`` and ``topic`` change in the log as in the event."""
    tables, data = image.tables, image.data
    lite = sqlite3.connect(":memory:", isolation_level=None)
    lite.deserialize(data)
    said_rec, said_actor = said(payload)
    (event_id,) = lite.execute(
        "SELECT notification_id FROM integrity_log WHERE seq = ?", (SEQ,)
    ).fetchone()
    where = ("WHERE seq = ?", (SEQ,)), ("WHERE rowid = ?", (event_id,))
    lite.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (payload, event_id))
    if hashed:
        digest = hashlib.sha256(payload).digest()
        lite.execute("UPDATE integrity_log SET payload_hash = ? " + where[0][0], (digest, SEQ))
    header = {
        "recorded_at": rec if rec is not None else said_rec,
        "actor_id": actor if actor is not None else said_actor,
    }
    for column, value in header.items():
        if isinstance(value, str):
            lite.execute(f"UPDATE integrity_log SET {column} = ? WHERE seq = ?", (value, SEQ))
    tables_changed = ("integrity_log", "stored_events") if both else (None, "stored_events")
    for (clause, params), table in zip(where, tables_changed, strict=True):
        if table is None:
            continue
        if version:
            lite.execute(f"UPDATE {table} SET originator_version = {version} {clause}", params)
        if oid:
            lite.execute(f"UPDATE {table} SET originator_id = {oid} {clause}", params)
        if topic is not None:
            lite.execute(f"UPDATE {table} SET topic = ? {clause}", (topic, *params))
    (end,) = lite.execute("SELECT MAX(seq) + 1 FROM integrity_log").fetchone()
    # The forger's leaf: the one the full check recomputes from the rewritten header.
    leaves, _ = judged_in_full(tables, lite, end)
    leaf = leaves[SEQ]
    if as_stored:
        row = lite.execute(
            "SELECT originator_id, originator_version, topic, recorded_at, actor_id, "
            "payload_hash FROM integrity_log WHERE seq = ?",
            (SEQ,),
        ).fetchone()
        stored_oid, topic_text, rec_text, actor_text = (str(row[i]) for i in (0, 2, 3, 4))
        if len(stored_oid) == 32:
            parts = (stored_oid[a:b] for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32)))
            stored_oid = "-".join(parts)
        leaf = leaf_hash_of(SEQ, stored_oid, row[1], topic_text, rec_text, actor_text, row[5])
    lite.execute("UPDATE integrity_log SET leaf_hash = ? WHERE seq = ?", (leaf, SEQ))
    leaves, full = judged_in_full(tables, lite, end)
    other = apsw.Connection(":memory:")
    other.deserialize("main", lite.serialize())
    try:
        for conn in (lite, other):
            fast = recompute_page(tables, conn, 0, end, {})
            assert fast.leaves == b"".join(leaves)
            assert fast.failures == full.failures
            assert fast.missing == full.missing
    finally:
        other.close()
        lite.close()
