"""``verify`` catches direct edits to the store and names the first position hit."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from ledger.application import HazardLedger
from ledger.integrity import log as log_module
from ledger.integrity.log import uuid_text
from tests.conftest import FakeClock
from tests.support import assigned_case, report_case

from .conftest import event_at, events_table, raw


@pytest.fixture(autouse=True, params=["one-process", "workers"])
def verify_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every check must hold whether the log is one page read here or many small
    pages recomputed by worker processes (gaps and swaps then straddle pages)."""
    if request.param == "workers":
        monkeypatch.setattr(log_module, "VERIFY_PAGE", 2)
        monkeypatch.setattr(log_module, "PARALLEL_PAGES", 2)
    return str(request.param)


@pytest.fixture
def filled(keyed_ledger: HazardLedger, clock: FakeClock) -> HazardLedger:
    assigned_case(keyed_ledger, clock.now)
    for _ in range(3):
        clock.advance(hours=1)
        report_case(keyed_ledger, clock.now)
    keyed_ledger.integrity.issue_checkpoint()
    return keyed_ledger


def test_an_untouched_ledger_verifies(filled: HazardLedger) -> None:
    report = filled.integrity.verify()
    assert report.ok, report.failures
    assert report.events_checked == 7 and report.checkpoints_checked == 1
    assert report.signatures_checked == 1


def test_one_byte_edit_of_a_stored_event_is_caught_at_its_seq(filled: HazardLedger) -> None:
    table, id_column = events_table(filled)
    nid, state = event_at(filled, 4)
    position = state.index(b"\xe5")  # first byte of a Chinese character in the text
    edited = state[:position] + bytes([state[position] ^ 0x01]) + state[position + 1 :]
    raw(filled, f"UPDATE {table} SET state = ? WHERE {id_column} = ?", (edited, nid))
    report = filled.integrity.verify()
    assert not report.ok
    first = report.first_failure
    assert first is not None and first.seq == 4 and first.code == "PAYLOAD_CHANGED"
    assert "seq 4" in report.summary("en")
    assert {f.code for f in report.failures} == {
        "PAYLOAD_CHANGED",
        "ROOT_MISMATCH",
        "CHECKPOINT_MISMATCH",
    }


def test_a_deleted_event_row_is_caught_at_its_seq(filled: HazardLedger) -> None:
    table, id_column = events_table(filled)
    nid, _ = event_at(filled, 5)
    raw(filled, f"DELETE FROM {table} WHERE {id_column} = ?", (nid,))
    first = filled.integrity.verify().first_failure
    assert first is not None and (first.seq, first.code) == (5, "EVENT_MISSING")


def test_two_swapped_rows_are_caught_at_the_first_of_them(filled: HazardLedger) -> None:
    table, id_column = events_table(filled)
    cols = "originator_id, originator_version, topic, state"
    nid_a, _ = event_at(filled, 2)
    nid_b, _ = event_at(filled, 5)
    a = raw(filled, f"SELECT {cols} FROM {table} WHERE {id_column} = ?", (nid_a,))[0]
    b = raw(filled, f"SELECT {cols} FROM {table} WHERE {id_column} = ?", (nid_b,))[0]
    set_row = (
        f"UPDATE {table} SET originator_id = ?, originator_version = ?, topic = ?, "
        f"state = ? WHERE {id_column} = ?"
    )
    # Move one row out of the way first: (aggregate, version) is unique.
    raw(filled, f"UPDATE {table} SET originator_version = -1 WHERE {id_column} = ?", (nid_a,))
    raw(filled, set_row, (*a, nid_b))
    raw(filled, set_row, (*b, nid_a))
    report = filled.integrity.verify()
    located = sorted({f.seq for f in report.failures if f.seq is not None})
    assert located == [2, 5]
    first = report.first_failure
    assert first is not None and (first.seq, first.code) == (2, "HEADER_MISMATCH")


