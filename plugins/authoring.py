"""Everything a sector plugin imports, from one module: the plugin author's surface.

    from plugins.authoring import SectorSpec, Violation, hookimpl

A third-party sector needs nothing else of the ledger: the hook marker, the values its
hooks return (sectors, catalogues, suggestions, report columns, read models, audit
rules), the commands ``ledger_validate`` judges (``commands``: one class per command, all
``Command``; ``ReportHazard`` and ``GradeHazard``, which the ledger's shared checks
judge, also by name; ``LedgerAggregate``, the record a command acts on), the refusals
it returns, and the conformance kit that tests it. What is here is what the ledger
promises to keep; what is not (``plugins.Sectors``, the projection machinery, the API)
may change under a plugin, which is why ``examples/ammonia_refrigeration`` imports from
here alone.

``SectorPluginConformance`` is a pytest test case; it is imported on first use, so a
plugin that imports this module at run time does not need pytest installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger import commands
from ledger.audit.model import (
    AuditRule,
    Dossier,
    EventRef,
    Finding,
    Parameter,
    Severity,
)
from ledger.commands import Command, GradeHazard, ReportHazard
from ledger.errors import RuleViolated, Violation
from ledger.events import LedgerAggregate
from ledger.read_model_spec import PlainEvent, ReadModelSpec

from .catalogue import Catalogue, CompositeRule, Criterion
from .spec import DetailField, Facts, ReportColumn, SectorSpec, Suggestion, hookimpl

if TYPE_CHECKING:
    from .testing import SectorPluginConformance

__all__ = [
    "AuditRule",
    "Catalogue",
    "Command",
    "CompositeRule",
    "Criterion",
    "DetailField",
    "Dossier",
    "EventRef",
    "Facts",
    "Finding",
    "GradeHazard",
    "LedgerAggregate",
    "Parameter",
    "PlainEvent",
    "ReadModelSpec",
    "ReportColumn",
    "ReportHazard",
    "RuleViolated",
    "SectorPluginConformance",
    "SectorSpec",
    "Severity",
    "Suggestion",
    "Violation",
    "commands",
    "hookimpl",
]


def __getattr__(name: str) -> Any:
    """``SectorPluginConformance`` on first use (it needs pytest; plugins at run time do not)."""
    if name == "SectorPluginConformance":
        from .testing import SectorPluginConformance

        return SectorPluginConformance
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
