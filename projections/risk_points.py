"""Risk points (双重预防) by level, with the open hazards that cite their controls.

Two tables: the risk points (level, colour, active controls, major hazard source) and
the citations (which hazard case found which control failed). Whether a cited hazard is
still open is the hazard register's answer, joined at query time, so a case closed
later drops off its risk point without this model folding hazard events.

The reads here take the viewer's scope (required) and, through ``ReadModels``, the
snapshot as known at a moment; ``projections.reads.Reads`` is their one entry point.
One risk point with its controls and citations is folded from its events instead.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson

from ledger.application import HazardLedger
from ledger.errors import NotFound
from ledger.hazard import OPEN_STATUSES
from ledger.risk import (
    HAZARD_SOURCE_LEVEL_EN,
    HAZARD_SOURCE_LEVEL_ZH,
    RISK_COLOUR,
    RISK_COLOUR_EN,
    RISK_COLOUR_ZH,
    RISK_LEVEL_EN,
    RISK_LEVEL_ZH,
    RISK_RANK,
    RiskLevel,
    RiskPoint,
)
from ledger.scope import Scope
from ledger.views import plain

from .base import Projection, Rows, Table, id_text, ts
from .queries import ReadModels, scope_where

TEXT, INT = "TEXT", "INTEGER"

RISK_POINTS = Table(
    "risk_points",
    (
        ("risk_point_id", TEXT),
        ("enterprise_code", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("name", TEXT),
        ("location", TEXT),
        ("level", TEXT),
        ("level_rank", INT),
        ("hazard_source_level", INT),
        ("controls", TEXT),
        ("active_controls", INT),
        ("registered_at", TEXT),
        ("assessed_at", TEXT),
    ),
    key=("risk_point_id",),
    indexes=(("region_code", "level_rank"),),
)

CITATIONS = Table(
    "risk_point_hazards",
    (
        ("risk_point_id", TEXT),
        ("case_id", TEXT),
        ("control_id", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("enterprise_code", TEXT),
        ("cited_at", TEXT),
    ),
    key=("risk_point_id", "case_id", "control_id"),
    indexes=(("case_id",),),
)


def _controls(row: dict[str, Any]) -> list[dict[str, Any]]:
    controls: list[dict[str, Any]] = orjson.loads(row["controls"])
    return controls


class RiskPointsList(Projection):
    name = "risk_points"
    version = 1
    tables = (RISK_POINTS, CITATIONS)
    handles = frozenset(
        {
            RiskPoint.Registered,
            RiskPoint.Reassessed,
            RiskPoint.ControlAdded,
            RiskPoint.ControlRetired,
            RiskPoint.FailedControlCited,
        }
    )

    def fold(self, event: Any, rows: Rows) -> None:
        cls = type(event)
        rid = id_text(event.originator_id)
        if cls is RiskPoint.Registered:
            controls = [plain(c) for c in event.controls]
            source = event.hazard_source
            rows.put(
                "risk_points",
                RISK_POINTS.empty_row(
                    risk_point_id=rid,
                    enterprise_code=event.enterprise_code,
                    region_code=event.region_code,
                    sector=event.sector,
                    name=event.name,
                    location=event.location,
                    level=str(event.level),
                    level_rank=RISK_RANK[RiskLevel(event.level)],
                    hazard_source_level=source.level if source is not None else None,
                    controls=orjson.dumps(controls).decode(),
                    active_controls=len(controls),
                    registered_at=ts(event.occurred_at),
                    assessed_at=ts(event.occurred_at),
                ),
            )
            return
        row = rows.get("risk_points", (rid,))
        if row is None:
            return
        if cls is RiskPoint.FailedControlCited:
            rows.put(
                "risk_point_hazards",
                CITATIONS.empty_row(
                    risk_point_id=rid,
                    case_id=str(event.case_id),
                    control_id=event.control_id,
                    region_code=row["region_code"],
                    sector=row["sector"],
                    enterprise_code=row["enterprise_code"],
                    cited_at=ts(event.occurred_at),
                ),
            )
            return
        if cls is RiskPoint.Reassessed:
            row["level"] = str(event.level)
            row["level_rank"] = RISK_RANK[RiskLevel(event.level)]
            row["assessed_at"] = ts(event.occurred_at)
        else:
            controls = _controls(row)
            if cls is RiskPoint.ControlAdded:
                controls.append(plain(event.control))
            else:
                for control in controls:
                    if control["id"] == event.control_id:
                        control["retired"] = True
            row["controls"] = orjson.dumps(controls).decode()
            row["active_controls"] = sum(not c["retired"] for c in controls)
        rows.put("risk_points", row)


def _labels(level: str) -> dict[str, str]:
    """The level's and its colour's names, in Chinese and English."""
    risk = RiskLevel(level)
    colour = RISK_COLOUR[risk]
    return {
        "level_zh": RISK_LEVEL_ZH[risk],
        "level_en": RISK_LEVEL_EN[risk],
        "colour": colour,
        "colour_zh": RISK_COLOUR_ZH[colour],
        "colour_en": RISK_COLOUR_EN[colour],
    }


def list_risk_points(
    models: ReadModels,
    region: str | None = None,
    *,
    scope: Scope,
    level: str | None = None,
    enterprise: str | None = None,
) -> list[dict[str, Any]]:
    """Risk points in ``scope``, highest level first, each with its open hazards (the
    cited cases the register holds open)."""
    points = models._table("risk_points", "risk_points")
    cited = models._table("risk_points", "risk_point_hazards")
    register = models._table("hazard_register", "hazard_register")
    where, params = scope_where(scope, region)
    if level:
        where.append("level = ?")
        params.append(RiskLevel(level).value)
    if enterprise:
        where.append("enterprise_code = ?")
        params.append(enterprise)
    cols = RISK_POINTS.column_names
    clause = " WHERE " + " AND ".join(where) if where else ""
    rows = models._q(
        f"SELECT {', '.join(cols)} FROM {points}{clause} "
        "ORDER BY level_rank, enterprise_code, name, risk_point_id",
        params,
    )
    out = [dict(zip(cols, r, strict=True)) for r in rows]
    if not out:
        return []
    hwhere, hparams = scope_where(
        scope,
        region,
        region_column="c.region_code",
        sector_column="c.sector",
        enterprise_column="c.enterprise_code",
    )
    open_statuses = sorted(s.value for s in OPEN_STATUSES)
    hwhere.append(f"h.status IN ({', '.join('?' for _ in open_statuses)})")
    hparams += open_statuses
    hazards: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rid, case_id, control_id, status, grade, description, found_at in models._q(
        "SELECT c.risk_point_id, c.case_id, c.control_id, h.status, h.grade, h.description, "
        f"h.found_at FROM {cited} c JOIN {register} h ON h.case_id = c.case_id "
        f"WHERE {' AND '.join(hwhere)} ORDER BY h.found_at, c.case_id",
        hparams,
    ):
        hazards[rid].append(
            {
                "case_id": case_id,
                "control_id": control_id,
                "status": status,
                "grade": grade,
                "description": description,
                "found_at": found_at,
            }
        )
    for point in out:
        point["controls"] = _controls(point)
        point.update(_labels(point["level"]))
        point["open_hazards"] = hazards.get(point["risk_point_id"], [])
        source_level = point["hazard_source_level"] or 0
        point["hazard_source_level_zh"] = HAZARD_SOURCE_LEVEL_ZH.get(source_level)
        point["hazard_source_level_en"] = HAZARD_SOURCE_LEVEL_EN.get(source_level)
    return out


def risk_point(
    ledger: HazardLedger, risk_point_id: UUID, *, scope: Scope, known_at: datetime | None = None
) -> dict[str, Any]:
    """One risk point as recorded by ``known_at``: level, controls, major hazard source,
    every cited hazard. Not recorded by then or outside the scope: ``NotFound``."""
    try:
        state = ledger.state_at(risk_point_id, known_at=known_at)
    except NotFound:
        state = None
    if not isinstance(state, RiskPoint) or not scope.sees(
        region_code=state.region_code, sector=state.sector, enterprise_code=state.enterprise_code
    ):
        raise NotFound("RiskPoint", risk_point_id)
    return {
        "id": str(state.id),
        "version": state.version,
        "enterprise_code": state.enterprise_code,
        "region_code": state.region_code,
        "sector": state.sector,
        "name": state.name,
        "location": state.location,
        "level": state.level.value,
        **_labels(state.level.value),
        "controls": plain(state.controls),
        "hazard_source": plain(state.hazard_source),
        "registered_at": state.registered_at.isoformat(),
        "assessed_at": state.assessed_at.isoformat(),
        "cited": [{"case_id": str(c), "control_id": k} for c, k in state.cited],
    }
