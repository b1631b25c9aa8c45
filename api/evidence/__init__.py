"""Evidence files: photos and scanned documents cited by events, stored by their hash.

An event cites a file by its SHA-256 (``evidence: ["sha256:<hex>"]``), so the event's
leaf in the integrity log commits to the file's exact bytes. The bytes themselves live
beside the events, in the same backup: a directory next to a SQLite store, a table in
the PostgreSQL schema. Nobody reads a file through anything but a case they may see.
"""

from __future__ import annotations

from .files import LIMIT_BYTES, MEDIA_TYPES, Accepted, accept, citation, digest_of
from .store import DirectoryEvidence, EvidenceStore, TableEvidence, evidence_store

__all__ = [
    "LIMIT_BYTES",
    "MEDIA_TYPES",
    "Accepted",
    "DirectoryEvidence",
    "EvidenceStore",
    "TableEvidence",
    "accept",
    "citation",
    "digest_of",
    "evidence_store",
]
