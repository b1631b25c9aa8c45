"""Inclusion proofs for the events a review cites, when the ledger has its integrity log.

The integrity log (``ledger.integrity``) hands out RFC 9162 inclusion proofs and signed
checkpoints. A review attaches a proof to every event it shows so that a reader can
check, without trusting the operators, that the record was not altered since. A ledger
opened without the log (or built before it existed) still produces a review; the
report then says plainly that proofs are unavailable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ledger.integrity.as_of import LogAt
from ledger.integrity.signing import Checkpoint


def integrity_log_of(ledger: object) -> Any | None:
    """The ledger's integrity log, or None when this ledger has none."""
    try:
        return getattr(ledger, "integrity", None)
    except (AttributeError, RuntimeError):
        return None


class ProofSource:
    """Proofs against one tree head, so every proof in a report shares one root.

    With ``known_at`` the head is the log as it stood then (``IntegrityLog.as_of``): the
    tree of the events recorded by ``known_at`` and the checkpoints issued by then, so a
    review as known at T carries the proofs a review written at T would have carried.
    """

    def __init__(self, ledger: object, known_at: datetime | None = None) -> None:
        self.log = integrity_log_of(ledger)
        self.tree_size: int | None = None
        self.root: bytes | None = None
        self.checkpoint: Checkpoint | None = None
        self._builder: Any = None
        if self.log is not None:
            head: LogAt = self.log.as_of(known_at)
            self.tree_size, self.root = head.tree_size, head.root
            self.checkpoint = head.latest_checkpoint
            if self.tree_size:
                self._builder = self.log.proof_builder(self.tree_size)

    @property
    def available(self) -> bool:
        return self.log is not None

    def proof(self, aggregate_id: UUID, version: int) -> dict[str, Any]:
        """The proof of one event as a plain dict with its own verification result."""
        if self.log is None:
            return {"status": "unavailable"}
        try:
            proof = self.log.inclusion_proof(
                aggregate_id, version, self.tree_size, builder=self._builder
            )
        except LookupError:
            return {"status": "missing"}
        ok = bool(proof.verify())
        return {"status": "verified" if ok else "failed", "proof": proof.as_dict()}

    def summary(self) -> dict[str, Any]:
        """Tree head, latest signed checkpoint (of those issued by ``known_at``), and the
        consistency proof between them."""
        if self.log is None:
            return {
                "available": False,
                "reason_zh": "本台账未启用完整性日志，无法附上包含证明",
                "reason_en": "this ledger has no integrity log; inclusion proofs are unavailable",
            }
        out: dict[str, Any] = {
            "available": True,
            "tree_size": self.tree_size,
            "root": self.root.hex() if self.root else None,
            "checkpoint": None,
        }
        checkpoint = self.checkpoint
        if checkpoint is not None:
            out["checkpoint"] = {
                "origin": checkpoint.origin,
                "tree_size": checkpoint.tree_size,
                "root": checkpoint.root.hex(),
                "key_name": checkpoint.key_name,
                "signed_note": checkpoint.signed_note(),
            }
            if self.tree_size and 0 < checkpoint.tree_size <= self.tree_size:
                consistency = self.log.consistency_proof(checkpoint.tree_size, self.tree_size)
                out["consistency"] = {
                    "verified": bool(consistency.verify())
                    and consistency.old_root == checkpoint.root,
                    "proof": consistency.as_dict(),
                }
        return out
