"""Proof status of each event of one aggregate, for timelines and reviews.

An event is "verified" when its stored payload still has the committed hash and its
leaf is included under the latest signed checkpoint (whose signature checks when the
public key is known), or, before any checkpoint covers it, under the current root.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from ledger import merkle

from .leaf import encode_leaf
from .log import IntegrityLog, stored_events_by_seq


@dataclass(frozen=True, slots=True)
class ProofStatus:
    """Whether one event is proven, and against what."""

    seq: int | None
    status: str  # verified | verified_unsigned | redacted | tampered | not_logged
    tree_size: int = 0
    """The size of the tree the proof was checked against."""
    key_id: str = ""
    """The signing key's id when that tree is a signed checkpoint; empty for the current,
    not yet signed root."""

    @property
    def against(self) -> str:
        """What the proof was checked against, for logs and the JSON answer."""
        if not self.tree_size:
            return ""
        if self.key_id:
            return f"checkpoint {self.tree_size} (key id {self.key_id})"
        return f"current root at {self.tree_size} events (not yet signed)"

    def against_label(self, lang: str = "zh") -> str:
        """What the proof was checked against, as people read it."""
        if not self.tree_size:
            return ""
        key = self.key_id[:16]
        if lang == "zh":
            return (
                f"已签名检查点（{self.tree_size} 条事件，密钥标识 {key}）"
                if key
                else f"当前根（{self.tree_size} 条事件，尚未签名）"
            )
        return (
            f"signed checkpoint of {self.tree_size} events (key id {key})"
            if key
            else f"current root of {self.tree_size} events (not yet signed)"
        )

    def label(self, lang: str = "zh") -> str:
        zh = {
            "verified": "已证明（已签名检查点）",
            "verified_unsigned": "已证明（当前根，尚未签名）",
            "redacted": "内容已遮蔽，头部已证明",
            "tampered": "校验失败：已被改动",
            "not_logged": "未登记于完整性日志",
        }
        en = {
            "verified": "proven (signed checkpoint)",
            "verified_unsigned": "proven (current root, not yet signed)",
            "redacted": "content redacted, header proven",
            "tampered": "FAILED: changed",
            "not_logged": "not in the integrity log",
        }
        return (zh if lang == "zh" else en)[self.status]

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "status": self.status,
            "against": self.against,
            "label_zh": self.label("zh"),
            "label_en": self.label("en"),
        }


def proof_statuses(
    log: IntegrityLog, aggregate_id: UUID, *, known_at: datetime | None = None
) -> dict[int, ProofStatus]:
    """Proof status of every logged event of ``aggregate_id``, keyed by version.

    ``known_at``: as the log stood then (its size, root and the checkpoints issued by
    then), so a timeline as known at T carries the proofs that could be given at T.
    """
    stood = log.as_of(known_at)
    entries = [e for e in log.entries(aggregate_id) if e[0].seq < stood.tree_size]
    if not entries:
        return {}
    checkpoint = stood.latest_checkpoint
    key = log.verifier_key()
    size, root = stood.tree_size, stood.root
    signed = False
    if checkpoint is not None and (key is None or checkpoint.verify(key)):
        size, root, signed = checkpoint.tree_size, checkpoint.root, True
    current_size, current_root = stood.tree_size, stood.root
    builder = log.proof_builder(max(size, current_size))
    payloads = stored_events_by_seq(log, (h.seq for h, _, _ in entries))
    redactions = log.redactions_for(h.seq for h, _, _ in entries)
    out: dict[int, ProofStatus] = {}
    for header, p_hash, l_hash in entries:
        use_signed = signed and header.seq < size
        t_size, t_root = (size, root) if use_signed else (current_size, current_root)
        payload = payloads.get(header.seq)
        leaf = merkle.leaf_hash(encode_leaf(header, p_hash))
        try:
            included = leaf == l_hash and merkle.verify_inclusion(
                leaf, header.seq, t_size, builder.inclusion_path(header.seq, t_size), t_root
            )
        except LookupError:
            included = False
        if not included or payload is None:
            status = "tampered"
        elif (actual := hashlib.sha256(payload).hexdigest()) != p_hash.hex():
            lawful = redactions.get(header.seq, {}).get("payload_hash") == actual
            status = "redacted" if lawful else "tampered"
        else:
            status = "verified" if use_signed else "verified_unsigned"
        out[header.version] = ProofStatus(
            header.seq,
            status,
            t_size,
            checkpoint.key_id.hex() if use_signed and checkpoint is not None else "",
        )
    return out
