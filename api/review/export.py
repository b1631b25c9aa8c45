"""Export a review with the evidence to check it offline.

Scenario 4 ends with the review team taking the record to a laptop with no network.
``export_review`` writes the review (JSON, and the printable HTML) and, for every
aggregate the review shows — the enterprise, each hazard case, enforcement action,
inspection and responsibility post — the integrity log's offline bundle: payloads,
inclusion proofs and the signed checkpoint. ``ledger verify-bundle FILE`` (or
``ledger.integrity.bundle.verify_bundle``) then checks each one without the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import orjson

from ledger.application import HazardLedger
from ledger.integrity.bundle import export_bundle, write_bundle

from ..evidence import evidence_store
from .render import to_html


def cited_aggregates(report: dict[str, Any]) -> dict[UUID, str]:
    """Every aggregate whose events the review shows, with a kind for the file name."""
    found: dict[UUID, str] = {}
    for row in report["enterprise"]["events"]:
        found.setdefault(UUID(row["aggregate_id"]), "enterprise")
    for section, kind in (
        ("hazards", "case"),
        ("enforcement", "action"),
        ("inspections", "inspection"),
        ("responsibility_chain", "post"),
    ):
        for item in report[section]:
            for row in item["events"]:
                found.setdefault(UUID(row["aggregate_id"]), kind)
    for finding in report["findings"]:
        for ref in finding["events"]:
            found.setdefault(UUID(ref["aggregate_id"]), "cited")
    return found


def export_review(
    ledger: HazardLedger, report: dict[str, Any], directory: Path, lang: str = "zh"
) -> list[Path]:
    """Write review.json, review.html and one bundle per cited aggregate; return the paths.

    Needs the ledger's signing key when no existing checkpoint covers the events
    (``NoSigningKey`` is raised then, before anything is written).
    """
    files = evidence_store(ledger).get  # the photos and scans the events cite
    bundles = {
        aggregate_id: export_bundle(ledger.integrity, aggregate_id, files=files)
        for aggregate_id in cited_aggregates(report)
    }
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / "review.json", directory / "review.html"]
    written[0].write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    written[1].write_text(to_html(report, lang), encoding="utf-8")
    kinds = cited_aggregates(report)
    for aggregate_id, bundle in bundles.items():
        path = directory / f"{kinds[aggregate_id]}-{aggregate_id}.bundle.json"
        write_bundle(bundle, path)
        written.append(path)
    return written
