"""The workbook as officials fill it: a sheet per sector with its detail fields as
Chinese columns and drop-downs, no hazard number needed for a new hazard, each sector
once in the list, and refusals that say what is wrong in words, never a rule code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from api.workbook.columns import BY_KEY, SHEET
from api.workbook.details import sheet_title
from api.workbook.importer import case_id_for, generated_ref
from api.workbook.template import LISTS_SHEET, write_template
from ledger.application import HazardLedger
from ledger.hazard import HazardCase, Status
from plugins import Sectors
from tests.conftest import FakeClock

from .test_import import FULL_CYCLE, RESTAURANT, base_row, events_in, run, workbook

SECTORS = Sectors.load(load_entry_points=False)
GAS = SECTORS.specs["city_gas"]
LIFTS = SECTORS.specs["special_equipment"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.fromisoformat("2026-06-01T09:00:00+08:00"))


@pytest.fixture
def sector_ledger(store_url: str, clock: FakeClock) -> Iterator[HazardLedger]:
    ledger = HazardLedger(store_url, clock=clock, sectors=SECTORS)
    yield ledger
    ledger.close()


def fill(template: Path, sheet: str, rows: list[dict[str, Any]]) -> Path:
    """Write rows under the template's headers of ``sheet``, as an official would."""
    wb = load_workbook(template)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for row in rows:
        assert set(row) <= set(headers), set(row) - set(headers)
        ws.append([row.get(str(h)) for h in headers])
    wb.save(template)
    return template


def case(ledger: HazardLedger, ref: str) -> HazardCase:
    """The case of hazard number ``ref`` at the restaurant (blank: the unnumbered one)."""
    if not ref:
        found = datetime.fromisoformat("2026-03-03T09:00:00+08:00")
        ref = generated_ref("city_gas", found, "后厨", "燃气软管穿墙敷设")
    return ledger.case(case_id_for(RESTAURANT, ref))


def gas_row(ref: str | None, **over: Any) -> dict[str, Any]:
    row = {k: v for k, v in base_row(ref or "").items() if k != "行业领域"}
    if ref is None:
        row.pop("隐患编号")
    row.update({"场所类型": "餐饮场所", "是否安装可燃气体泄漏报警装置": "是"})
    row.update(over)
    return row


def test_template_has_a_sheet_per_sector_with_chinese_detail_columns(tmp_path: Path) -> None:
    wb = load_workbook(write_template(tmp_path / "t.xlsx", SECTORS))
    for spec in SECTORS.specs.values():
        assert sheet_title(spec) in wb.sheetnames
    ws = wb[sheet_title(GAS)]
    headers = [c.value for c in ws[1]]
    assert "场所类型" in headers and "是否安装可燃气体泄漏报警装置" in headers
    assert "行业领域" not in headers and "行业字段" not in headers
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    listed = [f for f in formulas if LISTS_SHEET in f]
    assert listed, formulas
    names = [c.value for c in wb[LISTS_SHEET][listed[0].split("$")[1]][1:]]
    assert "餐饮场所" in names and "restaurant" not in names
    assert '"是,否"' in formulas
    assert wb[LISTS_SHEET].sheet_state == "hidden"


def test_sector_drop_down_lists_each_sector_once(tmp_path: Path) -> None:
    wb = load_workbook(write_template(tmp_path / "t.xlsx", SECTORS))
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[list(BY_KEY).index("sector")]
    formula = next(
        dv.formula1
        for dv in wb[SHEET].data_validations.dataValidation
        if str(dv.sqref).startswith(f"{letter}2")
    )
    listed = formula.strip('"').split(",")
    assert sorted(listed) == sorted(spec.name_zh for spec in SECTORS.specs.values())
    assert "危险化学品" not in listed and "建筑施工" not in listed


def test_sector_sheet_rows_import_with_chinese_names(
    sector_ledger: HazardLedger, tmp_path: Path
) -> None:
    template = write_template(tmp_path / "t.xlsx", SECTORS)
    fill(template, sheet_title(GAS), [gas_row("G-1", **FULL_CYCLE)])
    lift = {k: v for k, v in base_row("S-1", 隐患部位="1号电梯").items() if k != "行业领域"}
    lift |= {"设备代码或使用登记证编号": "3110620820190001", "设备种类": "电梯"}
    fill(template, sheet_title(LIFTS), [lift])
    report = run(sector_ledger, template)
    assert report.ok, report.problems
    assert report.cases_created == 2
    gas = case(sector_ledger, "G-1")
    assert dict(gas.details) == {"premises": "restaurant", "leak_alarm_installed": True}
    assert gas.status is Status.CLOSED
    assert case(sector_ledger, "S-1").details["device_type"] == "elevator"
    assert report.events_recorded == events_in(sector_ledger)


