"""``ledger template``: an empty hazard-ledger workbook officials can fill in.

The first sheet (隐患台账) takes a hazard of any sector; each loaded sector also gets a
sheet of its own, with the same columns less 行业领域 and 行业字段, and one column per
detail field of the sector headed by its Chinese name, with a drop-down of the Chinese
names of its choices. A row of a sector's sheet needs no codes and no JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from plugins import Sectors

from ..composition import load_configured_sectors
from .columns import COLUMNS, SHEET, Column
from .details import choice_names, detail_columns, sheet_title

MAX_ROWS = 100_000
DETAILS_SHEET = "行业字段"
#: A hidden sheet holding the detail drop-downs' names (an inline list is limited to 255
#: characters and cannot hold a name with a comma).
LISTS_SHEET = "下拉选项"
#: Columns a sector's own sheet leaves out: the sheet is the sector, the columns the details.
SECTOR_SHEET_OMITS = ("sector", "details")


@dataclass(frozen=True, slots=True)
class _Header:
    header: str
    required: bool
    note: str
    width: int
    choices: tuple[str, ...] = ()
    list_range: str = ""
    text: bool = False


def write_template(path: Path, sectors: Sectors | None = None) -> Path:
    """Write the workbook: Chinese headers, notes, drop-down lists, a sheet per sector.

    ``sectors`` defaults to the configured ones; the 行业领域 drop-down lists each of
    them once by its own Chinese name (the short names of older ledgers are still
    accepted on import).
    """
    sectors = sectors if sectors is not None else load_configured_sectors()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    sector_names = tuple(dict.fromkeys(spec.name_zh for spec in sectors.specs.values()))
    _write_header(ws, [_base(c, sector_names) for c in COLUMNS])
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_column = 0
    for spec in sectors.specs.values():
        headers = [_base(c, ()) for c in COLUMNS if c.key not in SECTOR_SHEET_OMITS]
        for column in detail_columns(spec):
            detail = column.field
            choices: tuple[str, ...] = ()
            list_range = ""
            if detail.kind == "choice":
                list_column += 1
                letter = get_column_letter(list_column)
                names = choice_names(detail)
                lists.cell(row=1, column=list_column, value=f"{spec.code}.{detail.name}")
                for offset, name in enumerate(names, start=2):
                    lists.cell(row=offset, column=list_column, value=name)
                list_range = (
                    f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(names) + 1}"
                )
            elif detail.kind == "bool":
                choices = ("是", "否")
            headers.append(
                _Header(
                    column.header,
                    detail.required,
                    column.note,
                    max(12, min(30, len(column.header) * 2)),
                    choices,
                    list_range,
                    text=detail.kind == "text",
                )
            )
        _write_header(wb.create_sheet(sheet_title(spec)), headers)
    _detail_sheet(wb, sectors)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _base(column: Column, sector_names: tuple[str, ...]) -> _Header:
    note = column.note
    if column.kind == "datetime":
        note += " 格式：2026-03-03 09:30（北京时间）"
    choices = sector_names if column.key == "sector" else column.choices
    return _Header(column.header, column.required, note, column.width, choices)


def _write_header(ws: Worksheet, headers: Sequence[_Header]) -> None:
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    required_font = Font(bold=True, color="B3261E")
    for index, h in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index, value=h.header)
        cell.fill = header_fill
        cell.font = required_font if h.required else Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = (("必填。" if h.required else "") + h.note).strip()
        if note:
            cell.comment = Comment(note, "hazard-ledger")
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = h.width
        if h.text:  # a long code typed as a number would lose its digits
            ws.column_dimensions[letter].number_format = "@"
        formula = ('"' + ",".join(h.choices) + '"') if h.choices else h.list_range
        if formula:
            validation = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=not h.required,
                showErrorMessage=True,
                errorTitle="取值不在列表中",
                error=f"“{h.header}”只能从下拉列表中选择",
            )
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "B2"


def _detail_sheet(wb: Workbook, sectors: Sectors) -> None:
    """行业字段: what each sector's hazards record, and where (its sheet and column)."""
    ws = wb.create_sheet(DETAILS_SHEET)
    ws.append(["行业领域", "行业代码", "字段", "名称（分表列名）", "必填", "类型", "可选值"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    kinds = {"text": "文字", "bool": "是/否", "number": "数字", "choice": "从列表中选择"}
    for code, spec in sectors.specs.items():
        for column in detail_columns(spec):
            d = column.field
            ws.append(
                [
                    spec.name_zh,
                    code,
                    d.name,
                    column.header,
                    "是" if d.required else "否",
                    kinds.get(d.kind, d.kind),
                    "、".join(choice_names(d)),
                ]
            )
    for letter, width in zip("ABCDEFG", (22, 20, 28, 30, 6, 14, 50), strict=True):
        ws.column_dimensions[letter].width = width
