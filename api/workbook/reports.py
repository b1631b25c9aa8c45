"""The lists and reports officials file, as XLSX or CSV with Chinese headers.

The hazard register (问题隐患清单), the measures list (制度措施清单), the sector
statistics / monthly report and the campaign's tables, in the shape of the county reports.

A workbook is meant to be handed in as it is: every column has a kind (``Column.kind``)
and its cells are typed by it — dates and times as Excel dates, counts and amounts as
numbers, rates as fractions with a percentage format (``api.rates``, the one rate
formatter) — with column widths, a title row naming the region and period, a frozen
header, a bold totals row and A4 landscape print setup with the header repeated on every
page and page numbers in the footer. CSV carries the same cells as text (rates through
``format_rate``) with a byte-order mark so that Excel opens the Chinese correctly. Rows
are streamed (write-only workbook), so a large register exports in bounded memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from api.rates import RATE_NUMBER_FORMAT, format_rate
from ledger.events import LATE_ENTRY_THRESHOLD
from projections.queries import Page

from ..labels import labels
from ..labels.values import CODED
from .columns import WORKBOOK_TZ
from .inert import as_string_cell, inert

Kind = Literal["text", "integer", "amount", "rate", "date", "datetime"]

#: Excel number formats by kind (text cells keep the default).
NUMBER_FORMATS: dict[str, str] = {
    "integer": "0",
    "amount": "#,##0.00",
    "rate": RATE_NUMBER_FORMAT,
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
_DEFAULT_WIDTH: dict[str, float] = {
    "integer": 10,
    "amount": 14,
    "rate": 9,
    "date": 12,
    "datetime": 17,
    "text": 14,
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a report: the row key, the Chinese title, how its cells are typed."""

    key: str
    title: str
    kind: Kind = "text"
    width: float | None = None

    @property
    def display_width(self) -> float:
        """The width in characters: the kind's default, widened for a long CJK title."""
        title_width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in self.title) + 2
        return max(self.width or _DEFAULT_WIDTH[self.kind], title_width)

    @property
    def summable(self) -> bool:
        return self.kind in ("integer", "amount")


REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("enterprise_name", "企业名称", width=28),
    Column("enterprise_code", "统一社会信用代码", width=20),
    Column("region_code", "行政区划代码", width=14),
    Column("sector", "行业领域", width=12),
    Column("location", "隐患部位", width=16),
    Column("description", "隐患描述", width=40),
    Column("found_by", "发现人", width=10),
    Column("found_at", "发现时间", "datetime"),
    Column("grade", "隐患等级", width=8),
    Column("criteria", "判定依据", width=24),
    Column("status", "状态", width=12),
    Column("assigned_department", "责任部门", width=16),
    Column("deadline", "整改期限", "datetime"),
    Column("overdue_days", "逾期天数", "integer"),
    Column("listing_level", "挂牌督办", width=10),
    Column("completed_at", "整改完成时间", "datetime"),
    Column("closed_at", "销号时间", "datetime"),
    Column("case_id", "案卷编号", width=38),
    # Added after the existing columns, so a reader indexing them by position still can.
    Column("source", "隐患来源", width=12),
    Column("recorded_at", "录入时间", "datetime"),
    Column("late_entry", "补录", width=6),
)

MEASURE_COLUMNS: tuple[Column, ...] = (
    Column("title", "措施/任务", width=36),
    Column("category", "类别", width=12),
    Column("owner_department", "牵头单位", width=16),
    Column("region_code", "行政区划代码", width=14),
    Column("due", "完成时限", "datetime"),
    Column("timetable", "时间表和路线图", width=36),
    Column("status", "状态", width=10),
)

FIGURES: tuple[Column, ...] = (
    Column("units_inspected", "检查单位", "integer"),
    Column("devices_checked", "检查设备", "integer"),
    Column("hazards_found", "排查隐患", "integer"),
    Column("rectified_on_spot", "立查立改", "integer"),
    Column("deadline_rectifications", "限期整改", "integer"),
    Column("rectified", "已整改", "integer"),
    Column("rectification_rate", "整改率", "rate"),
    Column("major_found", "重大隐患", "integer"),
    Column("major_rectified", "重大隐患已整改", "integer"),
    Column("major_open", "重大隐患未清零", "integer"),
    Column("overdue", "逾期未整改", "integer"),
    Column("fines_count", "罚款次数", "integer"),
    Column("fines_amount", "罚款金额（元）", "amount"),
    Column("stop_work_notices", "停工通知", "integer"),
    Column("directives", "指令书", "integer"),
    Column("documents_issued", "执法文书", "integer"),
)

