"""Evidence bundles: one case's events with the proofs that they were never changed.

A bundle is one JSON file that an auditor checks offline, with no database and no
network: the case's stored events (payload bytes, base64), each event's header and
inclusion proof, a signed checkpoint covering all of them, the public key that signed
it, and every evidence file (photo, scan) the events cite by SHA-256 (base64). The
events commit to the files' hashes, so re-hashing each file proves it too; a file
missing, altered or cited by no event refuses the bundle. ``verify_bundle`` needs only
this module, ``leaf``, ``signing``, ``ledger.evidence`` and ``ledger.merkle``; it never
opens a store. The files come from whoever exports (``export_bundle(files=...)``): the
entry points pass their evidence store, so the core never learns where files live.

What a passing bundle proves, and what it does not, is spelled out in the outcome's
``statements`` so that the auditor reads it in plain words rather than infers it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson

from ledger import merkle
from ledger.evidence import citation, cited_files

from .cosignature import WitnessPolicy
from .leaf import LeafHeader, encode_leaf, header_fields
from .signing import (
    Checkpoint,
    CheckpointError,
    NoteSignature,
    SignedNote,
    VerifierKey,
    parse_note,
    parse_signed_note,
    sign_checkpoint,
)
from .trust import TrustRoot

if TYPE_CHECKING:
    from .as_of import LogAt
    from .log import IntegrityLog

BUNDLE_FORMAT = "hazard-ledger/bundle/v1"

MAX_EVIDENCE_BYTES = 64 * 1024 * 1024
"""The evidence files one bundle carries, together: six scans at the 10 MB upload limit,
or 10–30 phone photos. The bundle is built in memory (files, base64, JSON: about four
times this at peak), so a case beyond it is refused at export rather than half-carried."""

MAX_BUNDLE_BYTES = 2 * MAX_EVIDENCE_BYTES
"""The largest bundle checked: the files in base64 (4/3 of them) with room for events."""

FileSource = Callable[[str], bytes | None]
"""A file's bytes by its hex SHA-256, None when absent (an evidence store's ``get``)."""


class BundleError(ValueError):
    """A bundle that cannot be exported, said in English (``str``) and Chinese."""

    def __init__(self, message_en: str, message_zh: str = "") -> None:
        super().__init__(message_en)
        self.message_zh = message_zh or message_en

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else str(self)


class EvidenceUnavailable(BundleError):
    """A file the case's events cite that the bundle cannot carry: not in the evidence
    store, no longer matching its hash there, or more than ``MAX_EVIDENCE_BYTES`` in all."""


def export_bundle(
    log: IntegrityLog,
    case_id: UUID,
    files: FileSource | None = None,
    *,
    known_at: datetime | None = None,
) -> dict[str, Any]:
    """Everything an offline auditor needs to check the case ``case_id``.

    Uses the latest checkpoint when it already covers every event of the case, else
    signs a new one (which needs the signing key). ``files`` gives the evidence files
    the events cite; without it a case citing any file cannot be bundled.

    With ``known_at`` the bundle is the one a bundle exported at that moment would have
    been: only the events recorded by then, proven against the log as it stood then
    (``IntegrityLog.as_of``) under the latest checkpoint issued by then that covers them,
    or else under that old tree head signed now and not stored (a checkpoint stored now
    would change what the log "as of" an earlier moment lists).
    """
    from .log import stored_events_by_seq

    head = log.as_of(known_at) if known_at is not None else None
    entries = [
        entry for entry in log.entries(case_id) if head is None or entry[0].seq < head.tree_size
    ]
    if not entries:
        raise BundleError(f"no logged events for {case_id}", f"案卷 {case_id} 没有已记录的事件")
    last_seq = max(header.seq for header, _, _ in entries)
    checkpoint = log.latest_checkpoint() if head is None else head.latest_checkpoint
    key = log.verifier_key()
    if key is None:
        raise BundleError(
            "no public key to put in the bundle; run `ledger keys`",
            "没有可放入证据包的公钥；请先运行 `ledger keys`",
        )
    if checkpoint is None or checkpoint.tree_size <= last_seq or not checkpoint.verify(key):
        # The bundle carries the key that signed its checkpoint: when the configured
        # key did not sign the latest one (another key directory), sign a new one.
        checkpoint = log.issue_checkpoint() if head is None else _signed_head(log, head)
    builder = log.proof_builder(checkpoint.tree_size)
    if builder.root(checkpoint.tree_size) != checkpoint.root:
        raise BundleError(
            "the log no longer matches its latest checkpoint; run `ledger verify` first",
            "账本与其最新检查点不再一致；请先运行 `ledger verify`",
        )
    payloads = stored_events_by_seq(log, (h.seq for h, _, _ in entries))
    redacted = log.redactions_for(h.seq for h, _, _ in entries)
    events = []
    citing: dict[str, LeafHeader] = {}
    for header, p_hash, l_hash in entries:
        note = redacted.get(header.seq)
        payload = None if note is not None else payloads.get(header.seq)
        for digest in _citations(payload)[0] if payload is not None else ():
            citing.setdefault(digest, header)
        events.append(
            {
                "header": header.as_dict(),
                "payload_hash": p_hash.hex(),
                "leaf_hash": l_hash.hex(),
                "payload": None if payload is None else base64.b64encode(payload).decode(),
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
        "evidence_files": _carried_files(citing, files),
    }


def _signed_head(log: IntegrityLog, head: LogAt) -> Checkpoint:
    """The log's head as of an earlier moment, signed now and not stored."""
    key = log.signing_key()
    if key is None:
        raise BundleError(
            "no signing key to sign the log's head of that moment; run `ledger keys`",
            "没有可签署该时点日志树头的签名密钥；请先运行 `ledger keys`",
        )
    return sign_checkpoint(key, log.origin, head.tree_size, head.root, log.clock().isoformat())


