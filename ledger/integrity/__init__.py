"""Integrity an auditor can check without trusting the ledger's operators.

Every event gets a gapless sequence number and a leaf in an RFC 9162 Merkle tree,
written in the event's own transaction (``log``); the tree head is signed as a
transparency-log checkpoint with a key kept outside the store (``signing``); proofs of
inclusion and consistency, full re-verification (``IntegrityLog.verify``) and offline
bundles (``bundle``) let anyone check the history. ``docs/integrity.md`` specifies the
formats so that an outside auditor can reimplement every check.
"""

from .leaf import LeafHeader, encode_leaf, payload_hash
from .log import IntegrityLog, NoSigningKey
from .reports import ConsistencyProof, Failure, InclusionProof, VerifyReport
from .signing import Checkpoint, VerifierKey

__all__ = [
    "Checkpoint",
    "ConsistencyProof",
    "Failure",
    "InclusionProof",
    "IntegrityLog",
    "LeafHeader",
    "NoSigningKey",
    "VerifierKey",
    "VerifyReport",
    "encode_leaf",
    "payload_hash",
]
