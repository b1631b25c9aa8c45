"""Every checkpoint is also held outside the store: a directory and ``GET /checkpoint``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import Settings, create_app
from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.integrity.signing import SigningKey, parse_note
from tests.conftest import FakeClock
from tests.support import assigned_case, report_case

from .conftest import truncate


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "published"
    monkeypatch.setenv("LEDGER_CHECKPOINT_DIR", str(directory))
    return directory


@pytest.fixture
def publishing_ledger(
    published: Path, store_url: str, clock: FakeClock, signing_key: SigningKey
) -> Iterator[HazardLedger]:
    app = HazardLedger(store_url, clock=clock)
    yield app
    app.close()


def test_each_checkpoint_is_written_to_the_directory(
    publishing_ledger: HazardLedger, published: Path, clock: FakeClock, signing_key: SigningKey
) -> None:
    assigned_case(publishing_ledger, clock.now)
    first = publishing_ledger.integrity.issue_checkpoint()
    report_case(publishing_ledger, clock.now)
    second = publishing_ledger.integrity.issue_checkpoint()
    names = sorted(p.name for p in published.iterdir())
    assert names == ["000000000004.checkpoint", "000000000005.checkpoint", "checkpoint"]
    assert (published / "000000000004.checkpoint").read_text() == first.signed_note()
    latest = parse_note((published / "checkpoint").read_text())
    found = latest.signed_by(signing_key.verifier)
    assert found is not None and found.signature == second.signature


def test_get_checkpoint_serves_the_c2sp_text_without_a_token(
    publishing_ledger: HazardLedger, published: Path, store_url: str, clock: FakeClock
) -> None:
    app = create_app(Settings(store=store_url, clock=clock), ledger=publishing_ledger)
    with TestClient(app) as client:
        missing = client.get("/checkpoint")
        assert missing.status_code == 404
        assigned_case(publishing_ledger, clock.now)
        publishing_ledger.integrity.issue_checkpoint()
        served = client.get("/checkpoint")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/plain")
    assert served.text == (published / "checkpoint").read_text()
    origin, size, root, blank, signature = served.text.split("\n")[:5]
    assert origin == publishing_ledger.integrity.origin and size == "4" and len(root) == 44
    assert blank == "" and signature.startswith("\u2014 hazard-ledger ")


def test_verify_with_the_directory_finds_a_cut_at_a_checkpoint(
    publishing_ledger: HazardLedger,
    published: Path,
    store_url: str,
    clock: FakeClock,
    trusted_key_file: Path,
) -> None:
    assigned_case(publishing_ledger, clock.now)
    publishing_ledger.integrity.issue_checkpoint()
    for _ in range(2):
        report_case(publishing_ledger, clock.now)
    publishing_ledger.integrity.issue_checkpoint()
    runner = CliRunner()
    args = ["--store", store_url, "--lang", "en", "verify", "--trusted-key", str(trusted_key_file)]
    result = runner.invoke(cli, args)  # LEDGER_CHECKPOINT_DIR names the directory
    assert result.exit_code == 0, result.output
    assert "consistent with the checkpoint kept outside" in result.output
    truncate(publishing_ledger, 4)  # back to exactly the first signed checkpoint
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "covers 6 events, the log holds 4: events 4..5 were removed" in result.output
