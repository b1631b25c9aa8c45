"""Sector plugins: the hook contract, the plugin manager and the built-in sectors.

This package stands on ``ledger`` alone. Plugins are loaded in one place, the
composition root (``api.composition.load_configured_sectors``); a sector of your own
imports from ``plugins.authoring`` only (see ``docs/plugins.md``).
"""

from .catalogue import Catalogue, CompositeRule, Criterion
from .sectors import Sectors, load_sectors
from .spec import (
    DetailField,
    Facts,
    ReportColumn,
    SectorSpec,
    Suggestion,
    hookimpl,
)

__all__ = [
    "Catalogue",
    "CompositeRule",
    "Criterion",
    "DetailField",
    "Facts",
    "ReportColumn",
    "SectorSpec",
    "Sectors",
    "Suggestion",
    "hookimpl",
    "load_sectors",
]
