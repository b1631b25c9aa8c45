"""``ammonia_charge_at_risk``: every ammonia hazard with the charge it puts at risk.

The emergency management department ranks cold stores by the ammonia held where a
hazard is open; this table is that ranking's source. A pure fold over plain events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from plugins.authoring import ReadModelSpec

SECTOR = "ammonia_refrigeration"


def fold(
    event: Mapping[str, Any], current: Callable[[Any], dict[str, Any] | None]
) -> Iterable[tuple[str, Any]]:
    kind = event["type"]
    if kind == "HazardCase.Reported":
        if event["sector"] == SECTOR:
            details = event.get("details") or {}
            yield (
                "upsert",
                {
                    "case_id": event["aggregate_id"],
                    "enterprise_code": event["enterprise_code"],
                    "enterprise_name": event["enterprise_name"],
                    "charge_kg": int(details.get("ammonia_charge_kg") or 0),
                    "system": details.get("system", ""),
                    "grade": "",
                    "open": 1,
                },
            )
        return
    row = current((event["aggregate_id"],)) if kind.startswith("HazardCase.") else None
    if row is None:
        return
    if kind == "HazardCase.Graded":
        yield ("upsert", {**row, "grade": event["grade"]})
    elif kind in ("HazardCase.Closed", "HazardCase.RectifiedOnSpot"):
        yield ("upsert", {**row, "open": 0})
    elif kind == "HazardCase.Reopened":
        yield ("upsert", {**row, "open": 1})


CHARGE_AT_RISK = ReadModelSpec(
    name="ammonia_charge_at_risk",
    version=1,
    columns=(
        ("case_id", "TEXT"),
        ("enterprise_code", "TEXT"),
        ("enterprise_name", "TEXT"),
        ("charge_kg", "INTEGER"),
        ("system", "TEXT"),
        ("grade", "TEXT"),
        ("open", "INTEGER"),
    ),
    key=("case_id",),
    fold=fold,
    indexes=(("open", "charge_kg"),),
    events=(
        "HazardCase.Reported",
        "HazardCase.Graded",
        "HazardCase.Closed",
        "HazardCase.RectifiedOnSpot",
        "HazardCase.Reopened",
    ),
)
