"""Signed checkpoints: the note format, the key files, tampering, periodic issue."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from ledger.application import HazardLedger
from ledger.integrity import NoSigningKey
from ledger.integrity.signing import (
    CheckpointError,
    SigningKey,
    VerifierKey,
    create_keys,
    load_signing_key,
    parse_signed_note,
)
from tests.conftest import FakeClock
from tests.support import assigned_case, report_case


def test_keys_live_outside_the_store_with_a_private_file_mode(
    signing_key: SigningKey, key_directory: Path
) -> None:
    private = key_directory / "ledger-signing.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    loaded = load_signing_key(key_directory)
    assert loaded is not None and loaded.verifier == signing_key.verifier
    published = (key_directory / "ledger-signing.pub").read_text()
    assert VerifierKey.from_text(published) == signing_key.verifier
    with pytest.raises(FileExistsError):
        create_keys(key_directory)


def test_checkpoint_note_has_the_transparency_log_layout(
    keyed_ledger: HazardLedger, clock: FakeClock, signing_key: SigningKey
) -> None:
    assigned_case(keyed_ledger, clock.now)
    checkpoint = keyed_ledger.integrity.issue_checkpoint()
    size, root = keyed_ledger.integrity.tree_head()
    note = checkpoint.signed_note()
    lines = note.split("\n")
    assert lines[0] == keyed_ledger.integrity.origin
    assert lines[1] == str(size) == "4"
    assert base64.b64decode(lines[2]) == root
    assert lines[3] == ""
    dash, name, blob = lines[4].split(" ")
    assert (dash, name) == ("\u2014", signing_key.name)
    raw_sig = base64.b64decode(blob)
    assert raw_sig[:4] == signing_key.verifier.key_id
    assert signing_key.verifier.verify(note[: note.index("\n\n") + 1].encode(), raw_sig[4:])
    parsed = parse_signed_note(note)
    assert parsed.verify(signing_key.verifier)
    assert keyed_ledger.integrity.latest_checkpoint() == checkpoint


def test_an_altered_checkpoint_is_rejected(
    keyed_ledger: HazardLedger, clock: FakeClock, signing_key: SigningKey
) -> None:
    assigned_case(keyed_ledger, clock.now)
    note = keyed_ledger.integrity.issue_checkpoint().signed_note()
    origin, size, root, rest = note.split("\n", 3)
    bigger = "\n".join([origin, str(int(size) + 1), root, rest])
    assert not parse_signed_note(bigger).verify(signing_key.verifier)
    other_root = base64.b64encode(bytes(32)).decode()
    assert not parse_signed_note("\n".join([origin, size, other_root, rest])).verify(
        signing_key.verifier
    )
    stranger = create_keys(Path(keyed_ledger.integrity.key_directory).parent / "other").verifier
    assert not parse_signed_note(note).verify(stranger)
    with pytest.raises(CheckpointError):
        parse_signed_note(note.replace("\n\n", "\n"))


def test_no_key_means_no_checkpoint(ledger: HazardLedger, clock: FakeClock) -> None:
    assigned_case(ledger, clock.now)
    with pytest.raises(NoSigningKey):
        ledger.integrity.issue_checkpoint()
    assert ledger.integrity.latest_checkpoint() is None


def test_checkpoints_are_issued_every_n_events_after_commit(
    keyed_ledger: HazardLedger, clock: FakeClock
) -> None:
    keyed_ledger.integrity.checkpoint_every = 3
    assigned_case(keyed_ledger, clock.now)  # 4 events, one save each: crosses 3
    sizes = [c.tree_size for c in keyed_ledger.integrity.checkpoints()]
    assert sizes == [3]
    for _ in range(3):
        report_case(keyed_ledger, clock.now)  # 5, 6 (crosses 6), 7
    assert [c.tree_size for c in keyed_ledger.integrity.checkpoints()] == [3, 6]
    assert keyed_ledger.integrity.verify().ok