def test_swapped_payloads_within_one_case_are_caught(filled: HazardLedger) -> None:
    table, id_column = events_table(filled)
    nid_a, state_a = event_at(filled, 1)
    nid_b, state_b = event_at(filled, 2)
    raw(filled, f"UPDATE {table} SET state = ? WHERE {id_column} = ?", (state_b, nid_a))
    raw(filled, f"UPDATE {table} SET state = ? WHERE {id_column} = ?", (state_a, nid_b))
    first = filled.integrity.verify().first_failure
    assert first is not None and (first.seq, first.code) == (1, "PAYLOAD_CHANGED")


def test_a_deleted_log_row_leaves_a_gap(filled: HazardLedger) -> None:
    raw(filled, f"DELETE FROM {filled.integrity.tables.log} WHERE seq = 3")
    first = filled.integrity.verify().first_failure
    assert first is not None and (first.seq, first.code) == (3, "SEQ_GAP")


def test_a_consistent_rewrite_of_log_and_tree_is_caught_by_the_signed_checkpoint(
    filled: HazardLedger,
) -> None:
    # Someone with database access edits an event and recomputes its leaf, the log and
    # the tree state: only the signed checkpoint (key outside the store) can tell.
    from ledger import merkle
    from ledger.integrity.leaf import encode_leaf, payload_hash

    table, id_column = events_table(filled)
    t = filled.integrity.tables
    nid, state = event_at(filled, 4)
    edited = state.replace("后厨".encode(), "前厅".encode())
    raw(filled, f"UPDATE {table} SET state = ? WHERE {id_column} = ?", (edited, nid))
    header = next(h for h, _, _ in filled.integrity.entries(aggregate_at(filled, 4)) if h.seq == 4)
    new_hash = payload_hash(edited)
    new_leaf = merkle.leaf_hash(encode_leaf(header, new_hash))
    raw(
        filled,
        f"UPDATE {t.log} SET payload_hash = ?, leaf_hash = ? WHERE seq = 4",
        (new_hash, new_leaf),
    )
    leaves = filled.integrity.leaf_hashes(0, 7)
    frontier = merkle.Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    raw(
        filled,
        f"UPDATE {t.tree} SET frontier = ?, root = ? WHERE id = 1",
        (frontier.to_bytes(), frontier.root()),
    )
    report = filled.integrity.verify()
    assert [f.code for f in report.failures] == ["CHECKPOINT_MISMATCH"]
    assert "seq 0 and seq 6" in report.failures[0].detail


def aggregate_at(app: HazardLedger, seq: int) -> UUID:
    t = app.integrity.tables
    oid = "originator_id::text" if t.postgres else "originator_id"
    return UUID(uuid_text(raw(app, f"SELECT {oid} FROM {t.log} WHERE seq = ?", (seq,))[0][0]))


def test_a_truncated_tail_is_caught_by_the_checkpoint(filled: HazardLedger) -> None:
    table, id_column = events_table(filled)
    t = filled.integrity.tables
    nid, _ = event_at(filled, 6)
    raw(filled, f"DELETE FROM {table} WHERE {id_column} = ?", (nid,))
    raw(filled, f"DELETE FROM {t.log} WHERE seq = 6")
    codes = [f.code for f in filled.integrity.verify().failures]
    assert "CHECKPOINT_BEYOND_LOG" in codes


def test_an_event_slipped_in_without_a_leaf_is_caught(
    filled: HazardLedger, clock: FakeClock
) -> None:
    listener = filled.integrity.record
    filled.recorder.listeners.remove(listener)  # type: ignore[attr-defined]
    clock.advance(days=1)
    report_case(filled, clock.now - timedelta(hours=1))
    codes = [f.code for f in filled.integrity.verify().failures]
    assert codes == ["UNLOGGED_EVENT"]


def test_an_altered_checkpoint_signature_is_reported(filled: HazardLedger) -> None:
    t = filled.integrity.tables
    sig = bytes(raw(filled, f"SELECT signature FROM {t.checkpoints}")[0][0])
    raw(filled, f"UPDATE {t.checkpoints} SET signature = ?", (bytes([sig[0] ^ 1]) + sig[1:],))
    codes = [f.code for f in filled.integrity.verify().failures]
    assert codes == ["CHECKPOINT_SIGNATURE_INVALID"]
