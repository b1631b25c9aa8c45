"""Verify's worker processes read SQLite pages with apsw instead of the sqlite3 module.

What verify concludes must not depend on which of the two read a page: both hand over
the same Python values for every value SQLite can store (or both refuse it), a page
reads to the same result with either, and a page that apsw cannot read is read again
by the caller with the sqlite3 module, so that verify ends exactly as it did.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import apsw
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.integrity.log import NODE_LEVEL
from ledger.integrity.recompute import recompute_page
from tests.conftest import FakeClock
from tests.support import INSPECTOR, register_restaurant, report_case

from .conftest import raw

CASES = 300  # two events each, after the enterprise: 601 events, three pages of 256


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HazardLedger]:
    path = tmp_path_factory.mktemp("verify-reader") / "ledger.db"
    clock = FakeClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    app = HazardLedger(str(path), clock=clock)
    register_restaurant(app, clock.now)
    for _ in range(CASES):
        clock.advance(minutes=7)
        case = report_case(app, clock.now - timedelta(minutes=1))
        app.grade_hazard(INSPECTOR, clock.now, case, grade="general")
    yield app
    app.close()


# Every kind of value SQLite stores: integers to 64 bits, reals (NaN is stored as NULL),
# text with any code point UTF-8 can carry (NUL and astral ones included), blobs.
VALUES = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(st.characters(codec="utf-8")),
    st.binary(),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(VALUES, VALUES, VALUES), min_size=1, max_size=20))
def test_both_libraries_hand_over_the_same_values(rows: list[tuple[Any, ...]]) -> None:
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE t (a, b TEXT, c INTEGER)")  # no affinity, text, integer
    lite.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    image = lite.serialize()
    other = apsw.Connection(":memory:")
    other.deserialize("main", image)
    query = "SELECT a, b, c, a = b, typeof(b) FROM t ORDER BY rowid"
    theirs = list(lite.execute(query))
    ours = list(other.cursor().execute(query))
    assert [[type(v) for v in r] for r in ours] == [[type(v) for v in r] for r in theirs]
    assert ours == theirs


def test_text_that_is_not_utf8_is_refused_by_both() -> None:
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE t (x TEXT)")
    lite.execute("INSERT INTO t VALUES (CAST(x'ff41' AS TEXT))")
    other = apsw.Connection(":memory:")
    other.deserialize("main", lite.serialize())
    with pytest.raises(sqlite3.OperationalError):
        lite.execute("SELECT x FROM t").fetchall()
    with pytest.raises(UnicodeDecodeError):
        other.cursor().execute("SELECT x FROM t").fetchall()


# Changes that send rows to the full check, each judged alike by both libraries.
CHANGES = [
    ("", ""),
    (
        "UPDATE stored_events SET state = CAST(state || x'20' AS BLOB) WHERE rowid = 9",
        "PAYLOAD_CHANGED",
    ),
    ("UPDATE stored_events SET topic = topic || 'x' WHERE rowid = 9", "HEADER_MISMATCH"),
    ("UPDATE integrity_log SET leaf_hash = zeroblob(32) WHERE seq = 300", "LEAF_MISMATCH"),
    ("UPDATE integrity_log SET actor_id = 'mallory' WHERE seq = 300", "HEADER_MISMATCH"),
    ("UPDATE integrity_log SET originator_version = 1.5 WHERE seq = 301", "HEADER_MISMATCH"),
    ("DELETE FROM stored_events WHERE rowid = 520", "EVENT_MISSING"),
    ("DELETE FROM integrity_log WHERE seq = 513", "SEQ_GAP"),
]


@pytest.mark.parametrize(("change", "code"), CHANGES)
def test_a_page_reads_alike_with_either_library(
    grown: HazardLedger, tmp_path: Path, change: str, code: str
) -> None:
    """Read from a copy in rollback-journal mode: two SQLite libraries with one file
    open in one process release each other's locks, and apsw closing the ledger's own
    file here would take its WAL from under the ledger's connections (the reason the
    worker processes open nothing but apsw)."""
    t = grown.integrity.tables
    size = grown.integrity.tree_head()[0]
    copy = tmp_path / "copy.db"
    with t.connect() as live:
        live.execute("VACUUM INTO ?", (str(copy),))
    lite = sqlite3.connect(copy, isolation_level=None)
    lite.execute("PRAGMA journal_mode=DELETE")
    if change:
        lite.execute(change)
    other = apsw.Connection(str(copy))
    try:
        codes = []
        for start in range(0, size, 256):
            theirs = recompute_page(t, lite, start, start + 256, {}, block_bits=NODE_LEVEL)
            ours = recompute_page(t, other, start, start + 256, {}, block_bits=NODE_LEVEL)
            assert ours == theirs
            codes += [f.code for f in ours.failures]
    finally:
        other.close()
        lite.close()
    assert (code in codes) if code else codes == []


def test_a_page_that_apsw_cannot_read_ends_verify_as_before(grown: HazardLedger) -> None:
    """Text that is not UTF-8 in a log row: the sqlite3 module's error, word for word,
    whether the page was read here or handed to a worker process first."""
    app = grown
    t = app.integrity.tables
    seq = 300  # inside the second page of 256
    (actor,) = raw(app, f"SELECT actor_id FROM {t.log} WHERE seq = ?", (seq,))[0]
    raw(app, f"UPDATE {t.log} SET actor_id = CAST(x'ff41' AS TEXT) WHERE seq = ?", (seq,))
    try:
        errors = []
        for workers in (1, 2):
            with pytest.raises(sqlite3.OperationalError) as caught:
                app.integrity.verify(page_size=256, workers=workers)
            errors.append(str(caught.value))
    finally:
        raw(app, f"UPDATE {t.log} SET actor_id = ? WHERE seq = ?", (actor, seq))
    assert errors[0] == errors[1]
    assert app.integrity.verify(page_size=256, workers=2).ok
