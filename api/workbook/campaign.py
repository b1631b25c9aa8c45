"""The campaign's tables as workbook columns and rows (XLSX and CSV through ``reports``).

A table answered by ``Reads.campaign`` becomes: the row key (the sector, and the listing
level for listings), its figures in the reports' order with their Chinese titles and
kinds, then — when the table was asked with a start day — the same figures again as
累计 columns (from that day to the period's end), and a 合计 row from the answer's own
total. Figures a table did not compute (source groups outside ``--source``, baselines
not asked for) are left out rather than shown as zero.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ledger.enforcement import KIND_ZH, QUANTITY_KINDS, ActionKind
from projections.campaign import KIND_COLUMNS, SOURCE_GROUPS

from .reports import TOTAL_LABEL, Column, Kind, typed

SOURCE_ZH = {
    "self": "企业自查",
    "department": "部门检查",
    "public_report": "群众举报",
    "expert": "专家",
}

TITLES: dict[str, str] = {
    "sources": "隐患排查来源统计表",
    "listings": "挂牌督办统计表",
    "enforcement": "执法处罚统计表",
    "effort": "检查执法力量统计表",
    "accidents": "生产安全事故统计表",
}


def _figures(table: str) -> list[Column]:
    """Every figure a table can carry, in the order the county reports list them."""
    if table == "sources":
        cols = [
            Column("hazards_found", "排查隐患（条）", "integer"),
            Column("rectified", "已整改（条）", "integer"),
            Column("rectification_rate", "整改率", "rate"),
            Column("major_found", "重大隐患（条）", "integer"),
            Column("major_rectified", "重大隐患已整改", "integer"),
        ]
        for group in SOURCE_GROUPS:
            cols.append(Column(f"{group}_found", f"{SOURCE_ZH[group]}发现", "integer"))
            cols.append(Column(f"{group}_rectified", f"{SOURCE_ZH[group]}已整改", "integer"))
        return [
            *cols,
            Column("rectified_on_spot", "现场整改", "integer"),
            Column("deadline_rectifications", "限期整改", "integer"),
            Column("units_with_hazards", "涉及单位（家）", "integer"),
        ]
    if table == "listings":
        return [
            Column("listed", "挂牌督办（条）", "integer"),
            Column("listed_rectified", "已整改", "integer"),
            Column("still_listed", "仍在挂牌", "integer"),
            Column("listed_rectification_rate", "整改率", "rate"),
        ]
    if table == "enforcement":
        cols = []
        for kind in KIND_COLUMNS:
            name = KIND_ZH[kind]
            cols.append(Column(kind.value, f"{name}（份）", "integer"))
            cols.append(Column(f"{kind.value}_units", f"{name}（户）", "integer"))
            if kind in QUANTITY_KINDS:
                cols.append(Column(f"{kind.value}_quantity", f"{name}（数量）", "text"))
            if kind is ActionKind.PENALTY:
                cols.append(Column("fined_units", "罚款（户）", "integer"))
                cols.append(Column("fines_amount", "罚款金额（元）", "amount"))
        return [
            *cols,
            Column("disciplined_units", "曝光约谈联合惩戒（户）", "integer"),
            Column("documents_issued", "执法文书合计（份）", "integer"),
            Column("units_acted_on", "涉及单位（家）", "integer"),
        ]
    if table == "effort":
        return [
            Column("units_inspected", "检查单位（家）", "integer"),
            Column("inspections", "检查次数", "integer"),
            Column("person_times", "出动人次", "integer"),
            Column("devices_checked", "检查设备（台）", "integer"),
            Column("guidance_visits", "帮扶指导（次）", "integer"),
            Column("guidance_units", "帮扶指导（家）", "integer"),
        ]
    measures: tuple[tuple[str, str, Kind], ...] = (
        ("count", "事故起数", "integer"),
        ("deaths", "死亡人数", "integer"),
        ("serious_injuries", "重伤人数", "integer"),
        ("direct_loss", "直接经济损失（元）", "amount"),
    )
    cols = [Column(k, t, kind) for k, t, kind in measures]
    cols += [Column(f"previous_year_{k}", f"上年同期{t}", kind) for k, t, kind in measures]
    cols += [Column(f"{k}_change", f"{t}同比", "rate") for k, t, _ in measures]
    cols += [Column(f"{k}_baseline", f"前几年同期平均{t}", "amount") for k, t, _ in measures]
    cols += [Column(f"{k}_baseline_change", f"{t}较平均", "rate") for k, t, _ in measures]
    return cols


def _key_columns(table: str) -> list[Column]:
    sector = Column("sector", "行业领域", width=12)
    if table == "listings":
        return [sector, Column("level", "挂牌级别", width=9)]
    return [sector]


def columns(answer: dict[str, Any]) -> list[Column]:
    """The columns of one answer: key, the figures it holds, then their 累计 twins."""
    table = answer["table"]
    present = answer["total"] or (answer["rows"][0] if answer["rows"] else {})
    figures = [c for c in _figures(table) if c.key in present]
    cols = [*_key_columns(table), *figures]
    if "cumulative" in answer:
        cols += [Column(f"cumulative:{c.key}", f"累计{c.title}", c.kind) for c in figures]
    return cols


def rows(answer: dict[str, Any]) -> Iterator[list[Any]]:
    """One row per key (sector, or sector and level), then the 合计 row."""
    cols = columns(answer)
    keys = [c.key for c in _key_columns(answer["table"])]
    cumulative = answer.get("cumulative") or {"rows": [], "total": {}}
    later = {tuple(r.get(k) for k in keys): r for r in cumulative["rows"]}
    seen: list[tuple[Any, ...]] = []
    for row in answer["rows"]:
        key = tuple(row.get(k) for k in keys)
        seen.append(key)
        yield _cells(cols, row, later.get(key, {}))
    for key, row in later.items():  # keys with figures only in the cumulative span
        if key not in seen:
            yield _cells(cols, dict(zip(keys, key, strict=True)), row)
    cells = _cells(cols, answer["total"], cumulative["total"])
    yield [TOTAL_LABEL, *cells[1:]]


def _cells(cols: list[Column], row: dict[str, Any], cumulative: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for c in cols:
        if c.key.startswith("cumulative:"):
            key = c.key.removeprefix("cumulative:")
            out.append(typed(Column(key, c.title, c.kind), cumulative.get(key, 0)))
        else:
            value = row.get(c.key, 0 if c.summable else None)
            out.append(typed(c, value))
    return out


def heading(answer: dict[str, Any], region_name: str = "") -> str:
    """The workbook's title line: region, table and period (and the cumulative start)."""
    place = f"{region_name}（{answer['region']}）" if region_name else (answer["region"] or "全部")
    text = f"{place}{TITLES[answer['table']]} {answer['from']}至{answer['to']}"
    if "since" in answer:
        text += f"（累计自{answer['since']}）"
    return text
