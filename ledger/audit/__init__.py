"""Audit rules for the accountability review (see docs/audit-rules.md).

``run_rules`` applies rules to a ``Dossier`` and returns their findings in a stable
order; ``builtin_rules`` gives the rules the ledger ships with. Sector plugins
contribute more rules as objects satisfying ``AuditRule``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import AuditRule, Dossier, EventRef, Finding, Parameter, Severity
from .rules import builtin_rules

_SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def check_registry(rules: Sequence[AuditRule]) -> None:
    """Refuse a rule set with duplicate codes or objects that are not rules."""
    seen: set[str] = set()
    for rule in rules:
        if not isinstance(rule, AuditRule):
            raise TypeError(f"{rule!r} does not satisfy the AuditRule protocol")
        if rule.code in seen:
            raise ValueError(f"two audit rules share the code {rule.code}")
        seen.add(rule.code)


def run_rules(rules: Iterable[AuditRule], dossier: Dossier) -> list[Finding]:
    """Every finding of every rule, most severe first, then by time of first event."""
    findings = [f for rule in rules for f in rule.check(dossier)]
    return sorted(
        findings,
        key=lambda f: (
            _SEVERITY_ORDER[f.severity],
            min((r.occurred_at for r in f.refs), default=dossier.incident_at),
            f.rule,
        ),
    )


__all__ = [
    "AuditRule",
    "Dossier",
    "EventRef",
    "Finding",
    "Parameter",
    "Severity",
    "builtin_rules",
    "check_registry",
    "run_rules",
]
