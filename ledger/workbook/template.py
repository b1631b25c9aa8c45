"""``ledger template``: an empty hazard-ledger workbook officials can fill in."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import COLUMNS, SHEET

MAX_ROWS = 100_000


def write_template(path: Path) -> Path:
    """Write the workbook: Chinese headers, notes, and drop-down lists for the choices."""
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
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="取值不在列表中",
                error=f"“{column.header}”只能从下拉列表中选择",
            )
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "B2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
