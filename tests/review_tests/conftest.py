"""Fixtures for the review tests: a private signing-key directory, the scenario 4 ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.application import HazardLedger

from ..conftest import FakeClock
from . import scenario


@pytest.fixture(autouse=True)
def key_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "keys"
    monkeypatch.setenv("LEDGER_KEY_DIR", str(directory))
    monkeypatch.setenv("LEDGER_CHECKPOINT_EVERY", "0")
    return directory


@pytest.fixture
def factory(ledger: HazardLedger, clock: FakeClock) -> scenario.FactoryFire:
    return scenario.build(ledger, clock)
