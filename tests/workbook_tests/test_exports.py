"""The lists and reports as XLSX and CSV, with Chinese headers, totals and rates."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from ledger.application import HazardLedger
from projections.follower import Follower
from projections.registry import all_projections
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, ENTERPRISE_USER, assigned_case, report_case


def _ledger_with_cases(store_url: str, clock: FakeClock) -> None:
    ledger = HazardLedger(store_url, clock=clock)
    try:
        case_id = assigned_case(ledger, clock.now)
        clock.advance(days=2)
        ledger.report_rectification(
            ENTERPRISE_USER, clock.now, case_id, measures="已改管", completed_at=clock.now
        )
        ledger.verify_rectification(DEPARTMENT, clock.now, case_id, accepted=True, opinion="合格")
        ledger.close_hazard(DEPARTMENT, clock.now, case_id)
        report_case(ledger, clock.now)
        follower = Follower(ledger, all_projections())
        follower.catch_up()
        follower.close()
    finally:
        ledger.close()


def test_register_and_monthly_report_exports(
    store_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    _ledger_with_cases(store_url, clock)
    runner = CliRunner()
    xlsx = tmp_path / "register.xlsx"
    result = runner.invoke(app, ["--store", store_url, "export", "register", str(xlsx)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(xlsx)
    ws = wb.active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    assert rows[0][0] == "全部 问题隐患清单"  # the title line names region and list
    assert rows[1][:4] == ("企业名称", "统一社会信用代码", "行政区划代码", "行业领域")
    assert len(rows) == 4
    assert {r[3] for r in rows[2:]} == {"城镇燃气"}
    assert {r[10] for r in rows[2:]} == {"已销号", "待定级"}

    month = clock.now.strftime("%Y-%m")
    out = tmp_path / "monthly.csv"
    result = runner.invoke(
        app,
        [
            "--store",
            store_url,
            "export",
            "monthly",
            str(out),
            "--region",
            "620826",
            "--month",
            month,
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese correctly
    with out.open(encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    header, *body = table
    assert header[0] == "行业领域" and "整改率" in header
    total = body[-1]
    assert total[0] == "合计"
    assert total[header.index("排查隐患")] == "2"
    assert total[header.index("已整改")] == "1"
    assert total[header.index("整改率")] == "50.0%"
