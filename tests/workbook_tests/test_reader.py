"""The workbook is read with python-calamine; every cell must reach the importer as the
value openpyxl's reader gave it (numbers, dates and times, text, empty cells), at the
same row and column, so the same file is judged the same way."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from api.workbook.columns import COLUMNS, SHEET
from api.workbook.importer import Row, RowError, _sheet_rows, read_rows

MOMENTS = st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1)).map(
    lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
)
CELL = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "后厨", " 燃气软管 ", "一般", "限期整改", "2026-03-03 09:30"]),
    st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=8),
    st.integers(-(10**12), 10**12),
    st.floats(-1e9, 1e9, allow_nan=False),
    st.booleans(),
    MOMENTS,
    st.dates(date(1990, 1, 1), date(2040, 1, 1)),
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.builds(timedelta, hours=st.integers(0, 100), minutes=st.integers(0, 59)),
)


def openpyxl_rows(path: Path) -> Iterator[Row | RowError]:
    """The reader the importer used before: openpyxl's read-only parser."""
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        main = SHEET if SHEET in wb.sheetnames else wb.sheetnames[0]
        yield from _sheet_rows(wb[main].iter_rows(values_only=True), main, None)
    finally:
        wb.close()


def comparable(item: Row | RowError) -> tuple[Any, ...]:
    if isinstance(item, RowError):
        return ("error", item.sheet, item.number, item.problems)
    return ("row", item.sheet, item.number, item.values, dict(item.detail_headers))


@settings(max_examples=60, deadline=None)
@given(
    top=st.integers(0, 2),
    left=st.integers(0, 2),
    write_only=st.booleans(),
    order=st.permutations([c.header for c in COLUMNS]),
    cells=st.lists(st.dictionaries(st.sampled_from([c.header for c in COLUMNS]), CELL), max_size=6),
)
def test_calamine_gives_what_openpyxl_gave(
    top: int, left: int, write_only: bool, order: list[str], cells: list[dict[str, Any]]
) -> None:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet(SHEET)
    for _ in range(top if top < 2 else 0):  # an empty first row: the header is missing
        ws.append([])
    pad = [None] * left
    ws.append(pad + order)
    for row in cells:
        ws.append(pad + [row.get(h) for h in order])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.xlsx"
        wb.save(path)
        assert [comparable(r) for r in read_rows(path)] == [
            comparable(r) for r in openpyxl_rows(path)
        ]


def test_a_date_only_cell_is_a_moment_at_midnight(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    headers = [c.header for c in COLUMNS]
    ws.append(headers)
    values = {"发现时间": datetime(2026, 3, 3), "整改期限": time(9, 30), "行政区划代码": 620826}
    ws.append([values.get(h, "x") for h in headers])
    ws.cell(2, headers.index("发现时间") + 1).number_format = "yyyy-mm-dd"
    wb.save(tmp_path / "d.xlsx")
    (ours,) = read_rows(tmp_path / "d.xlsx")
    (theirs,) = openpyxl_rows(tmp_path / "d.xlsx")
    assert comparable(ours) == comparable(theirs)
