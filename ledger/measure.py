"""Institutional measures and campaign tasks (制度措施清单): the second of the "two lists".

The seeds keep, beside the hazard list, a list of measures with an owner department, a
timetable and a road map (时间表、路线图): institutional measures (制度措施, e.g. a new
inspection regime) and tasks of the special rectification campaign (专项整治任务).
Each is added once, progress is reported against it, and it is completed. Overdue, as
for hazards, is derived from the due date and a moment, never stored.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from .codes import region_code_violations
from .errors import RuleViolated, Violation, refuse
from .events import Context, LedgerAggregate


class MeasureCategory(StrEnum):
    INSTITUTIONAL = "institutional_measure"  # 制度措施
    CAMPAIGN_TASK = "campaign_task"  # 专项整治任务


class MeasureStatus(StrEnum):
    PLANNED = "planned"  # 未开始
    IN_PROGRESS = "in_progress"  # 推进中
    COMPLETED = "completed"  # 已完成


MEASURE_STATUS_ZH = {
    MeasureStatus.PLANNED: "未开始",
    MeasureStatus.IN_PROGRESS: "推进中",
    MeasureStatus.COMPLETED: "已完成",
}


def _required(name: str, zh: str, en: str) -> Violation:
    """``name`` was left empty: named as the form names it, “{zh}” / '{en}'."""
    return Violation("FIELD_REQUIRED", name, f"“{zh}”为必填项", f"'{en}' is required")


class Measure(LedgerAggregate):
    """One line of the institutional measures list."""

    class Added(LedgerAggregate.Created):
        title: str
        category: MeasureCategory
        owner_department: str
        region_code: str
        due: datetime
        timetable: str

        def apply(self, m: Measure) -> None:
            m.title = self.title
            m.category = self.category
            m.owner_department = self.owner_department
            m.region_code = self.region_code
            m.due = self.due
            m.timetable = self.timetable
            m.added_at = self.occurred_at
            m.status = MeasureStatus.PLANNED
            m.progress = ()
            m.completed_at = None

    class ProgressReported(LedgerAggregate.Event):
        note: str

        def apply(self, m: Measure) -> None:
            m.status = MeasureStatus.IN_PROGRESS
            m.progress = (*m.progress, self.note)

    class Completed(LedgerAggregate.Event):
        summary: str

        def apply(self, m: Measure) -> None:
            m.status = MeasureStatus.COMPLETED
            m.completed_at = self.occurred_at

    if TYPE_CHECKING:
        title: str
        category: MeasureCategory
        owner_department: str
        region_code: str
        due: datetime
        timetable: str
        added_at: datetime
        status: MeasureStatus
        progress: tuple[str, ...]
        completed_at: datetime | None

    @classmethod
    def add(
        cls,
        ctx: Context,
        *,
        title: str,
        category: MeasureCategory | str,
        owner_department: str,
        region_code: str,
        due: datetime,
        timetable: str,
        measure_id: UUID | None = None,
    ) -> Measure:
        violations = [
            _required(name, zh, en)
            for name, zh, en, value in (
                ("title", "措施名称", "name of the measure", title),
                ("owner_department", "责任部门", "department responsible", owner_department),
                ("timetable", "时间表和路线图", "timetable and road map", timetable),
            )
            if not value.strip()
        ]
        violations += region_code_violations(region_code)
        try:
            category = MeasureCategory(category)
        except ValueError:
            violations.append(
                Violation(
                    "MEASURE_CATEGORY_UNKNOWN",
                    "category",
                    "措施类别只能是制度措施或专项整治任务",
                    "category must be institutional_measure or campaign_task",
                )
            )
        if due.tzinfo is None or due <= ctx.occurred_at:
            violations.append(
                Violation(
                    "DUE_NOT_AFTER_ADDITION",
                    "due",
                    "完成时限必须晚于登记时间（并带时区）",
                    "the due date must be after the measure is added (and carry a time zone)",
                )
            )
        if violations:
            raise RuleViolated(violations)
        measure: Measure = cls._create_with(
            cls.Added,
            ctx,
            title=title.strip(),
            category=category,
            owner_department=owner_department.strip(),
            region_code=region_code,
            due=due,
            timetable=timetable.strip(),
            id=measure_id,
        )
        return measure

    def report_progress(self, ctx: Context, *, note: str) -> None:
        self._refuse_if_completed("报告进展", "report progress on")
        if not note.strip():
            raise RuleViolated([_required("note", "进展情况", "progress")])
        self._emit(self.ProgressReported, ctx, note=note.strip())

    def complete(self, ctx: Context, *, summary: str) -> None:
        self._refuse_if_completed("办结", "complete")
        if not summary.strip():
            raise RuleViolated([_required("summary", "完成情况", "what was done")])
        self._emit(self.Completed, ctx, summary=summary.strip())

    def _refuse_if_completed(self, zh: str, en: str) -> None:
        if self.status is MeasureStatus.COMPLETED:
            raise refuse(
                "MEASURE_ALREADY_COMPLETED",
                "status",
                f"该措施已完成，不能再{zh}",
                f"cannot {en} a completed measure",
            )
