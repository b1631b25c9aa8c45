"""Whole-ledger export and import: SQLite to PostgreSQL, proven against the checkpoint."""

from __future__ import annotations

import base64
from pathlib import Path
from uuid import UUID

import orjson
import pytest

from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from ledger.transfer import TransferError, export_ledger, import_ledger
from tests.conftest import FakeClock, new_store_url
from tests.support import DEPARTMENT, ENTERPRISE_USER, assigned_case


def _history(ledger: HazardLedger, clock: FakeClock, keys: Path) -> None:
    ledger.integrity.use_key_directory(keys)
    case_id = assigned_case(ledger, clock.now)
    clock.advance(days=2)
    ledger.report_rectification(
        ENTERPRISE_USER, clock.now, case_id, measures="已改管并加装报警器", completed_at=clock.now
    )
    clock.advance(days=1)
    ledger.verify_rectification(DEPARTMENT, clock.now, case_id, accepted=True, opinion="合格")
    ledger.integrity.issue_checkpoint()


@pytest.fixture
def exported(tmp_path: Path, clock: FakeClock) -> Path:
    keys = tmp_path / "keys"
    create_keys(keys)
    source = HazardLedger(str(tmp_path / "source.db"), clock=clock)
    _history(source, clock, keys)
    path = tmp_path / "ledger.jsonl"
    report = export_ledger(source, path)
    assert report.events == source.integrity.tree_head()[0] > 0
    source.close()
    return path


def test_migration_verifies_against_the_original_checkpoint(
    exported: Path, store_url: str, clock: FakeClock
) -> None:
    target = HazardLedger(store_url, clock=clock)
    try:
        report = import_ledger(target, exported)
        assert report.proven and report.checkpoint_size == report.events
        header = orjson.loads(exported.read_bytes().splitlines()[0])
        assert report.root == header["root"]
        assert target.integrity.verify().ok
        # The copy answers like the original: the same events with the same clocks.
        for raw in exported.read_bytes().splitlines()[1:-1]:
            line = orjson.loads(raw)
            state = orjson.loads(base64.b64decode(line["state"]))
            event = target.history(UUID(line["originator_id"]))[line["originator_version"] - 1]
            assert event.timestamp.isoformat() == state["timestamp"]
            assert event.actor.id == state["actor"]["id"]
        assert len(target.integrity.checkpoints()) == 1
    finally:
        target.close()


def test_altered_export_is_refused(exported: Path, tmp_path: Path, clock: FakeClock) -> None:
    lines = exported.read_bytes().splitlines()
    event = orjson.loads(lines[2])
    state = base64.b64decode(event["state"]).replace("后厨".encode(), "前厅".encode())
    event["state"] = base64.b64encode(state).decode()
    lines[2] = orjson.dumps(event)
    altered = tmp_path / "altered.jsonl"
    altered.write_bytes(b"\n".join(lines) + b"\n")
    target = HazardLedger(str(tmp_path / "target.db"), clock=clock)
    try:
        with pytest.raises(TransferError, match="sequence 1"):
            import_ledger(target, altered)
    finally:
        target.close()


def test_truncated_export_and_non_empty_target_are_refused(
    exported: Path, tmp_path: Path, clock: FakeClock
) -> None:
    truncated = tmp_path / "truncated.jsonl"
    truncated.write_bytes(b"\n".join(exported.read_bytes().splitlines()[:-2]) + b"\n")
    url, _ = new_store_url("sqlite", tmp_path)
    target = HazardLedger(url, clock=clock)
    try:
        with pytest.raises(TransferError, match="truncated"):
            import_ledger(target, truncated)
        # Nothing of a refused import stays: the store is as empty as before.
        assert target.integrity.tree_head()[0] == 0
        assert (target.recorder.max_notification_id() or 0) == 0
        assert import_ledger(target, exported).proven
        with pytest.raises(TransferError, match="not empty"):
            import_ledger(target, exported)
    finally:
        target.close()


def test_an_export_larger_than_one_batch_is_whole(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exports are written in batches; every batch after the first must read right too."""
    import ledger.transfer as transfer

    monkeypatch.setattr(transfer, "BATCH", 2)
    keys = tmp_path / "keys"
    create_keys(keys)
    source = HazardLedger(str(tmp_path / "source.db"), clock=clock)
    _history(source, clock, keys)
    size = source.integrity.tree_head()[0]
    assert size > 2 * transfer.BATCH
    path = tmp_path / "ledger.jsonl"
    assert export_ledger(source, path).events == size
    source.close()
    target = HazardLedger(str(tmp_path / "target.db"), clock=clock)
    try:
        report = import_ledger(target, path)
        assert report.events == size and report.proven
        assert target.integrity.verify().ok
    finally:
        target.close()
