"""Workbooks officials hand in as they are: typed cells, widths, frozen header, totals,
A4 landscape print setup with the region and period in the title; one rate format."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from api.rates import RATE_NUMBER_FORMAT, format_rate
from api.workbook.reports import Column, as_text, write
from tests.conftest import FakeClock
from tests.workbook_tests.test_exports import _ledger_with_cases


def test_register_cells_are_typed_and_the_sheet_prints_on_a4_landscape(
    store_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    _ledger_with_cases(store_url, clock)
    xlsx = tmp_path / "register.xlsx"
    result = CliRunner().invoke(
        app, ["--store", store_url, "export", "register", str(xlsx), "--region", "620826"]
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(xlsx)
    ws = wb.active
    assert ws is not None
    header = [c.value for c in ws[2]]
    found_at = header.index("发现时间")
    closed = [row for row in ws.iter_rows(min_row=3) if row[header.index("状态")].value == "已销号"]
    assert len(closed) == 1
    cell = closed[0][found_at]
    assert isinstance(cell.value, datetime)  # a date Excel can sort and filter, not text
    assert cell.number_format == "yyyy-mm-dd hh:mm"
    assert isinstance(closed[0][header.index("销号时间")].value, datetime)
    assert ws["A1"].value == "620826 问题隐患清单"
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.print_title_rows == "$1:$2"
    footer, page_header = ws.oddFooter, ws.oddHeader
    assert footer is not None and page_header is not None
    assert "&P" in (footer.center.text or "")
    assert page_header.center.text == "620826 问题隐患清单"
    assert ws.column_dimensions["A"].width == 28
    assert ws.column_dimensions["F"].width == 40  # 隐患描述
    wb.close()


def test_monthly_report_rates_are_percent_numbers_and_totals_bold(
    store_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    _ledger_with_cases(store_url, clock)
    month = clock.now.strftime("%Y-%m")
    xlsx = tmp_path / "monthly.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "--store",
            store_url,
            "export",
            "monthly",
            str(xlsx),
            "--region",
            "6208",
            "--month",
            month,
        ],
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(xlsx)
    ws = wb.active
    assert ws is not None
    assert ws["A1"].value == f"6208 {month} 月度报表"
    header = [c.value for c in ws[2]]
    total = next(row for row in ws.iter_rows(min_row=3) if row[0].value == "合计")
    rate = total[header.index("整改率")]
    assert rate.value == 0.5 and rate.number_format == RATE_NUMBER_FORMAT
    found = total[header.index("排查隐患")]
    assert found.value == 2 and isinstance(found.value, int)
    amount = total[header.index("罚款金额（元）")]
    assert isinstance(amount.value, int | float)
    assert total[0].font.b
    wb.close()


def test_totals_row_sums_counts_and_amounts(tmp_path: Path) -> None:
    cols = [Column("unit", "单位"), Column("n", "次数", "integer"), Column("a", "金额", "amount")]
    rows = [["甲", 2, 1000.5], ["乙", 3, 200]]
    xlsx = tmp_path / "t.xlsx"
    assert write(xlsx, "表", cols, rows, heading="620826 2024年 表", totals=True) == 2
    wb = load_workbook(xlsx)
    ws = wb.active
    assert ws is not None
    last = [c.value for c in ws[ws.max_row]]
    assert last == ["合计", 5, 1200.5]
    assert ws.cell(ws.max_row, 3).number_format == "#,##0.00"
    wb.close()
    out = tmp_path / "t.csv"
    write(out, "表", cols, rows, totals=True)
    with out.open(encoding="utf-8-sig") as f:
        assert list(csv.reader(f))[-1] == ["合计", "5", "1200.5"]


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_a_rate_reads_the_same_in_csv_cli_and_excel(value: float) -> None:
    """One formatter: CSV text is format_rate, and Excel's format shows one decimal too."""
    text = as_text(Column("r", "整改率", "rate"), value)
    assert text == format_rate(value) == f"{value * 100:.1f}%"
    assert RATE_NUMBER_FORMAT == "0.0%"
