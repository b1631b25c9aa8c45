"""Nothing prints a database password; a new store file is private to its owner."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from tests.conftest import new_store_url

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_store_and_its_wal_are_0600(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    ledger = HazardLedger(str(path))
    ledger.recorder.max_notification_id()
    assert mode(path) == 0o600
    wal = tmp_path / "ledger.db-wal"
    if wal.exists():
        assert mode(wal) == 0o600
    ledger.close()


def test_ledger_init_creates_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    result = runner.invoke(cli, ["--plugins", "city_gas", "--store", str(path), "init"])
    assert result.exit_code == 0, result.output
    assert mode(path) == 0o600


@pytest.mark.postgres
def test_serve_never_prints_the_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url, schema = new_store_url("postgres", tmp_path)
    with_password = url.replace("://postgres@", "://postgres:s3cret-pw@", 1)
    assert "s3cret-pw" in with_password
    started: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append(k))
    # `serve` hands its settings to uvicorn's workers through the environment; restore it
    # after the test, or every later test in this process would inherit this store and
    # these plugins.
    for name in ("LEDGER_STORE", "LEDGER_FOLLOW", "LEDGER_PLUGINS"):
        monkeypatch.setenv(name, "")  # records the value to restore, absent included
        monkeypatch.delenv(name)
    try:
        result = runner.invoke(
            cli, ["--plugins", "city_gas", "--store", with_password, "serve", "--port", "1"]
        )
    finally:
        from tests.conftest import drop_schema, postgres_dsn

        dsn = postgres_dsn()
        if dsn is not None and schema is not None:
            drop_schema(dsn, schema)
    assert result.exit_code == 0, result.output
    assert started
    assert "s3cret-pw" not in result.output
    assert "postgresql://postgres@" in result.output
