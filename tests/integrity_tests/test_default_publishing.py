"""Checkpoints are published beside the key by default, and ``ledger verify`` compares
with them by default: a store cut back to a signed checkpoint (the last events and the
last checkpoints deleted, the tree recomputed) fails the README's verify line as written,
with no ``LEDGER_CHECKPOINT_DIR`` set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.integrity.publish import published_directory
from ledger.integrity.signing import SigningKey
from tests.conftest import FakeClock
from tests.support import assigned_case, report_case

from .conftest import truncate


def test_the_default_commands_find_a_cut_at_a_signed_boundary(
    keyed_ledger: HazardLedger,
    key_directory: Path,
    store_url: str,
    clock: FakeClock,
    trusted_key_file: Path,
) -> None:
    assert "LEDGER_CHECKPOINT_DIR" not in os.environ
    assigned_case(keyed_ledger, clock.now)
    runner = CliRunner()
    store = ["--store", store_url, "--lang", "en"]
    assert runner.invoke(cli, [*store, "checkpoint"]).exit_code == 0  # the demo's own step
    for _ in range(2):
        report_case(keyed_ledger, clock.now)
    assert runner.invoke(cli, [*store, "checkpoint"]).exit_code == 0
    beside = key_directory / "checkpoints"
    assert published_directory(None, key_directory) == beside
    assert sorted(p.name for p in beside.iterdir()) == [
        "000000000004.checkpoint",
        "000000000006.checkpoint",
        "checkpoint",
    ]

    verify = [*store, "verify", "--trusted-key", str(trusted_key_file)]
    result = runner.invoke(cli, verify)
    assert result.exit_code == 0, result.output
    assert f"comparing with the checkpoints published in {beside}" in result.output

    truncate(keyed_ledger, 4)  # back to exactly the first signed checkpoint
    result = runner.invoke(cli, verify)
    assert result.exit_code == 1, result.output
    assert "covers 6 events, the log holds 4: events 4..5 were removed" in result.output


def test_the_configured_directory_still_overrides(
    signing_key: SigningKey,
    key_directory: Path,
    store_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    elsewhere = tmp_path / "published"
    monkeypatch.setenv("LEDGER_CHECKPOINT_DIR", str(elsewhere))
    app = HazardLedger(store_url, clock=clock)
    try:
        assigned_case(app, clock.now)
        app.integrity.issue_checkpoint()
    finally:
        app.close()
    assert (elsewhere / "checkpoint").exists()
    assert not (key_directory / "checkpoints").exists()
