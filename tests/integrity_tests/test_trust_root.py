"""``ledger verify`` proves history only against a trust root outside the store.

Each attack is what someone with write access to the database (and the key directory)
can do: every one of them passed ``verify`` while it trusted the store's checkpoints.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock
from tests.support import assigned_case, report_case

from .conftest import raw, rewrite_payload, truncate

runner = CliRunner()


def verify(store_url: str, *args: str, json: bool = False) -> tuple[int, str]:
    first = ["--json"] if json else []
    result = runner.invoke(cli, ["--store", store_url, "--lang", "en", *first, "verify", *args])
    return result.exit_code, result.output


@pytest.fixture
def history(keyed_ledger: HazardLedger, clock: FakeClock, tmp_path: Path) -> Path:
    """Seven events, checkpoints at 4 and 7; returns the size-7 checkpoint as kept outside."""
    assigned_case(keyed_ledger, clock.now)
    keyed_ledger.integrity.issue_checkpoint()
    for _ in range(3):
        clock.advance(hours=1)
        report_case(keyed_ledger, clock.now)
    kept = tmp_path / "kept-7.checkpoint"
    kept.write_text(keyed_ledger.integrity.issue_checkpoint().signed_note())
    return kept


def test_an_untouched_ledger_is_proven_with_the_trusted_key(
    history: Path, store_url: str, trusted_key_file: Path, key_directory: Path
) -> None:
    code, out = verify(store_url, "--trusted-key", str(trusted_key_file))
    assert code == 0, out  # with the checkpoints published beside the key by default
    assert "consistent with the checkpoint kept outside" in out
    shutil.rmtree(key_directory / "checkpoints")  # the key alone
    code, out = verify(store_url, "--trusted-key", str(trusted_key_file))
    assert code == 0, out
    assert "History PROVEN" in out and "all 7 events recomputed" in out
    assert "no events were cut off" in out  # what a key alone cannot show, said plainly
    code, out = verify(
        store_url, "--trusted-key", str(trusted_key_file), "--checkpoint", str(history)
    )
    assert code == 0 and "consistent with the checkpoint kept outside" in out
    assert "no events were cut off" not in out


def test_the_trusted_key_may_come_from_the_setting(
    history: Path, store_url: str, trusted_key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_TRUSTED_KEYS", trusted_key_file.read_text().strip())
    code, out = verify(store_url, json=True)
    assert code == 0 and orjson.loads(out)["status"] == "proven"


def test_without_a_trusted_key_nothing_is_proven(history: Path, store_url: str) -> None:
    code, out = verify(store_url)
    assert code == 3 and "NOT PROVEN" in out and "no trusted key is configured" in out


def test_consistency_only_says_what_it_is(history: Path, store_url: str) -> None:
    code, out = verify(store_url, "--consistency-only")
    assert code == 0 and "Internal consistency ONLY" in out


def test_events_after_the_last_checkpoint_are_not_proven(
    history: Path,
    keyed_ledger: HazardLedger,
    store_url: str,
    trusted_key_file: Path,
    clock: FakeClock,
) -> None:
    report_case(keyed_ledger, clock.now)
    code, out = verify(store_url, "--trusted-key", str(trusted_key_file))
    assert code == 3 and "events 7..7 (1) are not covered" in out


@pytest.mark.parametrize("keep", [5, 4])  # 4: exactly at an earlier signed checkpoint
def test_truncation_with_recomputed_tree_and_deleted_checkpoints_fails(
    history: Path,
    keyed_ledger: HazardLedger,
    store_url: str,
    trusted_key_file: Path,
    keep: int,
    key_directory: Path,
) -> None:
    truncate(keyed_ledger, keep)
    assert keyed_ledger.integrity.verify().ok  # the store alone cannot tell
    key = ["--trusted-key", str(trusted_key_file)]
    code, out = verify(store_url, *key)  # the checkpoints published beside the key see it
    assert code == 1 and f"the log holds {keep}: events {keep}..6 were removed" in out
    shutil.rmtree(key_directory / "checkpoints")  # without them: the key alone
    code, out = verify(store_url, *key)
    if keep == 5:
        assert code == 3 and "events 4..4 (1) are not covered" in out
    else:  # a key alone cannot see a cut at a checkpoint, and says so
        assert code == 0 and "no events were cut off" in out
    code, out = verify(store_url, *key, "--checkpoint", str(history))
    assert code == 1 and "TAMPERING FOUND" in out
    assert f"covers 7 events, the log holds {keep}: events {keep}..6 were removed" in out


def test_a_rewritten_payload_with_recomputed_tree_and_no_checkpoints_fails(
    history: Path,
    keyed_ledger: HazardLedger,
    store_url: str,
    trusted_key_file: Path,
    key_directory: Path,
) -> None:
    rewrite_payload(keyed_ledger, 5, "后厨".encode(), "前厅".encode())
    raw(keyed_ledger, f"DELETE FROM {keyed_ledger.integrity.tables.checkpoints}")
    assert keyed_ledger.integrity.verify().ok
    code, out = verify(store_url, "--trusted-key", str(trusted_key_file))
    assert code == 1 and "history diverges within seq" in out  # published beside the key
    shutil.rmtree(key_directory / "checkpoints")  # without them: the key alone
    code, out = verify(store_url, "--trusted-key", str(trusted_key_file))
    assert (
        code == 3
        and "no checkpoint signed by a trusted key that the recomputed history matches" in out
    )
    code, out = verify(
        store_url, "--trusted-key", str(trusted_key_file), "--checkpoint", str(history)
    )
    assert code == 1 and "history diverges within seq 0..6" in out


def test_a_replaced_key_pair_fails_and_its_checkpoints_are_reported(
    history: Path,
    keyed_ledger: HazardLedger,
    store_url: str,
    trusted_key_file: Path,
    key_directory: Path,
) -> None:
    rewrite_payload(keyed_ledger, 5, "后厨".encode(), "前厅".encode())
    raw(keyed_ledger, f"DELETE FROM {keyed_ledger.integrity.tables.checkpoints}")
    forger = create_keys(key_directory, force=True)  # same name, new key, in the key dir
    keyed_ledger.integrity.use_key_directory(key_directory)
    keyed_ledger.integrity.issue_checkpoint()
    assert keyed_ledger.integrity.verify().ok  # checks against the (replaced) key dir
    code, out = verify(store_url, "--trusted-key", str(trusted_key_file))
    assert code == 3
    assert (
        f"signed by hazard-ledger ({forger.verifier.key_id.hex()}), a key not in the trust root"
        in out
    )


def test_a_full_forgery_with_a_new_key_and_checkpoint_fails(
    history: Path,
    keyed_ledger: HazardLedger,
    store_url: str,
    trusted_key_file: Path,
    tmp_path: Path,
    key_directory: Path,
) -> None:
    rewrite_payload(keyed_ledger, 2, b'"general"', b'"major"')
    raw(keyed_ledger, f"DELETE FROM {keyed_ledger.integrity.tables.checkpoints}")
    shutil.rmtree(key_directory / "checkpoints")  # the forger has the key directory too
    create_keys(tmp_path / "forger", name="hazard-ledger")
    keyed_ledger.integrity.use_key_directory(tmp_path / "forger")
    forged = tmp_path / "forged.checkpoint"
    forged.write_text(keyed_ledger.integrity.issue_checkpoint().signed_note())
    code, out = verify(
        store_url, "--trusted-key", str(trusted_key_file), "--checkpoint", str(forged)
    )
    assert code == 3 and "a key not in the trust root" in out
    assert "carries no valid signature of a trusted key; not used" in out
    code, out = verify(
        store_url, "--trusted-key", str(trusted_key_file), "--checkpoint", str(history)
    )
    assert code == 1 and "history diverges" in out


def test_a_bad_trusted_key_file_is_a_clear_error(
    history: Path, store_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.vkey"
    bad.write_text("not a key\n")
    code, out = verify(store_url, "--trusted-key", str(bad))
    assert code == 2 and "invalid trust configuration" in out