def test_sector_sheet_refusals_name_the_detail_column_in_words(
    sector_ledger: HazardLedger, tmp_path: Path
) -> None:
    template = write_template(tmp_path / "t.xlsx", SECTORS)
    fill(
        template,
        sheet_title(GAS),
        [gas_row("G-1", 场所类型="饭店"), gas_row("G-2", 场所类型=None)],
    )
    report = run(sector_ledger, template)
    assert not report.ok and events_in(sector_ledger) == 0
    by_row = {p.row: p for p in report.problems}
    assert by_row[2].sheet == sheet_title(GAS) and by_row[2].column == "场所类型"
    assert "餐饮场所" in by_row[2].message_zh and "restaurant" not in by_row[2].message_zh
    assert (by_row[3].column, by_row[3].rule) == ("场所类型", "DETAIL_REQUIRED")


def test_json_column_takes_chinese_keys_and_names(
    sector_ledger: HazardLedger, tmp_path: Path
) -> None:
    chinese = orjson.dumps({"场所类型": "餐饮场所", "是否安装可燃气体泄漏报警装置": "否"}).decode()
    path = workbook(tmp_path / "j.xlsx", [base_row("J-1", 行业字段=chinese)])
    report = run(sector_ledger, path)
    assert report.ok, report.problems
    assert dict(case(sector_ledger, "J-1").details) == {
        "premises": "restaurant",
        "leak_alarm_installed": False,
    }


def test_old_sector_names_are_still_accepted(sector_ledger: HazardLedger, tmp_path: Path) -> None:
    path = workbook(tmp_path / "old.xlsx", [base_row("C-1", 行业领域="危险化学品")])
    report = run(sector_ledger, path)
    assert report.ok, report.problems
    assert case(sector_ledger, "C-1").sector == "chemicals"


def test_a_new_hazard_needs_no_number_and_reimports_idempotently(
    ledger: HazardLedger, tmp_path: Path
) -> None:
    early = {k: FULL_CYCLE[k] for k in ("隐患等级", "整改方式", "责任部门", "整改期限", "整改要求")}
    row = base_row("", **early)
    first = run(ledger, workbook(tmp_path / "march.xlsx", [row]))
    assert first.ok and first.cases_created == 1, first.problems
    recorded = events_in(ledger)
    again = run(ledger, workbook(tmp_path / "march-again.xlsx", [row]))
    assert again.ok and again.events_recorded == 0 and events_in(ledger) == recorded
    later = run(ledger, workbook(tmp_path / "april.xlsx", [base_row("", **FULL_CYCLE)]))
    assert later.ok and later.cases_created == 0 and later.events_recorded == 3
    assert case(ledger, "").status is Status.CLOSED


def test_two_unnumbered_rows_of_one_hazard_are_a_duplicate(
    ledger: HazardLedger, tmp_path: Path
) -> None:
    report = run(ledger, workbook(tmp_path / "d.xlsx", [base_row(""), base_row("")]))
    assert [(p.row, p.rule, p.column) for p in report.problems] == [
        (3, "DUPLICATE_REF", "隐患编号")
    ]
    assert "隐患编号" in report.problems[0].message_zh
    other = base_row("", 隐患描述="另一处软管老化")
    assert run(ledger, workbook(tmp_path / "two.xlsx", [base_row(""), other])).ok


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "“隐患部位”为必填项"), ("en", "隐患部位 is required")],
)
def test_cli_report_says_what_is_wrong_without_rule_codes(
    store_url: str, tmp_path: Path, lang: str, expected: str
) -> None:
    path = workbook(tmp_path / "bad.xlsx", [base_row("1", 隐患部位=None, 发现时间="三月")])
    result = CliRunner().invoke(app, ["--store", store_url, "--lang", lang, "import", str(path)])
    assert result.exit_code == 2
    assert expected in result.output
    for code in ("CELL_REQUIRED", "CELL_DATETIME"):
        assert code not in result.output
