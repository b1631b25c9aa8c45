"""Sector plugins: the hook contract, the plugin manager and the built-in sectors.

``Sectors.load()`` is the one entry point the ledger, the API and the CLI use; see
``docs/plugins.md`` for writing a sector of your own.
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
