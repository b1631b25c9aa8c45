"""``ledger template``: an empty hazard-ledger workbook officials can fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import COLUMNS, SHEET

MAX_ROWS = 100_000
DETAILS_SHEET = "行业字段"


def write_template(path: Path, sectors: Any = None) -> Path:
    """Write the workbook: Chinese headers, notes, and drop-down lists for the choices.

    With ``sectors`` (``plugins.Sectors``) the sector list includes every loaded sector,
    and a second sheet lists each sector's detail fields for the 行业字段 column.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    required_font = Font(bold=True, color="B3261E")
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.fill = header_fill
        cell.font = required_font if column.required else Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = ("必填。" if column.required else "") + column.note
        if column.kind == "datetime":
            note += " 格式：2026-03-03 09:30（北京时间）"
        if note.strip():
            cell.comment = Comment(note.strip(), "hazard-ledger")
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        choices = column.choices
        if column.key == "sector" and sectors is not None:
            choices = (
                *choices,
                *(s.name_zh for s in sectors.specs.values() if s.name_zh not in choices),
            )
        if choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="取值不在列表中",
                error=f"“{column.header}”只能从下拉列表中选择",
            )
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "B2"
    if sectors is not None:
        _detail_sheet(wb, sectors)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _detail_sheet(wb: Workbook, sectors: Any) -> None:
    """行业字段: what each sector's hazards record in the details column, with examples."""
    ws = wb.create_sheet(DETAILS_SHEET)
    ws.append(["行业领域", "行业代码", "字段", "名称", "必填", "类型", "可选值", "示例"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    kinds = {"text": "文字", "bool": "是/否（true/false）", "number": "数字", "choice": "选项"}
    for code, spec in sectors.specs.items():
        for d in spec.details:
            ws.append(
                [
                    spec.name_zh,
                    code,
                    d.name,
                    d.label_zh,
                    "是" if d.required else "否",
                    kinds.get(d.kind, d.kind),
                    "、".join(d.choices),
                    orjson.dumps({d.name: d.example}).decode() if d.example is not None else "",
                ]
            )
    for letter, width in zip("ABCDEFGH", (22, 20, 28, 30, 6, 18, 40, 50), strict=True):
        ws.column_dimensions[letter].width = width
