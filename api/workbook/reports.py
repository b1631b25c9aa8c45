"""The lists and reports officials file, as XLSX or CSV with Chinese headers.

The hazard register (问题隐患清单), the measures list (制度措施清单), and the sector
statistics / monthly report in the shape of the county reports, with totals and rates.
CSV is written with a byte-order mark so that Excel opens the Chinese text correctly.
Rows are streamed from the read models page by page, so a large register exports in
bounded memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from projections.queries import Page

from .columns import GRADES_ZH, SECTORS_ZH, STATUSES_ZH, WORKBOOK_TZ

_SECTOR_ZH = {v: k for k, v in SECTORS_ZH.items()}
_GRADE_ZH = {v: k for k, v in GRADES_ZH.items()}
_STATUS_ZH = {v: k for k, v in STATUSES_ZH.items()} | {"reopened": "已重新打开"}

REGISTER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("enterprise_name", "企业名称"),
    ("enterprise_code", "统一社会信用代码"),
    ("region_code", "行政区划代码"),
    ("sector", "行业领域"),
    ("location", "隐患部位"),
    ("description", "隐患描述"),
    ("found_by", "发现人"),
    ("found_at", "发现时间"),
    ("grade", "隐患等级"),
    ("criteria", "判定依据"),
    ("status", "状态"),
    ("assigned_department", "责任部门"),
    ("deadline", "整改期限"),
    ("overdue_days", "逾期天数"),
    ("listing_level", "挂牌督办"),
    ("completed_at", "整改完成时间"),
    ("closed_at", "销号时间"),
    ("case_id", "案卷编号"),
)

MEASURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("title", "措施/任务"),
    ("category", "类别"),
    ("owner_department", "牵头单位"),
    ("region_code", "行政区划代码"),
    ("due", "完成时限"),
    ("timetable", "时间表和路线图"),
    ("status", "状态"),
)

FIGURES: tuple[tuple[str, str], ...] = (
    ("units_inspected", "检查单位"),
    ("devices_checked", "检查设备"),
    ("hazards_found", "排查隐患"),
    ("rectified_on_spot", "立查立改"),
    ("deadline_rectifications", "限期整改"),
    ("rectified", "已整改"),
    ("rectification_rate", "整改率"),
    ("major_found", "重大隐患"),
    ("major_rectified", "重大隐患已整改"),
    ("major_open", "重大隐患未清零"),
    ("overdue", "逾期未整改"),
    ("fines_count", "罚款次数"),
    ("fines_amount", "罚款金额（元）"),
    ("stop_work_notices", "停工通知"),
    ("directives", "指令书"),
    ("documents_issued", "执法文书"),
)


def _cell(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key == "sector":
        return _SECTOR_ZH.get(value, value)
    if key == "grade":
        return _GRADE_ZH.get(value, value)
    if key == "status":
        return _STATUS_ZH.get(value, value)
    if key == "listing_level":
        return {"county": "县级", "city": "市级", "province": "省级"}.get(value, value)
    if key == "rectification_rate":
        return f"{value * 100:.1f}%"
    if isinstance(value, str) and len(value) >= 16 and value[4] == "-" and "T" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            moment = moment.astimezone(WORKBOOK_TZ)  # officials read Beijing time
        return moment.strftime("%Y-%m-%d %H:%M")
    return value


def register_headers(extra: Sequence[Any] = ()) -> list[str]:
    """The register's column titles, then those of sector report columns."""
    return [h for _, h in REGISTER_COLUMNS] + [c.title_zh for c in extra]


def register_rows(pages: Iterable[Page], extra: Sequence[Any] = ()) -> Iterator[list[Any]]:
    """The register's pages (``Reads.register_pages``, which took the scope and the
    clocks) as rows of cells in ``register_headers`` order.

    ``extra`` holds sector report columns (``plugins.ReportColumn``): each fills its cell
    from the hazard's details when the hazard is of that column's sector.
    """
    for page in pages:
        for item in page.items:
            details = item.get("details") or {}
            yield [_cell(key, item.get(key)) for key, _ in REGISTER_COLUMNS] + [
                _detail(details.get(c.key)) if item.get("sector") == c.sector else "" for c in extra
            ]


def _detail(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else value


def measure_rows(measures: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    labels = {
        "institutional_measure": "制度措施",
        "campaign_task": "专项整治任务",
        "open": "推进中",
        "completed": "已完成",
    }
    for m in measures:
        yield [labels.get(str(m.get(k)), _cell(k, m.get(k))) for k, _ in MEASURE_COLUMNS]


def monthly_rows(report: dict[str, Any]) -> Iterator[list[Any]]:
    """One row per sector and a total row, in ``FIGURES`` order."""
    for figures in report["sectors"]:
        yield [_SECTOR_ZH.get(figures["sector"], figures["sector"])] + [
            _cell(k, figures.get(k)) for k, _ in FIGURES
        ]
    if report.get("total"):
        yield ["合计"] + [_cell(k, report["total"].get(k)) for k, _ in FIGURES]


def statistics_rows(reports: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """Sector statistics month by month (月度分行业统计), from ``Reads.statistics``."""
    for report in reports:
        for row in monthly_rows(report):
            yield [report["month"], *row]


def write(path: Path, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write rows as .xlsx or .csv (by the file's suffix); returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as f:
            writer = csv.writer(f)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(row)
                count += 1
        return count
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.append([_bold(ws, h) for h in headers])
    for row in rows:
        ws.append(list(row))
        count += 1
    wb.save(path)
    return count


def _bold(ws: Any, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=text)
    cell.font = Font(bold=True)
    return cell
