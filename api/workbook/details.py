"""A sector's detail fields (行业字段) as officials write them in a workbook.

Each loaded sector gets a sheet of its own in the template, with one column per declared
detail field headed by the field's Chinese name, and a drop-down of the Chinese names of
a choice field's choices. Reading it back turns those names (or the codes, or 是/否) into
the values the ledger records, so a workbook never needs codes or JSON. The old 行业字段
JSON column stays accepted, and its keys and values may be Chinese too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plugins.spec import DetailField, SectorSpec

from .columns import BY_HEADER

#: Characters Excel refuses in a sheet title, and its length limit.
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_TITLE_MAX = 31

YES = ("是", "true", "True", "TRUE", "1", "yes")
NO = ("否", "false", "False", "FALSE", "0", "no")


class DetailCellError(ValueError):
    """A detail cell that cannot be read as its field's kind, in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def sheet_title(spec: SectorSpec) -> str:
    """The title of the sector's sheet: its Chinese name as Excel allows it."""
    return _TITLE_FORBIDDEN.sub("_", spec.name_zh)[:_TITLE_MAX]


def choice_names(detail: DetailField) -> tuple[str, ...]:
    """What the drop-down offers: the Chinese name of each choice."""
    return tuple(detail.choice_name(choice)[0] for choice in detail.choices)


@dataclass(frozen=True, slots=True)
class DetailColumn:
    """One detail field of a sector as a workbook column."""

    header: str
    field: DetailField

    @property
    def note(self) -> str:
        required = "必填。" if self.field.required else ""
        if self.field.kind == "choice":
            return required + "从下拉列表中选择"
        if self.field.kind == "bool":
            return required + "填“是”或“否”"
        if self.field.kind == "number":
            return required + "填数字"
        return required + (self.field.rule_zh or "")


def detail_columns(spec: SectorSpec) -> tuple[DetailColumn, ...]:
    """The sector's detail fields as columns, headed by their Chinese names (made unique
    against the ledger's own headers and each other, so no column is ambiguous)."""
    taken = set(BY_HEADER)
    columns = []
    for detail in spec.details:
        header = detail.label_zh.strip() or detail.name
        if header in taken:
            header = f"{header}（{detail.name}）"
        taken.add(header)
        columns.append(DetailColumn(header, detail))
    return tuple(columns)


def cell_value(detail: DetailField, raw: Any) -> Any:
    """The value the ledger records for what an official wrote; None for an empty cell.

    Raises ``DetailCellError`` naming the field and what it accepts."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        return None
    label = detail.label_zh
    if detail.kind == "choice":
        for choice in detail.choices:
            if str(raw) in (choice, *detail.choice_name(choice)):
                return choice
        raise DetailCellError(
            f"“{label}”只能从下拉列表中选择：{'、'.join(choice_names(detail))}",
            f"{detail.label_en} must be one of: "
            + ", ".join(detail.choice_name(c)[1] for c in detail.choices),
        )
    if detail.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if str(raw) in YES:
            return True
        if str(raw) in NO:
            return False
        raise DetailCellError(f"“{label}”只能填“是”或“否”", f"{detail.label_en} must be yes or no")
    if detail.kind == "number":
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return int(raw) if isinstance(raw, float) and raw.is_integer() else raw
        try:
            number = float(str(raw).replace(",", ""))
        except ValueError:
            raise DetailCellError(
                f"“{label}”必须是数字", f"{detail.label_en} must be a number"
            ) from None
        return int(number) if number.is_integer() else number
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a number typed into a text column: keep its digits
    return str(raw)


def from_json(spec: SectorSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """The 行业字段 JSON column with Chinese keys (field names) and values (choice names,
    是/否) mapped back to what the ledger records; anything unknown is passed on as
    written, for the sector's own rules to judge."""
    by_key: dict[str, DetailField] = {}
    for detail in spec.details:
        by_key[detail.name] = detail
        by_key.setdefault(detail.label_zh, detail)
    details: dict[str, Any] = {}
    for key, value in given.items():
        known = by_key.get(str(key).strip())
        if known is None:
            details[key] = value
            continue
        try:
            details[known.name] = cell_value(known, value)
        except DetailCellError:
            details[known.name] = value  # the sector's rule says what is wrong with it
    return details