SECTOR_COLUMN = Column("sector", "行业领域", width=12)
MONTH_COLUMN = Column("month", "月份", width=9)


def monthly_columns() -> list[Column]:
    """The monthly report's columns: the sector, then ``FIGURES``."""
    return [SECTOR_COLUMN, *FIGURES]


def statistics_columns() -> list[Column]:
    """The year's statistics: the month, the sector, then ``FIGURES``."""
    return [MONTH_COLUMN, SECTOR_COLUMN, *FIGURES]


def _moment(value: str) -> datetime | str:
    """An ISO 8601 moment as a naive Beijing-time datetime (what Excel can store)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(WORKBOOK_TZ)  # officials read Beijing time
    return moment.replace(tzinfo=None, microsecond=0)


def typed(column: Column, value: Any) -> Any:
    """The cell value for ``column``: labels in Chinese, moments as datetimes, numbers
    as numbers, rates as fractions (shown as percentages by the number format)."""
    if value is None or value == "":
        return None
    group = CODED.get(column.key)
    if group is not None:  # a code: named by the one label catalogue
        return labels("zh").name(group, value)
    if column.kind in ("datetime", "date") and isinstance(value, str):
        moment = _moment(value)
        if column.kind == "date" and isinstance(moment, datetime):
            return moment.date()
        return moment
    if column.kind in ("integer", "amount", "rate") and isinstance(value, str):
        try:
            return float(value) if column.kind != "integer" else int(value)
        except ValueError:
            return value
    return value


def as_text(column: Column, value: Any) -> str:
    """A typed cell as a person reads it in a CSV file or on paper."""
    if value is None:
        return "-" if column.kind == "rate" else ""
    if column.kind == "rate" and isinstance(value, int | float):
        return format_rate(float(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d" if column.kind == "date" else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if column.kind == "amount" and isinstance(value, int | float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def csv_cell(column: Column, value: Any) -> str:
    """A typed cell as written to every CSV file: ``as_text``, people's text made inert."""
    text = as_text(column, value)
    return inert(text) if isinstance(value, str) else text


def csv_row(columns: Sequence[Column], row: Sequence[Any]) -> list[str]:
    """A row of typed cells as CSV text (see ``csv_cell``)."""
    return [csv_cell(c, v) for c, v in zip(columns, row, strict=False)]


def register_headers(extra: Sequence[Any] = ()) -> list[Column]:
    """The register's columns, then those of sector report columns."""
    return [*REGISTER_COLUMNS, *(Column(c.key, c.title_zh, width=14) for c in extra)]


def register_rows(pages: Iterable[Page], extra: Sequence[Any] = ()) -> Iterator[list[Any]]:
    """The register's pages (``Reads.register_pages``, which took the scope and the
    clocks) as rows of typed cells in ``register_headers`` order.

    ``extra`` holds sector report columns (``plugins.ReportColumn``): each fills its cell
    from the hazard's details when the hazard is of that column's sector.
    """
    for page in pages:
        for item in page.items:
            details = item.get("details") or {}
            item = {**item, "late_entry": _late_entry(item)}
            yield [typed(c, item.get(c.key)) for c in REGISTER_COLUMNS] + [
                _detail(details.get(c.key)) if item.get("sector") == c.sector else None
                for c in extra
            ]


def _late_entry(item: dict[str, Any]) -> str | None:
    """“是” when the hazard was recorded more than the ledger's late-entry threshold after
    it was found (the rule of ``ledger.events``), so a reader of the export sees 补录."""
    found, recorded = _moment(item.get("found_at") or ""), _moment(item.get("recorded_at") or "")
    if not isinstance(found, datetime) or not isinstance(recorded, datetime):
        return None
    return "是" if recorded - found > LATE_ENTRY_THRESHOLD else None


