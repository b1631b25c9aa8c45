"""Any one byte changed in a stored event, a logged leaf or a stored subtree node makes
``verify`` fail and name where, on both stores, however the log is read: as one page
in this process, as many pages in this process, or by worker processes.

The ledger is built once per store (about 700 events, so pages of 256 hold whole
blocks that the page hashes itself, plus a tail the caller hashes, and a signed
checkpoint ends inside a block); every example changes one byte and puts it back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.integrity.log import NODE_LEVEL
from ledger.integrity.proofs import PrefixRoots
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock, drop_schema, new_store_url, postgres_dsn
from tests.support import INSPECTOR, register_restaurant, report_case

from .conftest import event_at, events_table, raw

CASES = 340  # two events each, after the enterprise: 681 events
CHECKPOINT_AT = 301  # inside the second block of 256 leaves
# (page size, worker processes): one page here, pages of whole blocks here, and the
# same pages in two worker processes
MODES = [(None, 1), (256, 1), (256, 2)]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def grown(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HazardLedger]:
    tmp = tmp_path_factory.mktemp("verify-any-byte")
    url, schema = new_store_url(str(request.param), tmp)
    clock = FakeClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    app = HazardLedger(url, clock=clock)
    keys = tmp / "keys"
    create_keys(keys)
    app.integrity.use_key_directory(keys)
    register_restaurant(app, clock.now)
    for _ in range(CASES):
        clock.advance(minutes=7)
        case = report_case(app, clock.now - timedelta(minutes=1))
        app.grade_hazard(INSPECTOR, clock.now, case, grade="general")
        if app.integrity.tree_head()[0] == CHECKPOINT_AT:
            app.integrity.issue_checkpoint()
    app.integrity.issue_checkpoint()
    yield app
    app.close()
    if schema is not None:
        dsn = postgres_dsn()
        assert dsn is not None
        drop_schema(dsn, schema)


def size(app: HazardLedger) -> int:
    return app.integrity.tree_head()[0]


def test_the_ledger_spans_several_pages_and_a_checkpoint_inside_a_block(
    grown: HazardLedger,
) -> None:
    sizes = [c.tree_size for c in grown.integrity.checkpoints()]
    assert size(grown) > 2 * 256 and CHECKPOINT_AT in sizes
    assert CHECKPOINT_AT % 256 and size(grown) % 256


@pytest.mark.parametrize(("page", "workers"), MODES)
def test_an_untouched_ledger_verifies_alike_in_every_mode(
    grown: HazardLedger, page: int | None, workers: int
) -> None:
    report = grown.integrity.verify(page_size=page, workers=workers)
    assert report.ok, report.failures
    assert report.events_checked == size(grown) and report.checkpoints_checked == 2
    assert report.root == grown.integrity.tree_head()[1]


def test_pages_of_whole_blocks_hand_their_block_roots_over(
    grown: HazardLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken: list[int] = []
    original = PrefixRoots.extend_blocks

    def counting(self: PrefixRoots, roots: bytes, tails: Any) -> None:
        taken.append(len(roots) // 32)
        original(self, roots, tails)

    monkeypatch.setattr(PrefixRoots, "extend_blocks", counting)
    assert grown.integrity.verify(page_size=256, workers=1).ok
    assert taken == [1] * (size(grown) // 256)


def flip(value: bytes, position: int, mask: int) -> bytes:
    return value[:position] + bytes([value[position] ^ mask]) + value[position + 1 :]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    what=st.sampled_from(["event", "leaf", "node"]),
    mode=st.sampled_from(MODES),
    data=st.data(),
)
def test_any_one_byte_changed_is_caught_where_it_is(
    grown: HazardLedger, what: str, mode: tuple[int | None, int], data: st.DataObject
) -> None:
    app = grown
    t = app.integrity.tables
    page, workers = mode
    mask = data.draw(st.integers(1, 255), label="xor")
    if what == "event":
        seq = data.draw(st.integers(0, size(app) - 1), label="seq")
        table, id_column = events_table(app)
        nid, state = event_at(app, seq)
        position = data.draw(st.integers(0, len(state) - 1), label="byte")
        statement = f"UPDATE {table} SET state = ? WHERE {id_column} = ?"
        raw(app, statement, (flip(state, position, mask), nid))
        restore: tuple[str, tuple[Any, ...]] = (statement, (state, nid))
        expected: tuple[int | None, str, str] = (seq, "PAYLOAD_CHANGED", "")
    elif what == "leaf":
        seq = data.draw(st.integers(0, size(app) - 1), label="seq")
        leaf = bytes(raw(app, f"SELECT leaf_hash FROM {t.log} WHERE seq = ?", (seq,))[0][0])
        position = data.draw(st.integers(0, 31), label="byte")
        statement = f"UPDATE {t.log} SET leaf_hash = ? WHERE seq = ?"
        raw(app, statement, (flip(leaf, position, mask), seq))
        restore = (statement, (leaf, seq))
        expected = (seq, "LEAF_MISMATCH", "")
    else:
        nodes = raw(app, f"SELECT level, idx, hash FROM {t.nodes} ORDER BY level, idx")
        level, index, stored = data.draw(st.sampled_from(nodes), label="node")
        position = data.draw(st.integers(0, 31), label="byte")
        statement = f"UPDATE {t.nodes} SET hash = ? WHERE level = ? AND idx = ?"
        raw(app, statement, (flip(bytes(stored), position, mask), level, index))
        restore = (statement, (bytes(stored), level, index))
        first, last = index << level, ((index + 1) << level) - 1
        assert level >= NODE_LEVEL
        expected = (None, "NODE_MISMATCH", f"node for seq {first}..{last}")
    try:
        report = app.integrity.verify(page_size=page, workers=workers)
    finally:
        raw(app, *restore)
    found = report.first_failure
    assert found is not None, (what, mode)
    assert (found.seq, found.code) == expected[:2], report.failures
    assert expected[2] in found.detail
    if what == "leaf":
        # The events still make the same tree: only the changed leaf row is named.
        assert [f.code for f in report.failures] == ["LEAF_MISMATCH"]


def test_events_counted_instead_of_searched_still_find_one_slipped_in(
    grown: HazardLedger, tmp_path: Path
) -> None:
    """With every logged event present, an extra event without a leaf makes the count
    differ, and the search then names it."""
    app = grown
    table, _ = events_table(app)
    oid = "0" * 32 if not app.integrity.tables.postgres else "00000000-0000-0000-0000-000000000000"
    raw(
        app,
        f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
        "VALUES (?, 1, 'x:Y', ?)",
        (oid, b"{}"),
    )
    try:
        report = app.integrity.verify(page_size=256, workers=1)
    finally:
        raw(app, f"DELETE FROM {table} WHERE originator_id = ?", (oid,))
    assert [f.code for f in report.failures] == ["UNLOGGED_EVENT"]
    assert report.failures[0].aggregate_id == "00000000-0000-0000-0000-000000000000"
