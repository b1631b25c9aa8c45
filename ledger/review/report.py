"""The accountability review (事故责任倒查): one enterprise, one moment, every question.

``build_review`` answers, for enterprise E and incident moment T, the questions of
DOMAIN.md ("Questions an accountability review must answer"):

* which hazards at E were known before T, by whom, since when, graded how;
* each one's state at T — as the world was at T given what is known now, and as it
  was known at T; where the two differ, that difference is the late-entry story;
* who was assigned, who verified, who closed; extensions and listings;
* enforcement actions against E, and whether stop-work orders held;
* who held each link of the responsibility chain at T;
* what was recorded after the fact with an earlier business date;
* the findings of the audit rules, each pointing at its events;

and attaches an inclusion proof to every event it shows, against the integrity log as
it stood at ``known_at`` when the review is asked as known then. The result is a plain dict
(JSON-ready); ``api.review.render`` turns it into Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import takewhile
from typing import Any
from uuid import UUID

from ledger.application import HazardLedger
from ledger.audit import AuditRule, Dossier, builtin_rules, check_registry, run_rules
from ledger.codes import jurisdictions
from ledger.enforcement import KIND_EN, KIND_ZH, SUSPENDING_KINDS, ActionKind, EnforcementAction
from ledger.enterprise import Enterprise
from ledger.errors import NotFound
from ledger.events import LedgerAggregate
from ledger.hazard import STATUS_EN, STATUS_ZH, HazardCase, Status
from ledger.inspection import Inspection
from ledger.responsibility import DUTY_ZH, Duty, ResponsibilityPost
from ledger.scope import Scope
from ledger.views import case_summary, event_row, is_late, plain

from .index import enterprise_aggregates
from .proofs import ProofSource

REPORT_VERSION = 1

#: Fields of a case's state compared between "as it was" and "as it was known".
COMPARED = (
    "status",
    "grade",
    "deadline",
    "overdue",
    "extensions",
    "listing_level",
    "measures",
    "completed_at",
    "verified_by",
    "closed_by",
    "closed_at",
)

Event = LedgerAggregate.Event


def _cut(history: Sequence[Event], known_at: datetime | None) -> list[Event]:
    """The events recorded by ``known_at`` (a prefix: versions follow recording order)."""
    if known_at is None:
        return list(history)
    return list(takewhile(lambda e: e.timestamp <= known_at, history))


def _seen(history: Sequence[Event], scope: Scope) -> bool:
    first: Any = history[0]
    return scope.sees(
        region_code=first.region_code, sector=first.sector, enterprise_code=first.enterprise_code
    )


def visible_enterprise(
    ledger: HazardLedger, enterprise_code: str, *, scope: Scope, known_at: datetime | None
) -> Enterprise:
    """The enterprise as known at ``known_at``, if the scope sees it in one of its sectors.

    Not registered by then, or out of scope: ``NotFound``, the same as a code nobody
    used, so an answer never tells the two apart.
    """
    enterprise = ledger.enterprise(enterprise_code)
    state = ledger.state_at(enterprise.id, known_at=known_at)
    if not isinstance(state, Enterprise) or not any(
        scope.sees(region_code=state.region_code, sector=s, enterprise_code=enterprise_code)
        for s in state.sectors
    ):
        raise NotFound("Enterprise", enterprise_code)
    return state


def build_dossier(
    ledger: HazardLedger,
    enterprise_code: str,
    incident_at: datetime,
    *,
    scope: Scope,
    known_at: datetime | None = None,
) -> Dossier:
    """The enterprise's record for the audit rules: every event recorded by ``known_at``
    (default: all) of the cases, actions and inspections the scope sees."""
    enterprise = visible_enterprise(ledger, enterprise_code, scope=scope, known_at=known_at)
    ids = enterprise_aggregates(ledger, enterprise_code)

    def histories(aggregate_ids: Sequence[UUID]) -> dict[UUID, Sequence[Event]]:
        found: dict[UUID, Sequence[Event]] = {}
        for i in aggregate_ids:
            history = _cut(ledger.history(i), known_at)
            if history and _seen(history, scope):
                found[i] = history
        return found

    return Dossier(
        enterprise_code=enterprise_code,
        incident_at=incident_at,
        cases=histories(ids.cases),
        actions=histories(ids.actions),
        inspections=histories(ids.inspections),
        enterprise=_cut(ledger.history(enterprise.id), known_at),
    )


def build_review(
    ledger: HazardLedger,
    enterprise_code: str,
    incident_at: datetime,
    *,
    scope: Scope,
    known_at: datetime | None = None,
    rules: Sequence[AuditRule] | None = None,
) -> dict[str, Any]:
    """The review of ``enterprise_code`` at ``incident_at`` as a plain dict.

    Only what ``scope`` sees is reviewed (another sector's case at a shared enterprise
    does not exist for a sector-limited reviewer), and only what was recorded by
    ``known_at`` (default: everything recorded so far): the review as it could have
    been written then.
    """
    if incident_at.tzinfo is None:
        raise ValueError("incident_at must carry a time zone")
    if rules is None:
        # The built-in rules, then those of the ledger's sector plugins (if it has any).
        rules = [
            *builtin_rules(ledger.sectors),
            *(ledger.sectors.audit_rules if ledger.sectors else ()),
        ]
    rules = list(rules)
    check_registry(rules)
    enterprise = visible_enterprise(ledger, enterprise_code, scope=scope, known_at=known_at)
    dossier = build_dossier(ledger, enterprise_code, incident_at, scope=scope, known_at=known_at)
    cases, actions, inspections = dossier.cases, dossier.actions, dossier.inspections
    enterprise_history = dossier.enterprise
    findings = run_rules(rules, dossier)
    proofs = ProofSource(ledger, known_at)  # the log as it stood at known_at
    t = incident_at

    def rows(history: Sequence[Event]) -> list[dict[str, Any]]:
        return [_row(e, t, proofs) for e in history]

    hazards = [
        _hazard(ledger, case_id, history, t, known_at, rows(history))
        for case_id, history in cases.items()
        if history[0].occurred_at <= t
    ]
    hazards.sort(key=lambda h: h["found_at"])
    later_cases = sum(1 for h in cases.values() if h[0].occurred_at > t)

    finding_dicts = []
    for finding in findings:
        data = finding.as_dict()
        for ref, ev in zip(finding.refs, data["events"], strict=True):
            ev["proof"] = proofs.proof(ref.aggregate_id, ref.version)
        finding_dicts.append(data)

    every = [e for h in dossier.all_histories() for e in h]
    late = [
        _row(e, t, proofs)
        for e in sorted(every, key=lambda e: e.timestamp)
        if e.occurred_at <= t and (e.timestamp > t or is_late(e))
    ]
    return {
        "report": "accountability_review",
        "version": REPORT_VERSION,
        "generated_at": ledger.clock().isoformat(),
        "incident_at": t.isoformat(),
        "enterprise": _enterprise(enterprise, rows(enterprise_history)),
        "hazards": hazards,
        "hazards_found_after_incident": later_cases,
        "enforcement": [
            _action(ledger, i, h, t, known_at, rows(h), findings)
            for i, h in actions.items()
            if h[0].occurred_at <= t
        ],
        "inspections": [
            _inspection(i, h, rows(h)) for i, h in inspections.items() if h[0].occurred_at <= t
        ],
        "responsibility_chain": _chain(ledger, enterprise, cases, t, known_at, scope, proofs),
        "late_entries": late,
        "findings": finding_dicts,
        "rules": [
            {
                "code": r.code,
                "title_zh": r.title_zh,
                "title_en": r.title_en,
                "parameters": {p.name: plain(p.default) for p in r.parameters},
            }
            for r in rules
        ],
        "integrity": proofs.summary(),
    }


def _row(event: Event, t: datetime, proofs: ProofSource) -> dict[str, Any]:
    row = event_row(event)
    row["aggregate_id"] = str(event.originator_id)
    row["after_incident"] = event.occurred_at > t
    row["recorded_after_incident"] = event.timestamp > t
    row["proof"] = proofs.proof(event.originator_id, event.originator_version)
    return row


def _state(case: HazardCase | None, t: datetime) -> dict[str, Any] | None:
    if case is None:
        return None
    summary = case_summary(case, at=t)
    summary["status_zh"] = STATUS_ZH[Status(case.status)]
    summary["status_en"] = STATUS_EN[Status(case.status)]
    return summary


def _hazard(
    ledger: HazardLedger,
    case_id: UUID,
    history: Sequence[Event],
    t: datetime,
    known_at: datetime | None,
    rows: list[dict[str, Any]],
) -> dict[str, Any]:
    report = history[0]
    as_was = ledger.case_at(case_id, valid_at=t, known_at=known_at)
    as_known = ledger.case_at(case_id, valid_at=t, known_at=_earlier(t, known_at))
    state = _state(as_was, t)
    known = _state(as_known, t)
    assert state is not None and as_was is not None
    differences = [k for k in COMPARED if known is None or known.get(k) != state.get(k)]
    upto = [e for e in history if e.occurred_at <= t]

    def people(name: str) -> list[dict[str, Any]]:
        return [
            {
                "at": e.occurred_at.isoformat(),
                "recorded_at": e.timestamp.isoformat(),
                "by": e.actor.label(),
                "by_id": e.actor.id,
                "version": e.originator_version,
                **{k: plain(v) for k, v in vars(e).items() if k in _DETAIL_FIELDS},
            }
            for e in upto
            if type(e).__name__ == name
        ]

    return {
        "id": str(case_id),
        "description": as_was.description,
        "location": as_was.location,
        "sector": as_was.sector,
        "source": as_was.source.value,
        "found_at": report.occurred_at.isoformat(),
        "found_by": as_was.found_by,
        "reported_by": report.actor.label(),
        "recorded_at": report.timestamp.isoformat(),
        "known_before_incident": report.timestamp <= t,
        "grade": state["grade"],
        "criteria": state["criteria"],
        "state_at_incident": state,
        "state_known_at_incident": known,
        "differences": differences,
        "gradings": people("Graded"),
        "assignments": people("Assigned"),
        "extensions": people("DeadlineExtended"),
        "listings": people("Listed"),
        "escalations": people("Escalated"),
        "rectifications": people("RectificationReported") + people("RectifiedOnSpot"),
        "verifications": people("Verified"),
        "closures": people("Closed"),
        "events": rows,
    }


_DETAIL_FIELDS = {
    "grade",
    "criteria",
    "department",
    "deadline",
    "requirements",
    "previous_deadline",
    "new_deadline",
    "reason",
    "approver",
    "level",
    "authority",
    "measures",
    "completed_at",
    "accepted",
    "opinion",
}


def _enterprise(enterprise: Enterprise, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "region_code": enterprise.region_code,
        "sectors": list(enterprise.sectors),
        "address": enterprise.address,
        "events": rows,
    }


def _action(
    ledger: HazardLedger,
    action_id: UUID,
    history: Sequence[Event],
    t: datetime,
    known_at: datetime | None,
    rows: list[dict[str, Any]],
    findings: Sequence[Any],
) -> dict[str, Any]:
    action = ledger.state_at(action_id, valid_at=t, known_at=known_at)
    assert isinstance(action, EnforcementAction)
    kind = ActionKind(action.kind)
    suspending = kind in SUSPENDING_KINDS
    breaches = [
        f.subject_id and str(f.subject_id)
        for f in findings
        if f.rule == "AUD-STOP-WORK-BREACH" and any(r.aggregate_id == action_id for r in f.refs)
    ]
    return {
        "id": str(action_id),
        "kind": kind.value,
        "kind_zh": KIND_ZH[kind],
        "kind_en": KIND_EN[kind],
        "document_number": action.document_number,
        "department": action.department,
        "legal_basis": action.legal_basis,
        "fine_amount": plain(action.fine_amount),
        "issued_at": action.issued_at.isoformat(),
        "issued_by": history[0].actor.label(),
        "status_at_incident": action.status.value,
        "suspending": suspending,
        "in_force_at_incident": suspending and action.suspends_work_at(t),
        "held": (not breaches) if suspending else None,
        "breach_cases": breaches,
        "case_ids": [str(c) for c in action.case_ids],
        "events": rows,
    }


def _inspection(
    inspection_id: UUID, history: Sequence[Event], rows: list[dict[str, Any]]
) -> dict[str, Any]:
    first: Any = history[0]
    return {
        "id": str(inspection_id),
        "type": plain(first.inspection_type),
        "inspected_at": first.occurred_at.isoformat(),
        "recorded_at": first.timestamp.isoformat(),
        "recorded_by": first.actor.label(),
        "team": list(first.team),
        "summary": first.summary,
        "hazards": [str(e.case_id) for e in history if isinstance(e, Inspection.HazardFound)],
        "events": rows,
    }


def _chain(
    ledger: HazardLedger,
    enterprise: Enterprise,
    cases: Mapping[UUID, Sequence[Event]],
    t: datetime,
    known_at: datetime | None,
    scope: Scope,
    proofs: ProofSource,
) -> list[dict[str, Any]]:
    """Who held each link of the responsibility chain at ``t`` (and as known at ``t``),
    from what was recorded by ``known_at``, for the sectors the scope sees."""
    links: list[dict[str, Any]] = []
    known_then = _earlier(t, known_at)
    was = ledger.state_at(enterprise.id, valid_at=t, known_at=known_at)
    known = ledger.state_at(enterprise.id, valid_at=t, known_at=known_then)
    principal = was.principal_on(t) if isinstance(was, Enterprise) else None
    principal_known = known.principal_on(t) if isinstance(known, Enterprise) else None
    links.append(
        _link(
            "enterprise_principal",
            "企业主要负责人",
            "principal person in charge",
            enterprise.name,
            "主要负责人",
            principal,
            principal_known,
            _cut(ledger.history(enterprise.id), known_at),
            t,
            proofs,
        )
    )
    sectors = [
        s
        for s in dict.fromkeys([*enterprise.sectors, *(_sector(h) for h in cases.values())])
        if scope.sees_sector(s)
    ]
    for region in jurisdictions(enterprise.region_code):
        for duty, sector in [
            *((Duty.DEPARTMENT_OFFICIAL, s) for s in sectors),
            (Duty.GOVERNMENT_LEADER, ""),
        ]:
            try:
                post = ledger.post(duty, region, sector)
            except NotFound:
                continue
            post_history = _cut(ledger.history(post.id), known_at)
            if not post_history:
                continue  # not recorded by known_at
            was_post = ledger.state_at(post.id, valid_at=t, known_at=known_at)
            known_post = ledger.state_at(post.id, valid_at=t, known_at=known_then)
            links.append(
                {
                    **_link(
                        duty.value,
                        DUTY_ZH[duty],
                        duty.value.replace("_", " "),
                        post.organisation,
                        post.title,
                        was_post.holder_on(t) if isinstance(was_post, ResponsibilityPost) else None,
                        known_post.holder_on(t)
                        if isinstance(known_post, ResponsibilityPost)
                        else None,
                        post_history,
                        t,
                        proofs,
                    ),
                    "region_code": region,
                    "sector": sector,
                }
            )
    return links


def _earlier(t: datetime, known_at: datetime | None) -> datetime:
    return t if known_at is None else min(t, known_at)


def _sector(history: Sequence[Event]) -> str:
    return str(getattr(history[0], "sector", ""))


def _link(
    link: str,
    link_zh: str,
    link_en: str,
    organisation: str,
    title: str,
    holder: Any,
    holder_known: Any,
    history: Sequence[Event],
    t: datetime,
    proofs: ProofSource,
) -> dict[str, Any]:
    # The event that put the holder in post: the last one at or before t.
    source = [e for e in history if e.occurred_at <= t]
    return {
        "link": link,
        "link_zh": link_zh,
        "link_en": link_en,
        "organisation": organisation,
        "title": title,
        "holder": plain(holder),
        "holder_as_known_at_incident": plain(holder_known),
        "differs": plain(holder) != plain(holder_known),
        "events": [_row(e, t, proofs) for e in source[-1:]],
    }


__all__ = ["build_dossier", "build_review", "visible_enterprise"]
