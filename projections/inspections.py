"""Inspections by business day: what an inspector's day on the phone page lists.

An inspection is an aggregate of its own; finding the ones of a day by folding would
read every inspection the ledger ever recorded. This model keeps one row per inspection
— its day in China Standard Time, who recorded it, the team, where and how, how many
hazards it found so far, and the enterprise's current name — indexed by day, so "today's
inspections" is one indexed query with the viewer's scope in its WHERE, and answers
``known_at`` from a snapshot like every other list.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import orjson

from ledger.enterprise import Enterprise
from ledger.inspection import Inspection
from ledger.scope import Scope

from .base import CHINA_TIME, Projection, Rows, Table, id_text, ts
from .queries import ReadModels, scope_where

TEXT, INT = "TEXT", "INTEGER"

#: The longest span of days one question may ask for (a month and a day).
MAX_DAYS = 31

INSPECTIONS = Table(
    "inspections",
    (
        ("inspection_id", TEXT),
        ("enterprise_code", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("day", TEXT),
        ("inspected_at", TEXT),
        ("inspection_type", TEXT),
        ("location", TEXT),
        ("team", TEXT),
        ("recorded_by", TEXT),
        ("devices_checked", INT),
        ("hazards_found", INT),
    ),
    key=("inspection_id",),
    indexes=(("day", "region_code"), ("recorded_by", "day")),
)

NAMES = Table(
    "inspection_enterprise_names",
    (("enterprise_id", TEXT), ("credit_code", TEXT), ("name", TEXT)),
    key=("enterprise_id",),
    indexes=(("credit_code",),),
)
"""Each enterprise's current name, so the phone lists a name rather than a credit code
(joined only to the inspections the viewer sees)."""


class InspectionsList(Projection):
    """One row per inspection, with the count of hazards linked to it."""

    name = "inspections"
    version = 1
    tables = (INSPECTIONS, NAMES)
    handles = frozenset(
        {
            Inspection.Recorded,
            Inspection.HazardFound,
            Enterprise.Registered,
            Enterprise.DetailsChanged,
        }
    )

    def fold(self, event: Any, rows: Rows) -> None:
        iid = id_text(event.originator_id)
        if type(event) is Enterprise.Registered:
            rows.put(
                "inspection_enterprise_names",
                NAMES.empty_row(enterprise_id=iid, credit_code=event.credit_code, name=event.name),
            )
            return
        if type(event) is Enterprise.DetailsChanged:
            named = rows.get("inspection_enterprise_names", (iid,))
            if named is not None:
                named["name"] = event.name
                rows.put("inspection_enterprise_names", named)
            return
        if type(event) is Inspection.Recorded:
            rows.put(
                "inspections",
                INSPECTIONS.empty_row(
                    inspection_id=iid,
                    enterprise_code=event.enterprise_code,
                    region_code=event.region_code,
                    sector=event.sector,
                    day=event.occurred_at.astimezone(CHINA_TIME).date().isoformat(),
                    inspected_at=ts(event.occurred_at),
                    inspection_type=str(event.inspection_type),
                    location=event.location,
                    team=orjson.dumps(list(event.team)).decode(),
                    recorded_by=event.actor.id,
                    devices_checked=event.devices_checked,
                    hazards_found=0,
                ),
            )
            return
        row = rows.get("inspections", (iid,))
        if row is not None:
            row["hazards_found"] += 1
            rows.put("inspections", row)


def days(on: date | tuple[date, date]) -> tuple[date, date]:
    """A day, or a span of days (both ends included), checked: first ≤ last, at most
    ``MAX_DAYS`` days."""
    first, last = on if isinstance(on, tuple) else (on, on)
    if last < first or (last - first) >= timedelta(days=MAX_DAYS):
        raise ValueError(
            f"date: 日期范围须从早到晚且不超过{MAX_DAYS}天 / "
            f"a date range runs forward and spans at most {MAX_DAYS} days"
        )
    return first, last


def list_inspections(
    models: ReadModels,
    *,
    scope: Scope,
    on: date | tuple[date, date],
    inspector: str | None = None,
) -> list[dict[str, Any]]:
    """Inspections in ``scope`` on a business day (or span of days), newest first;
    with ``inspector``, only those that user recorded."""
    first, last = days(on)
    table = models._table("inspections", "inspections")
    names = models._table("inspections", "inspection_enterprise_names")
    where, params = scope_where(
        scope,
        region_column="i.region_code",
        sector_column="i.sector",
        enterprise_column="i.enterprise_code",
    )
    where.append("i.day >= ? AND i.day <= ?")
    params += [first.isoformat(), last.isoformat()]
    if inspector:
        where.append("i.recorded_by = ?")
        params.append(inspector)
    cols = INSPECTIONS.column_names
    rows = models._q(
        f"SELECT {', '.join('i.' + c for c in cols)}, n.name FROM {table} i "
        f"LEFT JOIN {names} n ON n.credit_code = i.enterprise_code "
        f"WHERE {' AND '.join(where)} ORDER BY i.inspected_at DESC, i.inspection_id",
        params,
    )
    out = [dict(zip((*cols, "enterprise_name"), r, strict=True)) for r in rows]
    for row in out:
        row["team"] = orjson.loads(row["team"])
    return out
