"""A read-model fold the built-in sectors share: one row per hazard of a sector, kept open
or closed, with the sector's own identifiers as columns.

Written as a plugin author would write it: plain events in, row changes out, nothing
imported from the projection machinery, so it rebuilds exactly like the built-ins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ledger.read_model_spec import ReadModelSpec

Current = Callable[[Any], dict[str, Any] | None]
CLOSING = ("HazardCase.Closed", "HazardCase.RectifiedOnSpot", "HazardCase.Dismissed")

BASE_COLUMNS = (
    ("case_id", "TEXT"),
    ("enterprise_code", "TEXT"),
    ("enterprise_name", "TEXT"),
    ("region_code", "TEXT"),
    ("location", "TEXT"),
    ("reported_at", "TEXT"),
    ("grade", "TEXT"),
    ("status", "TEXT"),
)


def case_list(
    name: str,
    sector: str,
    details: tuple[str, ...],
    keep: Callable[[Mapping[str, Any]], bool] = lambda details: True,
) -> ReadModelSpec:
    """A read model of ``sector``'s hazards (those whose details pass ``keep``)."""

    def fold(event: Mapping[str, Any], current: Current) -> Iterable[tuple[str, Any]]:
        kind = event["type"]
        if kind == "HazardCase.Reported":
            if event["sector"] != sector or not keep(event.get("details") or {}):
                return
            yield (
                "upsert",
                {
                    "case_id": event["aggregate_id"],
                    "enterprise_code": event["enterprise_code"],
                    "enterprise_name": event["enterprise_name"],
                    "region_code": event["region_code"],
                    "location": event["location"],
                    "reported_at": event["occurred_at"],
                    "grade": "",
                    "status": "open",
                    **{k: _text((event.get("details") or {}).get(k)) for k in details},
                },
            )
            return
        if not kind.startswith("HazardCase."):
            return
        row = current((event["aggregate_id"],))
        if row is None:
            return
        if kind == "HazardCase.Graded":
            yield ("upsert", {**row, "grade": event["grade"]})
        elif kind in CLOSING:
            yield ("upsert", {**row, "status": "closed"})
        elif kind == "HazardCase.Reopened":
            yield ("upsert", {**row, "status": "open"})

    return ReadModelSpec(
        name=name,
        version=2,
        columns=(*BASE_COLUMNS, *((d, "TEXT") for d in details)),
        key=("case_id",),
        fold=fold,
        indexes=(("status", "region_code"),),
        events=("HazardCase.Reported", "HazardCase.Graded", "HazardCase.Reopened", *CLOSING),
    )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)