def _citations(payload: bytes) -> tuple[list[str], int]:
    """The files a stored event cites (``ledger.evidence``), and its other evidence."""
    try:
        state = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return [], 0
    return cited_files(state) if isinstance(state, dict) else ([], 0)


def _carried_files(citing: dict[str, LeafHeader], files: FileSource | None) -> list[Any]:
    """Each cited file once, as ``{"sha256", "content"}``, checked against its hash."""
    carried: list[Any] = []
    total = 0
    for digest, header in citing.items():
        name = f"sha256:{digest}"
        by_zh = f"第{header.version}版事件（账本序号 {header.seq}）引用的证据文件 {name}"
        by_en = f"evidence file {name}, cited by event v{header.version} (ledger seq {header.seq}),"
        data = None if files is None else files(digest)
        if data is None:
            raise EvidenceUnavailable(
                f"{by_en} is not in the evidence store; the bundle cannot prove it",
                f"{by_zh}不在证据文件存储中，证据包无法证明该文件",
            )
        if hashlib.sha256(data).hexdigest() != digest:
            raise EvidenceUnavailable(
                f"{by_en} no longer has that hash in the evidence store (altered there)",
                f"{by_zh}在证据文件存储中的内容与其哈希不符（已被改动）",
            )
        total += len(data)
        if total > MAX_EVIDENCE_BYTES:
            limit = MAX_EVIDENCE_BYTES // 1048576
            raise EvidenceUnavailable(
                f"the evidence files this case cites exceed {limit} MB, the most one bundle "
                f"carries (reached at {name})",
                f"本案卷引用的证据文件合计超过单个证据包的上限 {limit} MB（至 {name} 时超出）",
            )
        carried.append({"sha256": digest, "content": base64.b64encode(data).decode()})
    return carried


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
    files: int = 0
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
            "files": self.files,
            "statements_zh": self.statements_zh,
            "statements_en": self.statements_en,
            "problems_zh": self.problems_zh,
            "problems_en": self.problems_en,
        }


