"""Who may see and who may cite an evidence file: decided here for every entry point.

A file is in sight of a viewer who sees a case whose events cite it (``GET
/evidence/{sha256}`` answers it then, and 404 otherwise). A file may be cited by an actor
who uploaded it or already has it in sight, and only if it is stored: otherwise citing
a hash would open somebody else's file to whoever cites it, or tell whether it is in the
store. ``CitationCheck`` is the ledger's ``EvidenceCheck``, wired by the composition root.
"""

from __future__ import annotations

from functools import cached_property

from ledger.application import HazardLedger
from ledger.errors import NotFound
from ledger.identity import Actor
from ledger.scope import Scope
from ledger.sqlstore import SqlStore
from projections.reads import Reads

from .citations import citing_aggregates
from .store import EvidenceStore, evidence_store
from .uploads import Uploads


def in_sight(reads: Reads, digest: str, scope: Scope) -> bool:
    """Whether a case citing the file (hex SHA-256 ``digest``) is within ``scope``."""
    for case_id in citing_aggregates(reads.ledger, digest):
        try:
            reads.hazard(case_id, scope=scope)
        except NotFound:
            continue
        return True
    return False


def uploads_of(ledger: HazardLedger) -> Uploads:
    """The record of who uploaded which file, in this ledger's store."""
    return Uploads(SqlStore(ledger.recorder.datastore))  # type: ignore[attr-defined]


class CitationCheck:
    """The ledger's ``EvidenceCheck``: stored, and uploaded by the actor or in its sight."""

    def __init__(self, ledger: HazardLedger) -> None:
        self.ledger = ledger

    @cached_property
    def files(self) -> EvidenceStore:
        return evidence_store(self.ledger)

    @cached_property
    def uploads(self) -> Uploads:
        return uploads_of(self.ledger)

    def may_cite(self, digest: str, actor: Actor, scope: Scope) -> bool:
        if not self.files.has(digest):
            return False
        if self.uploads.uploaded_by(digest, actor.id):
            return True
        return in_sight(Reads(self.ledger), digest, scope)
