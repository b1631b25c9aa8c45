"""The integrity log on a read-only SQLite store (``file:PATH?mode=ro``) writes nothing.

It creates no tables, stores no missing subtree node, and a checkpoint it is asked for
(a bundle, an export) is signed and sent out (published, witnessed) but held by the
log instead of stored: the same one for the same tree head, and one that verifies
offline exactly as a stored one does.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import orjson
import pytest

from ledger.application import HazardLedger
from ledger.integrity.bundle import export_bundle, verify_bundle
from ledger.integrity.cosignature import WitnessPolicy
from ledger.integrity.log import IntegrityLog
from ledger.integrity.recompute import PageReader, _worker_page
from ledger.integrity.signing import SigningKey, parse_note
from ledger.integrity.tables import Tables
from ledger.store import read_only, resolve_store
from tests.conftest import FakeClock
from tests.support import assigned_case, report_case
from tests.unwritable import unwritable

from .conftest import raw
from .test_subtree_nodes import fill
from .test_witnesses import RunningWitness, start_witness


@pytest.fixture
def writer(tmp_path: Path, clock: FakeClock, signing_key: SigningKey) -> Iterator[HazardLedger]:
    """A SQLite ledger with a signing key configured and no checkpoint stored."""
    app = HazardLedger(str(tmp_path / "ledger.db"), clock=clock)
    yield app
    app.close()


@pytest.fixture
def reader(writer: HazardLedger) -> Iterator[IntegrityLog]:
    """The same store's integrity log, opened read-only."""
    log = IntegrityLog(read_only(writer.store))
    yield log
    log.close()


def store_bytes(app: HazardLedger) -> str:
    """The SHA-256 of the store file and of its write-ahead log, as they are now."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = Path(f"{app.store.path}{suffix}")
        digest.update(path.read_bytes() if path.exists() else b"absent")
    return digest.hexdigest()


def test_a_checkpoint_is_signed_published_and_held_not_stored(
    writer: HazardLedger, reader: IntegrityLog, clock: FakeClock, signing_key: SigningKey
) -> None:
    case_id = assigned_case(writer, clock.now)
    report_case(writer, clock.now)
    before = store_bytes(writer)

    checkpoint = reader.issue_checkpoint()
    assert checkpoint.verify(signing_key.verifier)
    assert (checkpoint.tree_size, checkpoint.root) == writer.integrity.tree_head()
    assert reader.issue_checkpoint() == checkpoint  # held: signed and published once
    assert reader.checkpoints() == [] and writer.integrity.checkpoints() == []
    published = reader.checkpoint_directory / f"{checkpoint.tree_size:012d}.checkpoint"
    assert parse_note(published.read_text(encoding="utf-8")).root == checkpoint.root

    bundle = export_bundle(reader, case_id)
    assert parse_note(bundle["checkpoint"]).root == checkpoint.root
    assert verify_bundle(orjson.dumps(bundle)).ok
    assert store_bytes(writer) == before

    # The store grows under the reader (a live file opened read-only): a new head is
    # signed anew, the old checkpoint is not handed out for it.
    report_case(writer, clock.now)
    later = reader.issue_checkpoint()
    assert later.tree_size == checkpoint.tree_size + 1
    assert (later.tree_size, later.root) == writer.integrity.tree_head()
    assert writer.integrity.checkpoints() == []


def test_the_same_bundle_from_a_writable_store_stores_its_checkpoint(
    writer: HazardLedger, clock: FakeClock
) -> None:
    """The other side of the rule: nothing changes for a store that may be written."""
    case_id = assigned_case(writer, clock.now)
    bundle = export_bundle(writer.integrity, case_id)
    [stored] = writer.integrity.checkpoints()
    assert parse_note(bundle["checkpoint"]).root == stored.root
    assert verify_bundle(orjson.dumps(bundle)).ok


def test_missing_nodes_are_computed_for_proofs_and_not_stored(
    writer: HazardLedger, reader: IntegrityLog, clock: FakeClock
) -> None:
    fill(writer, clock, 3 * 256 + 10)
    nodes = writer.integrity.tables.nodes
    raw(writer, f"DELETE FROM {nodes}")  # a ledger written before nodes were kept
    before = store_bytes(writer)
    size, root = writer.integrity.tree_head()
    assert reader.store_missing_nodes(size) == 0
    find = f"SELECT originator_id, originator_version FROM {reader.tables.log} WHERE seq = ?"
    for seq in (0, 255, 256, 700, size - 1):
        [(oid, version)] = raw(writer, find, (seq,))
        proof = reader.inclusion_proof(UUID(str(oid)), int(version))
        assert proof.root == root and proof.verify()
    assert raw(writer, f"SELECT COUNT(*) FROM {nodes}") == [(0,)]
    assert store_bytes(writer) == before
    assert writer.integrity.store_missing_nodes(size) > 0  # the writer still refills them


@pytest.fixture
def witness(tmp_path: Path, trusted_key_file: Path) -> Iterator[RunningWitness]:
    started = start_witness(tmp_path, trusted_key_file, "city")
    yield started
    started.stop()


def test_a_witness_cosignature_is_held_and_carried_by_the_bundle(
    writer: HazardLedger, reader: IntegrityLog, clock: FakeClock, witness: RunningWitness
) -> None:
    case_id = assigned_case(writer, clock.now)
    before = store_bytes(writer)
    reader.use_witnesses(WitnessPolicy.parse(witness.entry()))
    checkpoint = reader.issue_checkpoint()
    [cosignature] = reader.cosignatures(checkpoint.tree_size)
    assert cosignature.name == "city.example/w"
    assert writer.integrity.cosignatures(checkpoint.tree_size) == []
    note = parse_note(export_bundle(reader, case_id)["checkpoint"])
    assert cosignature in note.signatures and len(note.signatures) == 2
    assert store_bytes(writer) == before


def test_verify_workers_read_an_unwritable_copy(
    writer: HazardLedger, tmp_path: Path, clock: FakeClock
) -> None:
    """Verify's worker processes open the copy read-only too: on read-only media, where
    opening it for writing fails, they read their pages, and nothing is written."""
    assigned_case(writer, clock.now)
    for _ in range(3):
        report_case(writer, clock.now)
    writer.close()
    media = tmp_path / "media"
    media.mkdir()
    copy = media / "ledger.db"
    con = sqlite3.connect(writer.store.path)
    con.execute(f"VACUUM INTO '{copy}'")  # one file, no write-ahead log beside it
    con.close()
    con = sqlite3.connect(copy)  # a ledger's file, in WAL mode: reading it needs a
    con.execute("PRAGMA journal_mode=WAL")  # -shm beside it, unless opened immutable
    con.close()
    before = copy.read_bytes()
    with unwritable(copy, media) as refused:
        if not refused:
            pytest.skip("this file system lets this user write whatever the mode")
        store = read_only(resolve_store(str(copy)))
        # A worker's own page: a worker that cannot open the copy hands it back to
        # the caller (ReadInCaller), which verify would then read by itself.
        with PageReader(Tables(store), "stored_events", workers=2) as reader:
            assert reader._pool is not None
            page = reader._pool.submit(_worker_page, (0, 4, {}, 0, ())).result(timeout=60)
        assert page.count == 4 and not page.failures
        log = IntegrityLog(store)
        try:
            report = log.verify(workers=2, page_size=4)
        finally:
            log.close()
    assert report.ok, report.failures
    assert report.events_checked > 4  # more than one page, read in the workers
    assert copy.read_bytes() == before
    assert sorted(p.name for p in media.iterdir()) == ["ledger.db"]
