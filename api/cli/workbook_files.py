"""What makes a file unfit for ``ledger import``, said before anything is opened."""

from __future__ import annotations

import zipfile
from pathlib import Path

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def workbook_problem(path: Path) -> tuple[str, str] | None:
    """Why ``path`` cannot be an Excel workbook (Chinese, English), or None.

    openpyxl would say it with a traceback (``BadZipFile``, ``InvalidFileException``);
    a person gave the wrong file, and should be told which and why.
    """
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return (
            f"“{path.name}”不是 Excel 工作簿：请提供 .xlsx 文件（可先用 ledger template 生成模板）",
            f"{path.name!r} is not an Excel workbook: give a .xlsx file "
            "(ledger template writes one)",
        )
    if path.stat().st_size == 0:
        return (f"“{path.name}”是空文件", f"{path.name!r} is an empty file")
    if not zipfile.is_zipfile(path):
        return (
            f"“{path.name}”不是有效的 .xlsx 文件（文件已损坏或只是改了扩展名）",
            f"{path.name!r} is not a valid .xlsx file (damaged, or only renamed)",
        )
    return None


BLANK_WORKBOOK = (
    "工作簿中没有任何数据行，未记录任何内容",
    "the workbook holds no data rows; nothing was recorded",
)
UNREADABLE_WORKBOOK = (
    "无法读取工作簿“{name}”：文件内容不是有效的 Excel 工作簿",
    "cannot read the workbook {name!r}: its content is not a valid Excel workbook",
)