def _detail(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def measure_rows(measures: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    names = labels("zh")
    for m in measures:
        yield [
            names.name("measure_status", m.get(c.key))
            if c.key == "status"
            else typed(c, m.get(c.key))
            for c in MEASURE_COLUMNS
        ]


def monthly_rows(report: dict[str, Any]) -> Iterator[list[Any]]:
    """One row per sector and a total row (合计, first cell), in ``FIGURES`` order."""
    for figures in report["sectors"]:
        yield [typed(SECTOR_COLUMN, figures["sector"])] + [
            typed(c, figures.get(c.key)) for c in FIGURES
        ]
    if report.get("total"):
        yield [TOTAL_LABEL] + [typed(c, report["total"].get(c.key)) for c in FIGURES]


def statistics_rows(reports: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """Sector statistics month by month (月度分行业统计), from ``Reads.statistics``."""
    for report in reports:
        for row in monthly_rows(report):
            yield [report["month"], *row]


#: The first cell of a totals row; ``write`` sets such rows in bold.
TOTAL_LABEL = "合计"


def write(
    path: Path,
    title: str,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[Any]],
    *,
    heading: str | None = None,
    totals: bool = False,
) -> int:
    """Write rows as .xlsx or .csv (by the file's suffix); returns the number of rows.

    ``heading`` is the workbook's title line (region and period); ``totals`` appends a
    合计 row summing the count and amount columns (a report that computes its own totals,
    like the monthly report, passes its total row as a row starting with 合计 instead).
    """
    cols = [c if isinstance(c, Column) else Column(f"c{i}", c) for i, c in enumerate(columns)]
    path.parent.mkdir(parents=True, exist_ok=True)
    sums: list[float] = [0.0] * len(cols)
    count = 0

    def counted() -> Iterator[Sequence[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            if totals:
                for i, (c, v) in enumerate(zip(cols, row, strict=False)):
                    if c.summable and isinstance(v, int | float):
                        sums[i] += v
            yield row

    def total_row() -> list[Any]:
        cells: list[Any] = []
        for i, c in enumerate(cols):
            if i == 0:
                cells.append(TOTAL_LABEL)
            elif c.summable:
                cells.append(int(sums[i]) if c.kind == "integer" else round(sums[i], 2))
            else:
                cells.append(None)
        return cells

    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as f:
            writer = csv.writer(f)
            writer.writerow([c.title for c in cols])
            for row in counted():
                writer.writerow(csv_row(cols, row))
            if totals:
                writer.writerow(csv_row(cols, total_row()))
        return count

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    _layout(ws, cols, heading or title)
    ws.append([_title_cell(ws, heading or title)])
    ws.append([_cell(ws, c, c.title, header=True) for c in cols])
    for row in counted():
        bold = bool(row) and row[0] == TOTAL_LABEL
        ws.append([_cell(ws, c, v, bold=bold) for c, v in zip(cols, row, strict=False)])
    if totals:
        ws.append([_cell(ws, c, v, bold=True) for c, v in zip(cols, total_row(), strict=True)])
    wb.save(path)
    return count


def _layout(ws: Any, cols: Sequence[Column], heading: str) -> None:
    """Widths, frozen header, A4 landscape fitted to the page width, header repeated on
    every printed page, heading in the page header and page numbers in the footer.

    ``ws`` is openpyxl's write-only sheet, whose stubs type its parts as optional.
    """
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.display_width
    ws.freeze_panes = "A3"  # title line and column headers stay in view
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 (ECMA-376 paper size 9)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text = heading
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"


def _title_cell(ws: Any, text: str) -> Any:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = Font(bold=True, size=14)
    return cell


def _cell(ws: Any, column: Column, value: Any, *, header: bool = False, bold: bool = False) -> Any:
    cell = as_string_cell(WriteOnlyCell(ws, value=value))
    if header:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        return cell
    if bold:
        cell.font = Font(bold=True)
    number_format = NUMBER_FORMATS.get(column.kind)
    if number_format and value is not None and not isinstance(value, str):
        cell.number_format = number_format
    return cell
