"""Evidence bundles: one case's events with the proofs that they were never changed.

A bundle is one JSON file that an auditor checks offline, with no database and no
network: the case's stored events (payload bytes, base64), each event's header and
inclusion proof, a signed checkpoint covering all of them, and the public key that
signed it. ``verify_bundle`` needs only this module, ``leaf``, ``signing`` and
``ledger.merkle``; it never opens a store.

What a passing bundle proves, and what it does not, is spelled out in the outcome's
``statements`` so that the auditor reads it in plain words rather than infers it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson

from ledger import merkle

from .cosignature import WitnessPolicy
from .leaf import LeafHeader, encode_leaf, header_fields
from .signing import (
    CheckpointError,
    NoteSignature,
    SignedNote,
    VerifierKey,
    parse_note,
    parse_signed_note,
)
from .trust import TrustRoot

if TYPE_CHECKING:
    from .log import IntegrityLog

BUNDLE_FORMAT = "hazard-ledger/bundle/v1"


class BundleError(ValueError):
    """A bundle that cannot be exported."""


def export_bundle(log: IntegrityLog, case_id: UUID) -> dict[str, Any]:
    """Everything an offline auditor needs to check the case ``case_id``.

    Uses the latest checkpoint when it already covers every event of the case, else
    signs a new one (which needs the signing key).
    """
    from .log import stored_events_by_seq

    entries = log.entries(case_id)
    if not entries:
        raise BundleError(f"no logged events for {case_id}")
    last_seq = max(header.seq for header, _, _ in entries)
    checkpoint = log.latest_checkpoint()
    key = log.verifier_key()
    if key is None:
        raise BundleError("no public key to put in the bundle; run `ledger keys`")
    if checkpoint is None or checkpoint.tree_size <= last_seq or not checkpoint.verify(key):
        # The bundle carries the key that signed its checkpoint: when the configured
        # key did not sign the latest one (another key directory), sign a new one.
        checkpoint = log.issue_checkpoint()
    builder = log.proof_builder(checkpoint.tree_size)
    if builder.root(checkpoint.tree_size) != checkpoint.root:
        raise BundleError(
            "the log no longer matches its latest checkpoint; run `ledger verify` first"
        )
    payloads = stored_events_by_seq(log, (h.seq for h, _, _ in entries))
    redacted = log.redactions_for(h.seq for h, _, _ in entries)
    events = []
    for header, p_hash, l_hash in entries:
        note = redacted.get(header.seq)
        payload = payloads.get(header.seq)
        events.append(
            {
                "header": header.as_dict(),
                "payload_hash": p_hash.hex(),
                "leaf_hash": l_hash.hex(),
                "payload": None
                if note is not None or payload is None
                else base64.b64encode(payload).decode(),
                "redaction": note,
                "inclusion_proof": [
                    p.hex() for p in builder.inclusion_path(header.seq, checkpoint.tree_size)
                ],
            }
        )
    return {
        "format": BUNDLE_FORMAT,
        "case_id": str(case_id),
        "exported_at": datetime.now(tz=UTC).isoformat(),
        "checkpoint": SignedNote(
            checkpoint.origin,
            checkpoint.tree_size,
            checkpoint.root,
            (
                NoteSignature(checkpoint.key_name, checkpoint.key_id, checkpoint.signature),
                *log.cosignatures(checkpoint.tree_size),
            ),
        ).text(),
        "public_key": key.to_text(),
        "events": events,
    }


def write_bundle(bundle: dict[str, Any], path: Path) -> int:
    data = orjson.dumps(bundle, option=orjson.OPT_INDENT_2)
    path.write_bytes(data)
    return len(data)


@dataclass(slots=True)
class BundleOutcome:
    """The result of checking a bundle, in plain words in both languages."""

    ok: bool = False
    case_id: str = ""
    events: int = 0
    statements_zh: list[str] = field(default_factory=list)
    statements_en: list[str] = field(default_factory=list)
    problems_zh: list[str] = field(default_factory=list)
    problems_en: list[str] = field(default_factory=list)

    def say(self, zh: str, en: str) -> None:
        self.statements_zh.append(zh)
        self.statements_en.append(en)

    def problem(self, zh: str, en: str) -> None:
        self.problems_zh.append(zh)
        self.problems_en.append(en)

    def lines(self, lang: str = "zh") -> list[str]:
        if self.ok:
            head = ["证据包校验通过。已证明：" if lang == "zh" else "Bundle verified. Proven:"]
            return head + (self.statements_zh if lang == "zh" else self.statements_en)
        head = ["证据包校验失败：" if lang == "zh" else "Bundle REJECTED:"]
        return head + (self.problems_zh if lang == "zh" else self.problems_en)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "case_id": self.case_id,
            "events": self.events,
            "statements_zh": self.statements_zh,
            "statements_en": self.statements_en,
            "problems_zh": self.problems_zh,
            "problems_en": self.problems_en,
        }


def verify_bundle(
    data: bytes, trusted_key: str | None = None, policy: WitnessPolicy | None = None
) -> BundleOutcome:
    """Check a bundle offline: signature, every payload, every header, every proof.

    ``trusted_key``: the log keys to trust (vkeys, as ``TrustRoot.parse`` reads them);
    ``policy``: how many of which witnesses must have cosigned the bundle's checkpoint.
    """
    out = BundleOutcome()
    try:
        bundle = orjson.loads(data)
        if bundle.get("format") != BUNDLE_FORMAT:
            out.problem(
                "不是本系统的证据包（格式标识不符）", "not a hazard-ledger bundle (format differs)"
            )
            return out
        out.case_id = str(UUID(bundle["case_id"]))
        note = parse_note(bundle["checkpoint"])
        key = VerifierKey.from_text(bundle["public_key"])
        checkpoint = note.signed_by(key) or parse_signed_note(bundle["checkpoint"])
        events = bundle["events"]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        out.problem(f"证据包无法读取：{e}", f"the bundle cannot be read: {e}")
        return out
    if trusted_key is not None:
        try:
            pinned = TrustRoot.parse(trusted_key)
        except CheckpointError as e:
            out.problem(f"给定的公钥无效：{e}", f"the given public key is invalid: {e}")
            return out
        if pinned.signer(checkpoint) is None:
            out.problem(
                "证据包中的公钥不是您指定信任的公钥",
                "the bundle's public key is not the key you said to trust",
            )
            return out
    if not checkpoint.verify(key):
        out.problem(
            "检查点签名无效：检查点文本或签名被改动，或并非由该密钥签署",
            "the checkpoint signature does not verify: its text or signature was altered, "
            "or it was not signed by this key",
        )
        return out
    cosigners: list[str] = []
    if policy is not None and policy.quorum > 0:
        cosigners = policy.cosigners(note.body, note.signatures)
        if len(cosigners) < policy.quorum:
            out.problem(
                f"见证策略（{policy.quorum}/{len(policy.witnesses)}）未满足：检查点只有 "
                f"{len(cosigners)} 个所列见证方的有效联署",
                f"the witness policy ({policy.describe()}) is not met: the checkpoint carries "
                f"valid cosignatures of {len(cosigners)} of the listed witnesses",
            )
            return out
    versions: list[int] = []
    redacted = 0
    for i, event in enumerate(events):
        where_zh, where_en = f"第{i + 1}个事件", f"event #{i + 1}"
        try:
            header = LeafHeader.from_dict(event["header"])
            p_hash = bytes.fromhex(event["payload_hash"])
            proof = [bytes.fromhex(p) for p in event["inclusion_proof"]]
            payload_b64 = event.get("payload")
        except (KeyError, TypeError, ValueError) as e:
            out.problem(
                f"{where_zh}字段缺失或格式错误：{e}",
                f"{where_en} has missing or malformed fields: {e}",
            )
            continue
        where_zh = f"第{header.version}版事件（账本序号 {header.seq}）"
        where_en = f"event v{header.version} (ledger seq {header.seq})"
        if str(header.aggregate_id) != out.case_id:
            out.problem(f"{where_zh}不属于本案卷", f"{where_en} belongs to another aggregate")
            continue
        if payload_b64 is None:
            if not event.get("redaction"):
                out.problem(
                    f"{where_zh}缺少内容且无遮蔽记录",
                    f"{where_en} has no payload and no redaction record",
                )
                continue
            redacted += 1
        else:
            try:
                payload = base64.b64decode(payload_b64, validate=True)
            except binascii.Error:
                out.problem(
                    f"{where_zh}内容不是有效的 base64", f"{where_en} payload is not valid base64"
                )
                continue
            if hashlib.sha256(payload).digest() != p_hash:
                out.problem(
                    f"{where_zh}内容被改动：内容哈希与账本承诺的不符",
                    f"{where_en} content was changed: its hash differs from the committed one",
                )
                continue
            try:
                recorded_at, actor_id = header_fields(payload)
            except orjson.JSONDecodeError:
                out.problem(f"{where_zh}内容无法解析", f"{where_en} content cannot be decoded")
                continue
            if (recorded_at, actor_id) != (header.recorded_at, header.actor_id):
                out.problem(
                    f"{where_zh}内容中的记录时间或操作人与账本头部不符",
                    f"{where_en} content disagrees with its header on recorded time or actor",
                )
                continue
        leaf = merkle.leaf_hash(encode_leaf(header, p_hash))
        if not merkle.verify_inclusion(
            leaf, header.seq, checkpoint.tree_size, proof, checkpoint.root
        ):
            out.problem(
                f"{where_zh}的包含证明不成立：头部、内容哈希或证明路径被改动",
                f"{where_en} inclusion proof fails: its header, payload hash or proof was altered",
            )
            continue
        versions.append(header.version)
    if out.problems_zh:
        return out
    if not versions:
        out.problem("证据包中没有事件", "the bundle holds no events")
        return out
    versions.sort()
    complete = versions == list(range(1, len(versions) + 1))
    out.events = len(versions)
    out.ok = True
    key_line = f"{key.name}（密钥标识 {key.key_id.hex()}）"
    out.say(
        f"检查点：账本“{checkpoint.origin}”在共有 {checkpoint.tree_size} 个事件时的根哈希 "
        f"{checkpoint.root.hex()}，由密钥 {key_line} 签署，签名有效。",
        f"Checkpoint: ledger '{checkpoint.origin}' at {checkpoint.tree_size} events had root "
        f"{checkpoint.root.hex()}, signed by key {key.name} (key id {key.key_id.hex()}); "
        "the signature is valid.",
    )
    out.say(
        f"案卷 {out.case_id} 的 {len(versions)} 个事件（第{versions[0]}至{versions[-1]}版）"
        "逐字节地包含在该签名状态中：自签名时起未被改动、删除或调换顺序。",
        f"The {len(versions)} events of case {out.case_id} (versions {versions[0]}–{versions[-1]}) "
        "are, byte for byte, part of that signed state: not changed, removed or reordered since.",
    )
    if complete:
        out.say(
            f"版本号从1连续到{versions[-1]}，证据包中没有缺失的中间步骤。",
            f"Versions run without a gap from 1 to {versions[-1]}: no step in between is missing.",
        )
    else:
        out.say(
            f"注意：版本号不连续（{versions}），证据包未包含全部步骤。",
            f"Note: versions are not contiguous ({versions}); the bundle omits some steps.",
        )
    if cosigners:
        out.say(
            f"见证方 {', '.join(cosigners)} 联署了该检查点（策略 {policy.quorum if policy else 0}"
            f"/{len(policy.witnesses) if policy else 0}）：它们确认该状态是此前所见历史的追加。",
            f"Witnesses {', '.join(cosigners)} cosigned the checkpoint (policy "
            f"{policy.describe() if policy else ''}): they saw it extend, append-only, the "
            "history they had seen before.",
        )
    if redacted:
        out.say(
            f"其中 {redacted} 个事件的内容已依法遮蔽：其头部与内容哈希仍被证明，内容本身不可见。",
            f"{redacted} of them have redacted content: their header and content hash are "
            "still proven, the content itself is gone.",
        )
    if trusted_key is None:
        out.say(
            "未证明：签名密钥确属该账本运营方——请将上面的密钥标识与其公布的公钥核对"
            "（或用 --trusted-key 指定）；也未证明检查点之后没有新增事件。",
            "Not proven: that the signing key belongs to the ledger's operator — compare the "
            "key id above with the key they publish (or give it with --trusted-key); nor that "
            "no events were added after the checkpoint.",
        )
    else:
        out.say(
            "签名密钥是您指定信任的公钥。未证明：检查点之后没有新增事件。",
            "The signing key is one you said to trust. Not proven: that no events were added "
            "after the checkpoint.",
        )
    return out
