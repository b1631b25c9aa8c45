"""Workbook import: good files, every kind of defect, re-import and later steps."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from api.workbook.columns import COLUMNS, SHEET
from api.workbook.importer import ImportReport, WorkbookImporter, case_id_for
from api.workbook.template import write_template
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.hazard import Status
from ledger.identity import Actor, Role
from tests.conftest import FakeClock

OPERATOR = Actor("clerk-01", "录入员", Role.ADMIN, "县应急管理局")
RESTAURANT = make_credit_code("92620826MA71RKTA0")
WAREHOUSE = make_credit_code("91620826MA7CHEM00"[:17])


def base_row(ref: str, **over: Any) -> dict[str, Any]:
    row = {
        "隐患编号": ref,
        "统一社会信用代码": RESTAURANT,
        "企业名称": "城关镇某餐馆",
        "行政区划代码": "620826",
        "主要负责人": "王五",
        "行业领域": "城镇燃气",
        "隐患来源": "网格排查",
        "发现人": "张建国",
        "发现时间": "2026-03-03 09:00",
        "隐患部位": "后厨",
        "隐患描述": "燃气软管穿墙敷设",
    }
    row.update(over)
    return row


FULL_CYCLE = {
    "隐患等级": "一般",
    "整改方式": "限期整改",
    "责任部门": "县住建局",
    "整改期限": "2026-03-18 18:00",
    "整改要求": "改用金属管并加装报警",
    "整改措施": "软管改为金属管，加装泄漏报警器",
    "整改完成时间": "2026-03-10 10:00",
    "整改报告人": "王五",
    "复查人": "李明",
    "复查时间": "2026-03-12 15:00",
    "复查结论": "通过",
    "销号人": "李明",
    "销号时间": "2026-03-12 16:00",
    "状态": "已销号",
}


def workbook(path: Path, rows: list[dict[str, Any]], headers: list[str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    headers = headers or [c.header for c in COLUMNS]
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    wb.save(path)
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.fromisoformat("2026-06-01T09:00:00+08:00"))


def run(ledger: HazardLedger, path: Path, **kwargs: Any) -> ImportReport:
    return WorkbookImporter(ledger, OPERATOR, path.name).run(path, **kwargs)


def events_in(ledger: HazardLedger) -> int:
    return ledger.recorder.max_notification_id() or 0


def test_template_has_every_header_and_lists(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in COLUMNS]
    lists = {
        str(dv.sqref).split(":")[0][:-1]: dv.formula1 for dv in ws.data_validations.dataValidation
    }
    assert any("重大" in f for f in lists.values())  # grade
    assert any("城镇燃气" in f for f in lists.values())  # sector
    assert any("已销号" in f for f in lists.values())  # status


def test_good_workbook(ledger: HazardLedger, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "good.xlsx",
        [
            base_row("2026-001", **FULL_CYCLE),
            base_row(
                "2026-002",
                隐患等级="一般",
                整改方式="当场整改",
                整改措施="当场更换软管",
                整改完成时间="2026-03-03 09:30",
            ),
            base_row("2026-003"),
        ],
    )
    report = run(ledger, path)
    assert report.ok and report.recorded, report.problems
    assert report.rows == 3 and report.cases_created == 3
    full = ledger.case(case_id_for(RESTAURANT, "2026-001"))
    assert full.status is Status.CLOSED
    assert full.verified_by == f"import:{OPERATOR.id}:李明"
    assert ledger.case(case_id_for(RESTAURANT, "2026-002")).status is Status.CLOSED
    assert ledger.case(case_id_for(RESTAURANT, "2026-003")).status is Status.REPORTED
    history = ledger.history(full.id)
    assert [type(e).__name__ for e in history] == [
        "Reported",
        "Graded",
        "Assigned",
        "RectificationReported",
        "Verified",
        "Closed",
    ]
    assert all("由台账导入" in (e.justification or "") for e in history)
    assert all(e.actor.role is Role.SYSTEM for e in history)
    assert history[0].occurred_at == datetime.fromisoformat("2026-03-03T09:00:00+08:00")
    assert report.events_recorded == events_in(ledger)


DEFECTS = [
    ("missing cell", {"隐患部位": None}, "隐患部位", "CELL_REQUIRED"),
    ("bad datetime", {"发现时间": "三月三日"}, "发现时间", "CELL_DATETIME"),
    ("not in list", {"隐患等级": "较大"}, "隐患等级", "CELL_NOT_IN_LIST"),
    (
        "credit code",
        {"统一社会信用代码": RESTAURANT[:-1] + ("0" if RESTAURANT[-1] != "0" else "1")},
        "统一社会信用代码",
        "CREDIT_CODE_CHECK",
    ),
    ("major without criterion", {"隐患等级": "重大"}, "判定依据", "MAJOR_NEEDS_CRITERION"),
    (
        "rectification without measures",
        {**FULL_CYCLE, "整改措施": None},
        "整改措施",
        "RECTIFICATION_NEEDS_MEASURES",
    ),
    ("self-verification", {**FULL_CYCLE, "复查人": "王五"}, "复查人", "SELF_VERIFICATION"),
    ("status mismatch", {**FULL_CYCLE, "状态": "待复查"}, "状态", "STATUS_MISMATCH"),
    ("bad json", {"行业字段": "{not json"}, "行业字段", "CELL_JSON"),
    ("future", {"发现时间": "2027-01-01 00:00"}, "发现时间", "OCCURRED_AT_IN_FUTURE"),
]


@pytest.mark.parametrize(("name", "change", "column", "rule"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_defect_refuses_the_whole_file(
    ledger: HazardLedger, tmp_path: Path, name: str, change: dict[str, Any], column: str, rule: str
) -> None:
    rows = [base_row("ok-1", **FULL_CYCLE), base_row("bad-2", **change), base_row("ok-3")]
    path = workbook(tmp_path / "bad.xlsx", rows)
    report = run(ledger, path)
    assert not report.ok and not report.recorded
    assert events_in(ledger) == 0  # nothing recorded, not even the good rows
    problem = next(p for p in report.problems if p.rule == rule)
    assert (problem.sheet, problem.row, problem.column) == (SHEET, 3, column)
    assert problem.message_zh and problem.message_en


def test_duplicate_reference_and_missing_header(ledger: HazardLedger, tmp_path: Path) -> None:
    dup = run(ledger, workbook(tmp_path / "dup.xlsx", [base_row("x"), base_row("x")]))
    assert [(p.row, p.rule) for p in dup.problems] == [(3, "DUPLICATE_REF")]
    headers = [c.header for c in COLUMNS if c.header != "隐患描述"]
    missing = run(ledger, workbook(tmp_path / "hdr.xlsx", [base_row("y")], headers))
    assert [p.rule for p in missing.problems] == ["HEADER_MISSING"]
    assert missing.problems[0].column == "隐患描述"
    assert events_in(ledger) == 0


def test_reimport_records_nothing_new(ledger: HazardLedger, tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", [base_row("1", **FULL_CYCLE), base_row("2")])
    first = run(ledger, path)
    recorded = events_in(ledger)
    again = run(ledger, path)
    assert first.ok and again.ok
    assert again.events_recorded == 0 and again.rows_already_recorded == 2
    assert events_in(ledger) == recorded


def test_later_steps_of_an_existing_hazard(ledger: HazardLedger, tmp_path: Path) -> None:
    early = {
        k: v
        for k, v in FULL_CYCLE.items()
        if k in ("隐患等级", "整改方式", "责任部门", "整改期限", "整改要求")
    }
    run(ledger, workbook(tmp_path / "march.xlsx", [base_row("7", **early)]))
    case_id = case_id_for(RESTAURANT, "7")
    assert ledger.case(case_id).status is Status.ASSIGNED
    before = events_in(ledger)
    report = run(ledger, workbook(tmp_path / "april.xlsx", [base_row("7", **FULL_CYCLE)]))
    assert report.ok and report.events_recorded == 3
    assert events_in(ledger) == before + 3
    assert [type(e).__name__ for e in ledger.history(case_id)][-3:] == [
        "RectificationReported",
        "Verified",
        "Closed",
    ]


def test_check_only_records_nothing(ledger: HazardLedger, tmp_path: Path) -> None:
    report = run(ledger, workbook(tmp_path / "c.xlsx", [base_row("1", **FULL_CYCLE)]), record=False)
    assert report.ok and not report.recorded and events_in(ledger) == 0
