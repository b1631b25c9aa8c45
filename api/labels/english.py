"""The English name beside each Chinese name a read sends.

The read layer names some codes in Chinese as it builds an answer (a risk point's
``level_zh`` and ``colour_zh``, a public report's ``status_zh``, an enforcement action's
``kind_zh`` in the review …), from the domain's own tables. The HTTP answer carries each
with its English name beside it (``level_en`` …), looked up in the one catalogue, so a
client showing English gets the name from the server as one showing Chinese does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .catalogue import Labels, labels

Naming = Mapping[str, tuple[str, str]]
"""``name`` of a ``name_zh`` field → (the catalogue group naming it, the field holding
the code it names)."""

#: ``api.response_models.RiskPointRow``.
RISK_POINT_ROW: Naming = {
    "level": ("risk_level", "level"),
    "colour": ("risk_colour", "colour"),
    "hazard_source_level": ("hazard_source_level", "hazard_source_level"),
}
#: ``api.response_models.RiskPointView``.
RISK_POINT: Naming = {
    "level": ("risk_level", "level"),
    "colour": ("risk_colour", "colour"),
}
#: ``api.response_models.PublicReportRow`` and ``PublicReportView``.
PUBLIC_REPORT: Naming = {"status": ("report_status", "status")}
#: ``api.response_models.CaseAtIncident``: a case's state in the review.
CASE: Naming = {"status": ("status", "status")}
#: ``api.response_models.ReviewAction``.
ACTION: Naming = {"kind": ("kind", "kind")}
#: ``api.response_models.AccidentSummary``.
ACCIDENT: Naming = {"level": ("accident_level", "level")}

#: Every naming above, for the tests that check the catalogue names all they can meet.
NAMINGS: tuple[Naming, ...] = (RISK_POINT_ROW, RISK_POINT, PUBLIC_REPORT, CASE, ACTION, ACCIDENT)


def beside(row: dict[str, Any], naming: Naming, names: Labels | None = None) -> dict[str, Any]:
    """``row`` with ``name_en`` beside each ``name_zh`` of ``naming``: the English name of
    the code in the field ``naming`` gives (no code, no name: null). Adds to ``row``
    itself (the read layer builds each answer afresh) and returns it."""
    english = names or labels("en")
    for name, (group, field) in naming.items():
        if f"{name}_zh" not in row:
            raise KeyError(f"the answer names no {name}_zh to put {name}_en beside")
        code = row[field]
        row[f"{name}_en"] = None if code is None else english.name(group, code)
    return row


def each_beside(rows: list[dict[str, Any]], naming: Naming) -> list[dict[str, Any]]:
    """``beside`` for every row of a list."""
    english = labels("en")
    for row in rows:
        beside(row, naming, english)
    return rows


def review(report: dict[str, Any]) -> dict[str, Any]:
    """The accountability review with the English names of its cases' statuses, its
    enforcement actions' kinds and its accident's level (added to ``report``)."""
    english = labels("en")
    for hazard in report["hazards"]:
        for key in ("state_at_incident", "state_known_at_incident"):
            if hazard[key] is not None:
                beside(hazard[key], CASE, english)
    each_beside(report["enforcement"], ACTION)
    if report.get("accident") is not None:
        beside(report["accident"], ACCIDENT, english)
    return report


__all__ = [
    "ACCIDENT",
    "ACTION",
    "CASE",
    "NAMINGS",
    "PUBLIC_REPORT",
    "RISK_POINT",
    "RISK_POINT_ROW",
    "Naming",
    "beside",
    "each_beside",
    "review",
]
