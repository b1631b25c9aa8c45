"""The hazard register (问题隐患清单): every hazard with its current standing.

One row per case, current status, sector, region, enterprise, grade, criteria, deadline,
listing and assignees. Overdue is not a column: it is derived at query time from the
deadline, the status and the moment asked about (``queries.register``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from ledger.hazard import HazardCase

from .base import Projection, Row, Rows, Table, id_text, month_of, ts

TEXT, INT = "TEXT", "INTEGER"

REGISTER = Table(
    "hazard_register",
    (
        ("case_id", TEXT),
        ("enterprise_code", TEXT),
        ("enterprise_name", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("location", TEXT),
        ("description", TEXT),
        ("details", TEXT),
        ("source", TEXT),
        ("found_by", TEXT),
        ("found_at", TEXT),
        ("found_month", TEXT),
        ("recorded_at", TEXT),
        ("status", TEXT),
        ("grade", TEXT),
        ("criteria", TEXT),
        ("catalogue_edition", TEXT),
        ("has_plan", INT),
        ("deadline", TEXT),
        ("assigned_enterprise", TEXT),
        ("assigned_department", TEXT),
        ("assigned_at", TEXT),
        ("extensions", INT),
        ("listing_level", TEXT),
        ("listing_authority", TEXT),
        ("listed_at", TEXT),
        ("delisted_at", TEXT),
        ("escalations", INT),
        ("rectification_reported_at", TEXT),
        ("completed_at", TEXT),
        ("closed_at", TEXT),
        ("closure_kind", TEXT),
        ("closed_on_time", INT),
        ("reopen_count", INT),
        ("last_event_at", TEXT),
        ("version", INT),
    ),
    key=("case_id",),
    indexes=(
        ("found_at", "case_id"),
        ("region_code", "found_month"),
        ("region_code", "found_at"),
        ("sector", "found_at"),
        ("enterprise_code",),
        ("status", "deadline"),
        ("listing_level",),
    ),
)


_REPORTED = HazardCase.Reported


def _on_time(row: Row) -> int | None:
    if row["deadline"] is None or row["completed_at"] is None:
        return None
    return int(row["completed_at"] <= row["deadline"])


class HazardRegister(Projection):
    name = "hazard_register"
    version = 3
    tables = (REGISTER,)
    handles = frozenset(
        v
        for v in vars(HazardCase).values()
        if isinstance(v, type) and issubclass(v, HazardCase.Event)
    )

    def __init__(self) -> None:
        H = HazardCase
        self.handlers: dict[type, Callable[[Any, Row], None]] = {
            H.Graded: self._graded,
            H.RectifiedOnSpot: self._on_spot,
            H.Assigned: self._assigned,
            H.PlanFiled: self._plan,
            H.InterimControlsRecorded: _nothing,
            H.DeadlineExtended: self._extended,
            H.Listed: self._listed,
            H.Delisted: self._delisted,
            H.Escalated: self._escalated,
            H.RectificationReported: self._reported,
            H.AssessmentFiled: _nothing,
            H.Verified: self._verified,
            H.Closed: self._closed,
            H.Reopened: self._reopened,
            H.Dismissed: self._dismissed,
        }

    def fold(self, event: Any, rows: Rows) -> None:
        cls = type(event)
        if cls is _REPORTED:
            row = REGISTER.empty_row(
                case_id=id_text(event.originator_id),
                enterprise_code=event.enterprise_code,
                enterprise_name=event.enterprise_name,
                region_code=event.region_code,
                sector=event.sector,
                location=event.location,
                description=event.description,
                details=orjson.dumps(event.details).decode() if event.details else "",
                source=str(event.source),
                found_by=event.found_by,
                found_at=ts(event.occurred_at),
                found_month=month_of(event.occurred_at),
                recorded_at=ts(event.timestamp),
                status="reported",
                criteria="",
                has_plan=0,
                extensions=0,
                escalations=0,
                reopen_count=0,
            )
        else:
            handler = self.handlers.get(cls)
            if handler is None:
                return
            found = rows.get("hazard_register", (id_text(event.originator_id),))
            if found is None:
                return
            row = found
            handler(event, row)
        row["last_event_at"] = ts(event.occurred_at)
        row["version"] = event.originator_version
        rows.put("hazard_register", row)

    @staticmethod
    def _graded(e: Any, r: Row) -> None:
        r["grade"] = str(e.grade)
        r["criteria"] = ",".join(e.criteria)
        r["catalogue_edition"] = e.catalogue_edition
        r["status"] = "graded"

    @staticmethod
    def _on_spot(e: Any, r: Row) -> None:
        r["status"] = "closed"
        r["completed_at"] = r["closed_at"] = ts(e.occurred_at)
        r["closure_kind"] = "on_spot"

    @staticmethod
    def _assigned(e: Any, r: Row) -> None:
        r["assigned_enterprise"] = e.enterprise_code
        r["assigned_department"] = e.department
        r["assigned_at"] = ts(e.occurred_at)
        r["deadline"] = ts(e.deadline)
        r["status"] = "assigned"

    @staticmethod
    def _plan(e: Any, r: Row) -> None:
        r["has_plan"] = 1

    @staticmethod
    def _extended(e: Any, r: Row) -> None:
        r["deadline"] = ts(e.new_deadline)
        r["extensions"] += 1

    @staticmethod
    def _listed(e: Any, r: Row) -> None:
        r["listing_level"] = str(e.level)
        r["listing_authority"] = e.authority
        if r["listed_at"] is None:
            r["listed_at"] = ts(e.occurred_at)

    @staticmethod
    def _delisted(e: Any, r: Row) -> None:
        r["delisted_at"] = ts(e.occurred_at)

    @staticmethod
    def _escalated(e: Any, r: Row) -> None:
        r["escalations"] += 1

    @staticmethod
    def _reported(e: Any, r: Row) -> None:
        r["status"] = "rectification_reported"
        r["rectification_reported_at"] = ts(e.occurred_at)
        r["completed_at"] = ts(e.completed_at)

    @staticmethod
    def _verified(e: Any, r: Row) -> None:
        r["status"] = "verified" if e.accepted else "assigned"

    @staticmethod
    def _closed(e: Any, r: Row) -> None:
        r["status"] = "closed"
        r["closed_at"] = ts(e.occurred_at)
        r["closure_kind"] = "verified"
        r["closed_on_time"] = _on_time(r)

    @staticmethod
    def _reopened(e: Any, r: Row) -> None:
        r["status"] = "reopened"
        r["reopen_count"] += 1
        for name in (
            "closed_at",
            "closure_kind",
            "closed_on_time",
            "completed_at",
            "rectification_reported_at",
            "deadline",  # a reopened hazard is assigned afresh
        ):
            r[name] = None

    @staticmethod
    def _dismissed(e: Any, r: Row) -> None:
        r["status"] = "dismissed"  # 误报已核销: ends the case, counts as no hazard


def _nothing(e: Any, r: Row) -> None:
    return None
