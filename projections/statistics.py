"""Sector statistics per region, sector and month, in the shape of the seed reports.

Each hazard, inspection and enforcement action *contributes* a vector of counts to one
bucket (region_code, sector, business month when it was found / held / issued). When a
fact changes — a hazard is closed, regraded, reopened; an action revoked — the fold
subtracts the old contribution and adds the new one. So "rectified" always means
"found in that month and closed as of now", and rebuilding gives the same figures as
following. What each figure counts is defined in ``docs/read-models.md``.

Accidents are kept one row each (``stats_accidents``) with the bucket's columns, so the
monthly report sums them for any region prefix (county, township, village) and compares
the same month of the year before (同比).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledger.accident import Accident
from ledger.enforcement import ActionKind, EnforcementAction
from ledger.hazard import HazardCase
from ledger.inspection import Inspection

from .base import Projection, Row, Rows, Table, id_text, month_of

TEXT, INT = "TEXT", "INTEGER"

COUNTERS = (
    "hazards_found",
    "rectified_on_spot",
    "deadline_rectifications",
    "rectified",
    "major_found",
    "major_rectified",
    "inspections",
    "devices_checked",
    "fines_count",
    "fines_amount_fen",
    "stop_work_notices",
    "directives",
    "documents_issued",
)
BUCKET = ("region_code", "sector", "month")

SECTOR_STATS = Table(
    "sector_stats",
    tuple((c, TEXT) for c in BUCKET) + tuple((c, INT) for c in COUNTERS),
    key=BUCKET,
    indexes=(("month", "region_code"),),
)
CASE_FACTS = Table(
    "stats_cases",
    (
        ("case_id", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("month", TEXT),
        ("major", INT),
        ("on_spot", INT),
        ("deadline", INT),
        ("closed", INT),
        ("dismissed", INT),
    ),
    key=("case_id",),
)
ACTION_FACTS = Table(
    "stats_actions",
    (
        ("action_id", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("month", TEXT),
        ("kind", TEXT),
        ("fine_fen", INT),
        ("revoked", INT),
    ),
    key=("action_id",),
)
UNITS = Table(
    "stats_units",
    (
        ("region_code", TEXT),
        ("sector", TEXT),
        ("month", TEXT),
        ("enterprise_code", TEXT),
        ("inspections", INT),
    ),
    key=(*BUCKET, "enterprise_code"),
    indexes=(("month", "region_code"),),
)

ACCIDENTS = Table(
    "stats_accidents",
    (
        ("accident_id", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("month", TEXT),
        ("enterprise_code", TEXT),
        ("level", TEXT),
        ("deaths", INT),
        ("serious_injuries", INT),
        ("direct_loss_fen", INT),
    ),
    key=("accident_id",),
    indexes=(("month", "region_code"),),
)

DIRECTIVE_KINDS = frozenset({ActionKind.DIRECTIVE, ActionKind.RECTIFICATION_ORDER})


def fen(amount: Decimal | None) -> int:
    """Yuan to fen (分): money is summed as integers, never as floats."""
    return 0 if amount is None else int((amount * 100).to_integral_value())


def case_contribution(f: Row) -> dict[str, int]:
    """What one case adds to its bucket; a dismissed false alarm (误报核销) was never a
    hazard, so it adds nothing."""
    if f["dismissed"]:
        return {}
    return {
        "hazards_found": 1,
        "rectified_on_spot": f["on_spot"],
        "deadline_rectifications": f["deadline"],
        "rectified": f["closed"],
        "major_found": f["major"],
        "major_rectified": f["major"] & f["closed"],
    }


def action_contribution(f: Row) -> dict[str, int]:
    if f["revoked"]:
        return {}
    kind = ActionKind(f["kind"])
    return {
        "documents_issued": 1,
        "fines_count": int(kind is ActionKind.PENALTY and f["fine_fen"] > 0),
        "fines_amount_fen": f["fine_fen"] if kind is ActionKind.PENALTY else 0,
        "stop_work_notices": int(kind is ActionKind.STOP_WORK),
        "directives": int(kind in DIRECTIVE_KINDS),
    }


class SectorStatistics(Projection):
    name = "sector_statistics"
    version = 3
    tables = (SECTOR_STATS, CASE_FACTS, ACTION_FACTS, UNITS, ACCIDENTS)
    handles = frozenset(
        {
            *(
                getattr(HazardCase, n)
                for n in (
                    "Reported",
                    "Graded",
                    "RectifiedOnSpot",
                    "Assigned",
                    "Closed",
                    "Reopened",
                    "Dismissed",
                )
            ),
            Inspection.Recorded,
            EnforcementAction.Issued,
            EnforcementAction.Revoked,
            Accident.Recorded,
        }
    )

    def _bucket(self, rows: Rows, key: tuple[str, str, str]) -> Row:
        row = rows.get("sector_stats", key)
        if row is None:
            row = SECTOR_STATS.empty_row(**dict(zip(BUCKET, key, strict=True)))
            for c in COUNTERS:
                row[c] = 0
        return row

    def _apply(
        self, rows: Rows, key: tuple[str, str, str], old: dict[str, int], new: dict[str, int]
    ) -> None:
        if old == new:
            return
        row = self._bucket(rows, key)
        for name, value in new.items():
            row[name] += value
        for name, value in old.items():
            row[name] -= value
        rows.put("sector_stats", row)

    def fold(self, event: Any, rows: Rows) -> None:
        cls = type(event)
        if cls in _CASE_EVENTS:
            self._case(event, cls, rows)
        elif cls is Inspection.Recorded:
            key = (event.region_code, event.sector, month_of(event.occurred_at))
            row = self._bucket(rows, key)
            row["inspections"] += 1
            row["devices_checked"] += event.devices_checked
            rows.put("sector_stats", row)
            ukey = (*key, event.enterprise_code)
            unit = rows.get("stats_units", ukey) or UNITS.empty_row(
                **dict(zip(UNITS.key, ukey, strict=True)), inspections=0
            )
            unit["inspections"] += 1
            rows.put("stats_units", unit)
        elif cls is Accident.Recorded:
            rows.put(
                "stats_accidents",
                ACCIDENTS.empty_row(
                    accident_id=id_text(event.originator_id),
                    region_code=event.region_code,
                    sector=event.sector,
                    month=month_of(event.occurred_at),
                    enterprise_code=event.enterprise_code,
                    level=str(event.level),
                    deaths=event.deaths,
                    serious_injuries=event.serious_injuries,
                    direct_loss_fen=fen(event.direct_loss),
                ),
            )
        elif cls is EnforcementAction.Issued:
            facts = ACTION_FACTS.empty_row(
                action_id=id_text(event.originator_id),
                region_code=event.region_code,
                sector=event.sector,
                month=month_of(event.occurred_at),
                kind=str(event.kind),
                fine_fen=fen(event.fine_amount),
                revoked=0,
            )
            rows.put("stats_actions", facts)
            self._apply(
                rows,
                (facts["region_code"], facts["sector"], facts["month"]),
                {},
                action_contribution(facts),
            )
        elif cls is EnforcementAction.Revoked:
            found = rows.get("stats_actions", (id_text(event.originator_id),))
            if found is None:
                return
            facts = found
            old = action_contribution(facts)
            facts["revoked"] = 1
            rows.put("stats_actions", facts)
            self._apply(
                rows,
                (facts["region_code"], facts["sector"], facts["month"]),
                old,
                action_contribution(facts),
            )

    def _case(self, event: Any, cls: type, rows: Rows) -> None:
        if cls is _REPORTED:
            facts = CASE_FACTS.empty_row(
                case_id=id_text(event.originator_id),
                region_code=event.region_code,
                sector=event.sector,
                month=month_of(event.occurred_at),
                major=0,
                on_spot=0,
                deadline=0,
                closed=0,
                dismissed=0,
            )
            rows.put("stats_cases", facts)
            self._apply(
                rows,
                (facts["region_code"], facts["sector"], facts["month"]),
                {},
                case_contribution(facts),
            )
            return
        settles = _SETTLES.get(cls)
        if settles is None:
            return
        found = rows.get("stats_cases", (id_text(event.originator_id),))
        if found is None:
            return
        facts = found
        if cls is _GRADED:
            settles = (("major", int(str(event.grade) == "major")),)
        if all(facts[name] == value for name, value in settles):
            return  # the facts, hence the bucket, stay as they are
        old = case_contribution(facts)
        for name, value in settles:
            facts[name] = value
        rows.put("stats_cases", facts)
        self._apply(
            rows,
            (facts["region_code"], facts["sector"], facts["month"]),
            old,
            case_contribution(facts),
        )


_CASE_EVENTS = frozenset(
    v for v in vars(HazardCase).values() if isinstance(v, type) and issubclass(v, HazardCase.Event)
)
_REPORTED, _GRADED = HazardCase.Reported, HazardCase.Graded
#: What each later event of a case sets in its facts (Graded: worked out from the grade).
_SETTLES: dict[type, tuple[tuple[str, int], ...]] = {
    HazardCase.Graded: (),
    HazardCase.RectifiedOnSpot: (("on_spot", 1), ("closed", 1)),
    HazardCase.Assigned: (("deadline", 1),),
    HazardCase.Closed: (("closed", 1),),
    HazardCase.Reopened: (("closed", 0),),
    HazardCase.Dismissed: (("dismissed", 1),),
}
