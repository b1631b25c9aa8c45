"""A second rebuild of one ledger is refused while the first runs: both would write the
same build tables."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from api.cli import app as cli
from api.cli.projections_command import REBUILD_LEASE
from ledger.application import HazardLedger
from ledger.store import resolve_store, try_lease

runner = CliRunner()


def test_a_second_rebuild_is_refused_while_one_runs(store_url: str, tmp_path: Path) -> None:
    HazardLedger(store_url).close()
    running = try_lease(resolve_store(store_url), REBUILD_LEASE)  # the first rebuild
    assert running is not None
    try:
        refused = runner.invoke(cli, ["--store", store_url, "rebuild"])
        assert refused.exit_code == 4, refused.output
        assert "另一次重建正在进行" in refused.output
        english = runner.invoke(cli, ["--store", store_url, "--lang", "en", "rebuild"])
        assert english.exit_code == 4
        assert "another rebuild of this ledger is running" in english.output
    finally:
        running.release()
    done = runner.invoke(cli, ["--store", store_url, "rebuild"])
    assert done.exit_code == 0, done.output
    after = try_lease(resolve_store(store_url), REBUILD_LEASE)
    assert after is not None, "the rebuild gave its lease back"
    after.release()
