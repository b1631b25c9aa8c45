"""Which read models a ledger keeps: the built-in ones plus those plugins contribute."""

from __future__ import annotations

from collections.abc import Iterable

from ledger.read_model_spec import ReadModelSpec

from .base import Projection
from .campaign import CampaignFacts
from .enforcement import EnforcementRecords
from .inspections import InspectionsList
from .measures import MeasuresList
from .plugin_adapter import adapt
from .public_reports import PublicReportsList
from .register import HazardRegister
from .risk_points import RiskPointsList
from .statistics import SectorStatistics


def builtin_projections() -> list[Projection]:
    return [
        HazardRegister(),
        SectorStatistics(),
        EnforcementRecords(),
        MeasuresList(),
        RiskPointsList(),
        PublicReportsList(),
        CampaignFacts(),
        InspectionsList(),
    ]


def all_projections(plugin_specs: Iterable[ReadModelSpec] = ()) -> list[Projection]:
    """Built-ins first, then plugin read models; names must be unique."""
    projections = builtin_projections() + adapt(plugin_specs)
    names = [p.name for p in projections]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"read model names used twice: {sorted(duplicates)}")
    return projections
