"""``ledger project``, ``rebuild`` and ``quarantine`` report events set aside, and a fix
takes them back (``quarantine --retry``)."""

from __future__ import annotations

import sqlite3
from uuid import UUID

from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from tests.conftest import FakeClock
from tests.support import register_restaurant, report_case

runner = CliRunner()
PLUGINS = ["--plugins", "city_gas,fire"]  # the built-in sectors: no installed extras


def _set_state(ledger: HazardLedger, case_id: UUID, state: bytes | None) -> bytes:
    """Replace (or just read) the stored state of the case's first event."""
    store = ledger.store
    table = ledger.recorder.events_table_name  # type: ignore[attr-defined]
    if store.is_postgres:
        with store.connect_postgres() as pg:
            where = "WHERE originator_id = %s AND originator_version = 1"
            [old] = pg.execute(
                f'SELECT state FROM "{store.schema}".{table} {where}', (case_id,)
            ).fetchone()
            if state is not None:
                pg.execute(
                    f'UPDATE "{store.schema}".{table} SET state = %s {where}', (state, case_id)
                )
            return bytes(old)
    with sqlite3.connect(store.path) as lite:
        where = "WHERE originator_id = ? AND originator_version = 1"
        [old] = lite.execute(f"SELECT state FROM {table} {where}", (case_id.hex,)).fetchone()
        if state is not None:
            lite.execute(f"UPDATE {table} SET state = ? {where}", (state, case_id.hex))
        return bytes(old)


def test_the_cli_reports_set_aside_events_and_retry_takes_them_back(
    ledger: HazardLedger, store_url: str, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    broken = report_case(ledger, clock.now)
    report_case(ledger, clock.now)
    good = _set_state(ledger, broken, b"not json")

    project = runner.invoke(cli, [*PLUGINS, "--store", store_url, "project"])
    assert project.exit_code == 0, project.output
    assert "hazard_register" in project.output and "搁置" in project.output

    listed = runner.invoke(cli, [*PLUGINS, "--store", store_url, "--lang", "en", "quarantine"])
    assert listed.exit_code == 0
    assert f"{broken}@1" in listed.output

    rebuilt = runner.invoke(cli, [*PLUGINS, "--store", store_url, "--lang", "en", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "set aside" in rebuilt.output

    still = runner.invoke(cli, [*PLUGINS, "--store", store_url, "quarantine", "--retry"])
    assert still.exit_code == 1  # the event still does not decode

    _set_state(ledger, broken, good)  # the fix
    fixed = runner.invoke(
        cli, [*PLUGINS, "--store", store_url, "--lang", "en", "quarantine", "--retry"]
    )
    assert fixed.exit_code == 0, fixed.output
    assert "no events set aside" in fixed.output
