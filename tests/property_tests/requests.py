"""Hypothesis strategies for concrete requests to each read route of ``READ_ROUTES``.

A request is a path with its ids filled in and the route's own query parameters (month,
region, enterprise, ...), drawn from the generated history's facts: existing ids of the
kind the route names (known or not yet known at a given moment) and region prefixes
inside and outside every viewer's jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .world import ANDING, CHENGGUAN, JINGNING, SECTORS, ZHUANGLANG, Facts, History, actor, day_of

MONTHS = ("2026-03", "2026-04", "2026-05")
REGIONS = (None, "62", "6208", "6211", JINGNING, CHENGGUAN, ZHUANGLANG, ANDING)


@dataclass(frozen=True)
class Request:
    route: str
    path: str
    params: dict[str, Any]

    def __str__(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items() if v is not None)
        return f"GET {self.path}{'?' + query if query else ''}"


def _fill(route: str, value: str) -> str:
    return route.replace(route[route.index("{") : route.index("}") + 1], value)


def requests_for(route: str, history: History) -> list[Request]:
    """Every request to ``route`` the properties may draw (a small, fixed list, so that
    draws are plain indices and failures name a concrete request)."""
    facts: Facts = history.facts
    ids: dict[str, list[str]] = {
        "case": [str(i) for i in facts.cases],
        "inspection": [str(i) for i in facts.inspections],
        "action": [str(i) for i in facts.actions],
        "enterprise": list(facts.enterprises),
    }
    if "{" in route:
        kind = (
            "case"
            if "{case_id}" in route
            else "inspection"
            if "{inspection_id}" in route
            else "action"
            if "{action_id}" in route
            else "enterprise"
        )
        return [Request(route, _fill(route, i), {}) for i in ids[kind]]
    moments = spread_moments(history, 6)
    inspection_days = sorted({day_of(i.occurred_at) for i in facts.inspections.values()})
    grid: dict[str, list[dict[str, Any]]] = {
        "/review": [
            {"enterprise": e, "incident_at": t} for e in ids["enterprise"] for t in moments
        ],
        "/register": [
            {"sector": s, "region": r, "limit": k}
            for s in (None, *SECTORS)
            for r in REGIONS
            for k in (50, 3)
        ],
        "/register/count": [{"sector": s, "region": r} for s in (None, *SECTORS) for r in REGIONS],
        "/register/export": [{"sector": s, "region": r} for s in (None, *SECTORS) for r in REGIONS],
        "/reports/monthly": [{"month": m, "region": r} for m in MONTHS for r in REGIONS],
        "/statistics/trend": [{"region": r, "year": 2026} for r in REGIONS],
        "/rankings": [
            {"month": m, "region": r, "by": b}
            for m in MONTHS
            for r in REGIONS
            for b in ("region", "township", "department")
        ],
        "/measures": [{"region": r} for r in REGIONS],
        "/inspections": [
            *({"date": d} for d in (*inspection_days, "2026-02-28")),
            {"date": "2026-03-01", "to": "2026-03-31"},
            {"date": "2026-04-01", "to": "2026-04-30"},
            *(
                {"date": day_of(i.occurred_at), "inspector": actor("inspector", i.region).id}
                for i in facts.inspections.values()
            ),
        ],
        "/risk-points": [{"region": r} for r in REGIONS],
        # signed tree heads are public (a transparency log): no scope, only time
        "/checkpoints": [{}],
        "/checkpoints/latest": [{}],
        "/checkpoint": [{}],
        "/public-reports": [{"region": r} for r in REGIONS],
        **{
            f"/reports/campaign/{table}": [
                {"period": p, "region": r, "since": "2026-03-01"}
                for p in ("2026-03", "2026-Q2")
                for r in REGIONS
            ]
            for table in ("sources", "listings", "enforcement", "effort", "accidents")
        },
    }
    return [Request(route, route, params) for params in grid[route]]


def spread_moments(history: History, count: int = 14) -> list[datetime]:
    """A bounded set of moments across the history (each needs a copy of the ledger):
    before anything, exactly at a step, a microsecond before a step, between steps, and
    after the last step."""
    candidates = history.candidate_moments()
    stride = max(1, len(candidates) // (count - 2))
    chosen = candidates[1::stride][: count - 2]
    return [history.steps[0].moment.replace(hour=0), *chosen, candidates[-1]]
