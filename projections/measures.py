"""The institutional measures list (制度措施清单): owner, timetable, status.

Overdue is derived at query time from ``due`` and the moment asked about.
"""

from __future__ import annotations

from typing import Any

from ledger.measure import Measure

from .base import Projection, Rows, Table, id_text, ts

TEXT, INT = "TEXT", "INTEGER"

MEASURES = Table(
    "measures",
    (
        ("measure_id", TEXT),
        ("title", TEXT),
        ("category", TEXT),
        ("owner_department", TEXT),
        ("region_code", TEXT),
        ("due", TEXT),
        ("timetable", TEXT),
        ("added_at", TEXT),
        ("status", TEXT),
        ("progress_reports", INT),
        ("last_progress", TEXT),
        ("last_progress_at", TEXT),
        ("completed_at", TEXT),
        ("completion_summary", TEXT),
    ),
    key=("measure_id",),
    indexes=(("region_code", "due"),),
)


class MeasuresList(Projection):
    name = "measures"
    version = 1
    tables = (MEASURES,)
    handles = frozenset({Measure.Added, Measure.ProgressReported, Measure.Completed})

    def fold(self, event: Any, rows: Rows) -> None:
        cls = type(event)
        if cls is Measure.Added:
            rows.put(
                "measures",
                MEASURES.empty_row(
                    measure_id=id_text(event.originator_id),
                    title=event.title,
                    category=str(event.category),
                    owner_department=event.owner_department,
                    region_code=event.region_code,
                    due=ts(event.due),
                    timetable=event.timetable,
                    added_at=ts(event.occurred_at),
                    status="planned",
                    progress_reports=0,
                ),
            )
            return
        if cls not in (Measure.ProgressReported, Measure.Completed):
            return
        row = rows.get("measures", (id_text(event.originator_id),))
        if row is None:
            return
        if cls is Measure.ProgressReported:
            row["status"] = "in_progress"
            row["progress_reports"] += 1
            row["last_progress"] = event.note
            row["last_progress_at"] = ts(event.occurred_at)
        else:
            row["status"] = "completed"
            row["completed_at"] = ts(event.occurred_at)
            row["completion_summary"] = event.summary
        rows.put("measures", row)
