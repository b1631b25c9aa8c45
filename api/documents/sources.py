"""Which recorded events a printed document shows, and the checkpoint that seals them.

``ledger print KIND ID`` names a record; this module answers with the events whose
payloads the document's content is derived from (``content.CONTENT``), then the
smallest-effort signed checkpoint that includes them all: the latest stored checkpoint
when it already covers them, else a new one signed with the configured key.
"""

from __future__ import annotations

from uuid import UUID

from ledger.application import HazardLedger
from ledger.enforcement import ActionKind
from ledger.errors import LedgerError, NotFound, refuse
from ledger.integrity.signing import Checkpoint

from . import content
from .seal import Seal, seal_events

Wanted = list[tuple[str, UUID, int]]

#: The document kinds ``ledger print`` renders from one record (the monthly report is a
#: table and is printed by ``api.documents.monthly``).
KINDS_ZH = {
    "rectification-order": "责令限期整改指令书",
    "re-inspection": "整改复查意见书",
    "penalty-decision": "行政处罚决定书",
    "inspection-record": "现场检查记录",
}
_ACTION_KIND = {
    "rectification-order": ActionKind.RECTIFICATION_ORDER,
    "penalty-decision": ActionKind.PENALTY,
}


def _enterprise(ledger: HazardLedger, code: str) -> Wanted:
    """The enterprise's registration, which names it on paper (if it is registered)."""
    try:
        return [("enterprise", ledger.enterprise(code).id, 1)]
    except NotFound:
        return []


def _last(
    ledger: HazardLedger, aggregate_id: UUID, suffix: str, before: int | None = None
) -> int | None:
    """The version of the aggregate's last event of this type (before ``before``)."""
    versions = [
        h.version
        for h, _, _ in ledger.integrity.entries(aggregate_id)
        if h.event_type.endswith(suffix) and (before is None or h.version < before)
    ]
    return max(versions) if versions else None


def wanted_events(ledger: HazardLedger, kind: str, record_id: UUID) -> Wanted:
    """The ``(role, aggregate_id, version)`` of every event the document shows."""
    if kind in _ACTION_KIND:
        action = ledger.action(record_id)
        if action.kind is not _ACTION_KIND[kind]:
            raise refuse(
                "DOCUMENT_KIND_MISMATCH",
                "kind",
                f"该执法措施是“{action.kind.value}”，不能打印为{KINDS_ZH[kind]}",
                f"the action is a {action.kind.value}, not a {kind}",
            )
        return [("action", record_id, 1), *_enterprise(ledger, action.enterprise_code)]
    if kind == "inspection-record":
        inspection = ledger.inspection(record_id)
        # each hazard found, as reported (its report names this inspection)
        found: Wanted = [
            (f"{content.FOUND}{n}", case_id, 1)
            for n, case_id in enumerate(inspection.hazard_ids, start=1)
        ]
        return [
            ("inspection", record_id, 1),
            *_enterprise(ledger, inspection.enterprise_code),
            *found,
        ]
    if kind == "re-inspection":
        ledger.case(record_id)  # NotFound for an unknown case
        verified = _last(ledger, record_id, ".Verified")
        assigned = _last(ledger, record_id, ".Assigned")
        if verified is None or assigned is None:
            raise refuse(
                "NOT_RE_INSPECTED",
                "case_id",
                "该隐患尚未复查，无法出具整改复查意见书",
                "the case has not been re-inspected yet",
            )
        wanted: Wanted = [
            ("reported", record_id, 1),
            ("assigned", record_id, assigned),
            ("verified", record_id, verified),
        ]  # the report names the enterprise: its registration need not travel too
        # the deadline in force at the re-inspection: the last extension granted since
        # the assignment, when there is one
        extended = _last(ledger, record_id, ".DeadlineExtended", before=verified)
        if extended is not None and extended > assigned:
            wanted.append(("extended", record_id, extended))
        return wanted
    raise refuse(
        "UNKNOWN_DOCUMENT_KIND",
        "kind",
        f"未知的文书种类“{kind}”，可选：{'、'.join(KINDS_ZH)}",
        f"unknown document kind {kind!r}; one of {', '.join(KINDS_ZH)}",
    )


def covering_checkpoint(ledger: HazardLedger, wanted: Wanted) -> Checkpoint:
    """The latest checkpoint if it includes every wanted event, else a newly signed one."""
    log = ledger.integrity
    last_seq = max(
        h.seq
        for role, oid, version in wanted
        for h, _, _ in log.entries(oid)
        if h.version == version
    )
    latest = log.latest_checkpoint()
    if latest is not None and latest.tree_size > last_seq:
        return latest
    return log.issue_checkpoint()  # raises NoSigningKey (zh/en) when no key is configured


def seal_for(ledger: HazardLedger, kind: str, record_id: UUID) -> Seal:
    """The seal of document ``kind`` for record ``record_id`` (see ``seal``)."""
    wanted = wanted_events(ledger, kind, record_id)
    try:
        return seal_events(ledger, kind, wanted, covering_checkpoint(ledger, wanted))
    except LookupError as e:  # an event not yet in the integrity log
        raise LedgerError(f"未入账的记录 / not in the integrity log: {e}") from None
