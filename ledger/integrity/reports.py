"""What the integrity log hands out: proofs and verification reports, as plain values.

Every type here can be checked without the store: an ``InclusionProof`` carries the
header and payload hash of its event, so ``verify()`` recomputes the leaf and walks the
path to the root on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from ledger import merkle

from .leaf import LeafHeader, encode_leaf


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """Proof that one event's leaf is at ``seq`` in the tree of ``tree_size`` leaves."""

    seq: int
    tree_size: int
    leaf_hash: bytes
    path: list[bytes]
    root: bytes
    header: LeafHeader
    payload_hash: bytes

    @property
    def aggregate_id(self) -> UUID:
        return self.header.aggregate_id

    @property
    def version(self) -> int:
        return self.header.version

    @property
    def event_type(self) -> str:
        return self.header.event_type

    @property
    def recorded_at(self) -> str:
        return self.header.recorded_at

    @property
    def actor_id(self) -> str:
        return self.header.actor_id

    def verify(self) -> bool:
        """The header and payload hash make this leaf, and the path leads to ``root``."""
        if self.header.seq != self.seq:
            return False
        if merkle.leaf_hash(encode_leaf(self.header, self.payload_hash)) != self.leaf_hash:
            return False
        return merkle.verify_inclusion(
            self.leaf_hash, self.seq, self.tree_size, self.path, self.root
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "tree_size": self.tree_size,
            "leaf_hash": self.leaf_hash.hex(),
            "path": [p.hex() for p in self.path],
            "root": self.root.hex(),
            "header": self.header.as_dict(),
            "payload_hash": self.payload_hash.hex(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InclusionProof:
        return cls(
            seq=int(data["seq"]),
            tree_size=int(data["tree_size"]),
            leaf_hash=bytes.fromhex(data["leaf_hash"]),
            path=[bytes.fromhex(p) for p in data["path"]],
            root=bytes.fromhex(data["root"]),
            header=LeafHeader.from_dict(data["header"]),
            payload_hash=bytes.fromhex(data["payload_hash"]),
        )


@dataclass(frozen=True, slots=True)
class ConsistencyProof:
    """Proof that the tree of ``old_size`` leaves is a prefix of the one of ``new_size``."""

    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    path: list[bytes]

    def verify(self) -> bool:
        return merkle.verify_consistency(
            self.old_size, self.new_size, self.old_root, self.new_root, self.path
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "old_size": self.old_size,
            "new_size": self.new_size,
            "old_root": self.old_root.hex(),
            "new_root": self.new_root.hex(),
            "path": [p.hex() for p in self.path],
        }


# Failure codes, with what they mean in both languages.
FAILURE_TEXT: dict[str, tuple[str, str]] = {
    "SEQ_GAP": (
        "账本序号缺失（日志行被删除）",
        "a ledger sequence number is missing (log row deleted)",
    ),
    "EVENT_MISSING": ("事件记录被删除", "the stored event has been deleted"),
    "HEADER_MISMATCH": (
        "事件的标识字段与日志不一致（被改动或调换位置）",
        "the event's identifying fields differ from the log (edited or moved)",
    ),
    "PAYLOAD_CHANGED": (
        "事件内容被改动（内容哈希不符）",
        "the event's content was changed (payload hash differs)",
    ),
    "PAYLOAD_UNREADABLE": ("事件内容无法解析", "the event's content cannot be decoded"),
    "LEAF_MISMATCH": ("日志中的叶哈希被改动", "the leaf hash stored in the log was changed"),
    "UNLOGGED_EVENT": (
        "存在未登记到完整性日志的事件",
        "an event exists that is not in the integrity log",
    ),
    "NODE_MISMATCH": (
        "保存的子树哈希与重算结果不符（证明将无法通过校验）",
        "a stored subtree hash differs from the recomputed one (proofs would not verify)",
    ),
    "NODE_BEYOND_LOG": (
        "保存的子树哈希覆盖了日志中不存在的事件",
        "a stored subtree hash covers events the log does not hold",
    ),
    "TREE_SIZE_MISMATCH": (
        "树的大小与日志行数不符",
        "the tree size differs from the number of log rows",
    ),
    "ROOT_MISMATCH": (
        "重算的根哈希与保存的不符",
        "the recomputed root differs from the stored root",
    ),
    "CHECKPOINT_MISMATCH": (
        "重算的根哈希与已签名检查点不符",
        "the recomputed root differs from a signed checkpoint",
    ),
    "CHECKPOINT_BEYOND_LOG": (
        "已签名检查点覆盖的事件多于现存日志（尾部被删除）",
        "a signed checkpoint covers more events than the log now holds (tail deleted)",
    ),
    "CHECKPOINT_SIGNATURE_INVALID": ("检查点签名无效", "a checkpoint's signature does not verify"),
    "REDACTION_UNRECORDED": (
        "遮蔽记录没有对应的已登记遮蔽事件（伪造的遮蔽）",
        "a redaction row has no logged redaction event (a forged redaction)",
    ),
    "REDACTION_ROW_MISSING": (
        "已登记的遮蔽事件在遮蔽表中没有记录",
        "a logged redaction event has no row in the redactions table",
    ),
    "REDACTION_ROW_CHANGED": (
        "遮蔽表中的记录与已登记的遮蔽事件不符",
        "a redactions row differs from its logged redaction event",
    ),
    "KEPT_CHECKPOINT_BEYOND_LOG": (
        "外部保存的检查点覆盖的事件多于现存日志（事件被删除）",
        "a checkpoint kept outside covers more events than the log now holds (events removed)",
    ),
    "KEPT_CHECKPOINT_MISMATCH": (
        "重算的根哈希与外部保存的检查点不符（历史被改写）",
        "the recomputed root differs from a checkpoint kept outside (history rewritten)",
    ),
    "KEPT_CHECKPOINT_INCONSISTENT": (
        "现存日志与外部保存的检查点之间的一致性证明不成立",
        "the consistency proof from a checkpoint kept outside to the log now does not verify",
    ),
}


@dataclass(frozen=True, slots=True)
class Failure:
    """One place where the stored history differs from what was committed."""

    code: str
    seq: int | None
    aggregate_id: str | None = None
    version: int | None = None
    detail: str = ""

    def message(self, lang: str = "zh") -> str:
        zh, en = FAILURE_TEXT.get(self.code, (self.code, self.code))
        where_zh = f"序号 {self.seq}" if self.seq is not None else "全局"
        where_en = f"seq {self.seq}" if self.seq is not None else "overall"
        if self.aggregate_id is not None:
            where_zh += f"（{self.aggregate_id} 第{self.version}版）"
            where_en += f" ({self.aggregate_id} v{self.version})"
        detail = f": {self.detail}" if self.detail else ""
        if lang == "zh":
            return f"{where_zh}：{zh}{detail}"
        return f"{where_en}: {en}{detail}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "seq": self.seq,
            "aggregate_id": self.aggregate_id,
            "version": self.version,
            "detail": self.detail,
            "message_zh": self.message("zh"),
            "message_en": self.message("en"),
        }


@dataclass(slots=True)
class VerifyReport:
    """The outcome of recomputing the whole log from the stored events."""

    events_checked: int = 0
    tree_size: int = 0
    root: bytes = b""
    checkpoints_checked: int = 0
    signatures_checked: int = 0
    redacted: list[int] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    # Roots recomputed from the events at every checkpoint's size (and any asked for).
    prefix_roots: dict[int, bytes] = field(default_factory=dict)
    # Stored checkpoints signed by a key outside the trust root the caller gave.
    untrusted: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def first_failure(self) -> Failure | None:
        located = [f for f in self.failures if f.seq is not None]
        if located:
            return min(located, key=lambda f: f.seq if f.seq is not None else -1)
        return self.failures[0] if self.failures else None

    def summary(self, lang: str = "zh") -> str:
        if self.ok:
            if lang == "zh":
                return (
                    f"重算一致：{self.events_checked} 个事件逐一重算，与库中保存的一致，"
                    f"根哈希 {self.root.hex()}，核对库中检查点 {self.checkpoints_checked} 个"
                    f"（验签 {self.signatures_checked} 个），"
                    f"已依法遮蔽内容 {len(self.redacted)} 个。"
                )
            return (
                f"Recomputed and consistent: {self.events_checked} events agree with what the "
                f"store holds, root {self.root.hex()}, {self.checkpoints_checked} stored "
                "checkpoints matched "
                f"({self.signatures_checked} signatures checked), "
                f"{len(self.redacted)} payloads redacted."
            )
        first = self.first_failure
        assert first is not None
        if lang == "zh":
            return f"完整性校验失败（{len(self.failures)} 处）。首个差异：{first.message('zh')}"
        return (
            f"Integrity check FAILED ({len(self.failures)} findings). "
            f"First difference: {first.message('en')}"
        )

    def as_dict(self) -> dict[str, Any]:
        first = self.first_failure
        return {
            "ok": self.ok,
            "events_checked": self.events_checked,
            "tree_size": self.tree_size,
            "root": self.root.hex(),
            "checkpoints_checked": self.checkpoints_checked,
            "signatures_checked": self.signatures_checked,
            "redacted": self.redacted,
            "first_failure": first.as_dict() if first else None,
            "failures": [f.as_dict() for f in self.failures],
            "seconds": round(self.seconds, 3),
        }