def verify_bundle(
    data: bytes, trusted_key: str | None = None, policy: WitnessPolicy | None = None
) -> BundleOutcome:
    """Check a bundle offline: signature, every payload, header and proof, and every
    evidence file against the hash its events cite.

    ``trusted_key``: the log keys to trust (vkeys, as ``TrustRoot.parse`` reads them);
    ``policy``: how many of which witnesses must have cosigned the bundle's checkpoint.
    """
    out = BundleOutcome()
    if len(data) > MAX_BUNDLE_BYTES:
        limit = MAX_BUNDLE_BYTES // 1048576
        out.problem(
            f"证据包超过 {limit} MB，不是本系统出具的证据包",
            f"the bundle exceeds {limit} MB, more than this system ever exports",
        )
        return out
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
    except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError) as e:
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
    cited: dict[str, tuple[str, str]] = {}
    not_files = 0
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
            except (TypeError, ValueError):  # not text, not ASCII, not base64
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
            digests, others = _citations(payload)
            not_files += others
            for digest in digests:
                cited.setdefault(digest, (where_zh, where_en))
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
    files = _check_files(bundle.get("evidence_files"), cited, out)
    if out.problems_zh:
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
    if files:
        out.files = files
        out.say(
            f"事件引用的 {files} 个证据文件（照片、扫描件）随包附带，逐一重新计算的 SHA-256 "
            "与事件中记录的一致：文件与引用它的事件一样，自签名时起未被改动。",
            f"The {files} evidence files (photos, scans) the events cite are in the bundle, and "
            "each re-computed SHA-256 matches the one its event records: like the events "
            "citing them, they are unchanged since signing.",
        )
    if not_files:
        out.say(
            f"另有 {not_files} 条证据记录不是文件哈希（文字说明或旧式引用），无文件可核对。",
            f"{not_files} other evidence entries are not file hashes (notes or older "
            "references): there is no file to check for them.",
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


def _check_files(entries: Any, cited: dict[str, tuple[str, str]], out: BundleOutcome) -> int:
    """Re-hash each carried file: every cited file present and unchanged, none uncited.

    ``cited`` maps each hash the proven events cite to the first citing event's name in
    Chinese and English. Returns how many cited files were proven.
    """
    if entries is None:
        entries = []  # a bundle from before files were carried: fine if nothing is cited
    if not isinstance(entries, list):
        out.problem("证据文件列表格式错误", "the evidence file list is malformed")
        return 0
    proven: set[str] = set()
    altered: set[str] = set()
    for i, entry in enumerate(entries):
        try:
            stated = entry["sha256"]
            content = base64.b64decode(entry["content"], validate=True)
            if not isinstance(stated, str):
                raise TypeError("sha256 is not text")
        except (KeyError, TypeError, ValueError) as e:  # binascii.Error is a ValueError
            out.problem(
                f"第{i + 1}个证据文件字段缺失或格式错误：{e}",
                f"evidence file #{i + 1} has missing or malformed fields: {e}",
            )
            continue
        # the bundle's own word for the file: shown as a citation only when it is one
        name = f"sha256:{stated}" if citation(stated) == stated else repr(stated[:72])
        if stated not in cited:
            out.problem(
                f"证据文件 {name} 未被证据包中任何事件引用：它不是本案卷的证据",
                f"evidence file {name} is cited by no event in the bundle: it is not this "
                "case's evidence",
            )
            continue
        where_zh, where_en = cited[stated]
        if hashlib.sha256(content).hexdigest() != stated:
            altered.add(stated)
            out.problem(
                f"{where_zh}引用的证据文件 {name} 被改动：其内容的 SHA-256 与事件中记录的不符",
                f"evidence file {name}, cited by {where_en}, was altered: the SHA-256 of its "
                "content differs from the one the event records",
            )
            continue
        proven.add(stated)
    for digest, (where_zh, where_en) in cited.items():
        if digest not in proven and digest not in altered:
            out.problem(
                f"{where_zh}引用的证据文件 sha256:{digest} 不在证据包中",
                f"evidence file sha256:{digest}, cited by {where_en}, is missing from the bundle",
            )
    return len(proven)
