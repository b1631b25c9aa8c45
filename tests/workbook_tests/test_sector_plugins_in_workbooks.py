"""Workbooks know the loaded sectors: their names in the list, their detail fields in a
sheet of the template, and their rules when a row is imported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import orjson
import pytest
from openpyxl import load_workbook

from api.workbook.template import DETAILS_SHEET, write_template
from ledger.application import HazardLedger
from plugins import Sectors
from tests.conftest import FakeClock

from .test_import import base_row, events_in, run, workbook

SECTORS = Sectors.load(load_entry_points=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.fromisoformat("2026-06-01T09:00:00+08:00"))


@pytest.fixture
def sector_ledger(store_url: str, clock: FakeClock) -> Iterator[HazardLedger]:
    app = HazardLedger(store_url, clock=clock, sectors=SECTORS)
    yield app
    app.close()


def test_template_lists_sectors_and_their_detail_fields(tmp_path: Path) -> None:
    wb = load_workbook(write_template(tmp_path / "t.xlsx", SECTORS))
    fields = [(r[1], r[2], r[4]) for r in wb[DETAILS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert ("special_equipment", "device_registration_code", "是") in fields
    assert ("city_gas", "leak_alarm_installed", "否") in fields
    lists = " ".join(dv.formula1 for dv in wb.worksheets[0].data_validations.dataValidation)
    assert "危险化学品（含烟花爆竹）" in lists


def test_rows_are_judged_by_the_sector_rules(sector_ledger: HazardLedger, tmp_path: Path) -> None:
    details = orjson.dumps({"premises": "restaurant"}).decode()
    missing_alarm = base_row("2026-101", 行业字段=details)
    unknown = base_row("2026-102", 行业领域="渔业")
    report = run(sector_ledger, workbook(tmp_path / "bad.xlsx", [missing_alarm, unknown]))
    assert not report.ok and events_in(sector_ledger) == 0
    rules = {(p.rule, p.column) for p in report.problems}
    assert ("LEAK_ALARM_REQUIRED", "行业字段") in rules  # problems name the workbook column
    assert ("CELL_NOT_IN_LIST", "行业领域") in rules

    good = base_row(
        "2026-103",
        行业领域="城镇燃气",
        行业字段=orjson.dumps({"premises": "restaurant", "leak_alarm_installed": True}).decode(),
    )
    by_full_name = base_row(
        "2026-104",
        行业领域="特种设备",
        隐患部位="电梯",
        行业字段=orjson.dumps(
            {"device_registration_code": "3110620820190001", "device_type": "elevator"}
        ).decode(),
    )
    report = run(sector_ledger, workbook(tmp_path / "good.xlsx", [good, by_full_name]))
    assert report.ok, report.problems
    assert report.cases_created == 2
