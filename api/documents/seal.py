"""The seal a printed document carries in its QR code, and its offline check.

The seal names the events the document shows and proves them: for each, the leaf header
(its position ``seq`` in the log, aggregate, version, type, recording time, actor) and
the stored payload bytes, plus the RFC 9162 inclusion path to a tree size; and the
C2SP signed checkpoint of that tree. A verifier with nothing but the seal and the
ledger's public key recomputes each payload hash and leaf hash, walks the path to the
checkpoint's root, checks the checkpoint's signature, re-derives the document's content
from the payloads (``content``) and compares it with what the paper shows.

QR bytes (byte mode): ``HLP1`` + zlib(uint32 length || JSON || node table) with JSON::

    {"kind": <document kind>, "note": <signed checkpoint note>,
     "events": [{"role", "header", "payload" (the stored JSON text),
                 "path" [index into the node table, ...]}, ...]}

and the node table the 32-byte hashes of all paths, each once, concatenated.

A document whose payloads outgrow the largest QR code carries a *linked* seal instead
(``HLL1``, decision 0030): the same JSON with ``"link"`` (the ledger service's public
address) and each event's ``"payload_hash"`` in place of its payload. Offline that still
proves the checkpoint and every event's inclusion; the paper's text is compared once the
payloads are fetched from ``GET /p/{leaf-hash-prefix}`` (``verify-print --online``), each
checked against its sealed hash, so the service answering the link need not be trusted.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import orjson

from ledger import merkle
from ledger.application import HazardLedger
from ledger.integrity.leaf import LeafHeader, leaf_hash_of, payload_hash
from ledger.integrity.log import stored_events_by_seq
from ledger.integrity.signing import Checkpoint, CheckpointError, parse_signed_note
from ledger.integrity.trust import TrustRoot

from .content import CONTENT, DocumentContent

MAGIC = b"HLP1"
LINK_MAGIC = b"HLL1"
_U32 = struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class SealedEvent:
    """One event a document shows: its leaf header, stored payload and inclusion path."""

    role: str
    header: LeafHeader
    payload: bytes
    path: tuple[bytes, ...]
    sealed_hash: bytes | None = None
    """A linked seal's payload hash (its payload then travels by the short link)."""

    @property
    def payload_sha(self) -> bytes:
        """The payload hash the leaf commits to: sealed, or computed from the payload."""
        return self.sealed_hash if self.sealed_hash is not None else payload_hash(self.payload)

    @property
    def leaf_hash(self) -> bytes:
        h = self.header
        return leaf_hash_of(
            h.seq,
            str(h.aggregate_id),
            h.version,
            h.event_type,
            h.recorded_at,
            h.actor_id,
            self.payload_sha,
        )

    def payload_dict(self) -> dict[str, Any]:
        data = orjson.loads(self.payload)
        return data if isinstance(data, dict) else {}


@dataclass(frozen=True, slots=True)
class Seal:
    """What the QR code carries: the document kind, the sealed events, the checkpoint."""

    kind: str
    events: tuple[SealedEvent, ...]
    note: str
    link: str | None = None
    """A linked seal's service address (``https://…``): payloads are fetched from it."""

    def linked(self, link: str) -> Seal:
        """The same seal with its payloads left to the short link ``link``/p/…"""
        events = tuple(replace(e, payload=b"", sealed_hash=e.payload_sha) for e in self.events)
        return replace(self, events=events, link=link.rstrip("/"))

    def short_link(self, event: SealedEvent) -> str:
        """Where ``event``'s payload and proof are answered (``GET /p/{prefix}``)."""
        return f"{self.link or ''}/p/{event.leaf_hash.hex()[:LINK_PREFIX_HEX]}"

    def content(self) -> DocumentContent:
        """The document's content as the sealed payloads say it."""
        return CONTENT[self.kind]({e.role: e.payload_dict() for e in self.events})

    def to_bytes(self) -> bytes:
        """The QR code's bytes: ``MAGIC`` + zlib(u32 length + JSON + inclusion nodes).

        Payloads travel as their JSON text (it compresses; its UTF-8 bytes are the stored
        bytes); every node hash appears once in a shared table and paths name nodes by
        index, because the paths of events recorded close together share most nodes.
        """
        nodes: dict[bytes, int] = {}
        events = []
        for e in self.events:
            event: dict[str, Any] = {"role": e.role, "header": e.header.as_dict()}
            if self.link is None:
                event["payload"] = e.payload.decode("utf-8")
            else:
                event["payload_hash"] = e.payload_sha.hex()
            event["path"] = [nodes.setdefault(p, len(nodes)) for p in e.path]
            events.append(event)
        head: dict[str, Any] = {"kind": self.kind, "note": self.note, "events": events}
        if self.link is not None:
            head["link"] = self.link
        body = orjson.dumps(head)
        packed = _U32.pack(len(body)) + body + b"".join(nodes)
        return (MAGIC if self.link is None else LINK_MAGIC) + zlib.compress(packed, 9)

    @classmethod
    def from_bytes(cls, data: bytes) -> Seal:
        if not data.startswith((MAGIC, LINK_MAGIC)):
            raise SealError("not_a_seal")
        linked = data.startswith(LINK_MAGIC)
        try:
            packed = zlib.decompress(data[len(MAGIC) :])
            (length,) = _U32.unpack_from(packed)
            body = orjson.loads(packed[4 : 4 + length])
            table = packed[4 + length :]
            node = [table[i : i + 32] for i in range(0, len(table), 32)]
            return cls(
                kind=str(body["kind"]),
                note=str(body["note"]),
                link=str(body["link"]) if linked else None,
                events=tuple(
                    SealedEvent(
                        role=str(e["role"]),
                        header=LeafHeader.from_dict(e["header"]),
                        payload=b"" if linked else str(e["payload"]).encode("utf-8"),
                        path=tuple(node[int(i)] for i in e["path"]),
                        sealed_hash=bytes.fromhex(str(e["payload_hash"])) if linked else None,
                    )
                    for e in body["events"]
                ),
            )
        except (ValueError, KeyError, TypeError, IndexError, struct.error, zlib.error) as e:
            raise SealError("not_a_seal", str(e)) from None


MESSAGES: dict[str, tuple[str, str]] = {
    "verified": (
        "核验通过：纸面内容与账本中已签名检查点所含的记录一致",
        "verified: the printed content matches events in a signed checkpoint of the ledger",
    ),
    "no_seal": ("文件中未找到核验二维码", "no verification QR code found in the file"),
    "not_a_seal": ("二维码不是本系统的文书核验码", "the QR code is not a ledger document seal"),
    "bad_checkpoint": ("二维码中的检查点无法解析", "the checkpoint in the QR code cannot be read"),
    "untrusted": (
        "检查点不是受信任的账本密钥签发的：文书可能来自另一个账本，或检查点被伪造",
        "the checkpoint is not signed by a trusted ledger key: the document comes from "
        "another ledger, or the checkpoint was forged",
    ),
    "not_included": (
        "记录不在已签名的检查点中：二维码中的记录被改动，或不属于该账本",
        "the events are not in the signed checkpoint: the QR code's records were altered "
        "or belong to another ledger",
    ),
    "content_changed": (
        "纸面内容与账本记录不一致：以下内容被改动",
        "the printed content differs from the ledger's record: these lines were changed",
    ),
    "content_unchecked": (
        "检查点签名与记录的纳入证明已离线核验；文书内容未随二维码携带，离线无法核对纸面文字："
        "请使用 --online 服务地址（二维码旁所印短链接的服务）核验内容",
        "the checkpoint's signature and the events' inclusion are verified offline; the "
        "document's content does not travel in the QR code, so the printed text could not "
        "be checked offline: verify with --online and the ledger service's address (the "
        "short link printed beside the QR code)",
    ),
    "link_unavailable": (
        "无法从短链接取得记录内容：服务不可达，或该记录不在服务的账本中",
        "the short link did not answer the events' content: the service is unreachable or "
        "does not hold the events",
    ),
    "link_mismatch": (
        "短链接返回的记录内容与二维码所封的哈希不符：服务返回的内容不可信",
        "the content the short link answered does not match the hash sealed in the QR code: "
        "the service's answer cannot be trusted",
    ),
    "compare_by_eye": (
        "二维码核验通过（检查点签名与记录均已核验）；图片中无法读取文字，请逐行对照以下内容与纸面是否一致",
        "the QR code verifies (checkpoint signature and events); the picture carries no "
        "readable text: compare the lines below with the paper, line by line",
    ),
}

#: Hex digits of the leaf hash a short link names (128 bits: a link cannot be guessed).
LINK_PREFIX_HEX = 32

#: Answers an event's stored payload from its short link (``None``: no answer).
Fetch = Callable[[Seal, SealedEvent], bytes | None]


class SealError(ValueError):
    """A seal that cannot be read; ``code`` keys ``MESSAGES``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code


@dataclass(frozen=True, slots=True)
class SealCheck:
    """The verdict on a printed document: a status code, its message, what differs."""

    status: str
    seal: Seal | None = None
    checkpoint: Checkpoint | None = None
    differing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "verified"

    def message(self, lang: str = "zh") -> str:
        zh, en = MESSAGES[self.status]
        return en if lang.startswith("en") else zh

    def as_dict(self) -> dict[str, Any]:
        zh, en = MESSAGES[self.status]
        out: dict[str, Any] = {"status": self.status, "message_zh": zh, "message_en": en}
        if self.seal is not None:
            out["kind"] = self.seal.kind
            out["events"] = [
                {**e.header.as_dict(), "role": e.role, "leaf_hash": e.leaf_hash.hex()}
                for e in self.seal.events
            ]
        if self.checkpoint is not None:
            out["checkpoint"] = {
                "origin": self.checkpoint.origin,
                "tree_size": self.checkpoint.tree_size,
                "root": self.checkpoint.root.hex(),
            }
        if self.differing:
            out["differing"] = list(self.differing)
        return out


def check(seal: Seal, printed_text: str, trust: TrustRoot, fetch: Fetch | None = None) -> SealCheck:
    """Judge a seal against the trusted keys and the text printed beside it, offline.

    Order matters for the message: a checkpoint no trusted key signed says "another
    ledger"; events not under its root say "records altered"; a content line missing
    from the paper says "content changed" and names the line. A linked seal's payloads
    come from ``fetch`` (the short link), each required to hash to the sealed hash;
    without ``fetch`` the verdict says the content could not be checked offline.
    """
    try:
        checkpoint = parse_signed_note(seal.note)
    except CheckpointError:
        return SealCheck("bad_checkpoint", seal)
    if trust.signer(checkpoint) is None:
        return SealCheck("untrusted", seal, checkpoint)
    for event in seal.events:
        if not merkle.verify_inclusion(
            event.leaf_hash,
            event.header.seq,
            checkpoint.tree_size,
            list(event.path),
            checkpoint.root,
        ):
            return SealCheck("not_included", seal, checkpoint)
    if seal.link is not None:
        if fetch is None:
            return SealCheck("content_unchecked", seal, checkpoint)
        filled = []
        for event in seal.events:
            payload = fetch(seal, event)
            if payload is None:
                return SealCheck("link_unavailable", seal, checkpoint)
            if payload_hash(payload) != event.payload_sha:
                return SealCheck("link_mismatch", seal, checkpoint)
            filled.append(replace(event, payload=payload))
        seal = replace(seal, events=tuple(filled))
    try:
        expected = seal.content().lines()
    except (KeyError, TypeError):
        return SealCheck("not_a_seal", seal, checkpoint)
    paper = _squeeze(printed_text)
    differing = tuple(line for line in expected if _squeeze(line) not in paper)
    if differing:
        return SealCheck("content_changed", seal, checkpoint, differing)
    return SealCheck("verified", seal, checkpoint)


def _squeeze(text: str) -> str:
    """Text without whitespace: wrapping on paper must not count as a change."""
    return "".join(text.split())


# ---- making a seal from the ledger --------------------------------------------------------


def seal_events(
    ledger: HazardLedger, kind: str, wanted: Sequence[tuple[str, UUID, int]], checkpoint: Checkpoint
) -> Seal:
    """Seal the events ``(role, aggregate_id, version)`` under ``checkpoint``."""
    log = ledger.integrity
    found: list[tuple[str, LeafHeader]] = []
    for role, aggregate_id, version in wanted:
        header = next((h for h, _, _ in log.entries(aggregate_id) if h.version == version), None)
        if header is None or header.seq >= checkpoint.tree_size:
            raise LookupError(f"{aggregate_id} v{version}")
        found.append((role, header))
    payloads = stored_events_by_seq(log, [h.seq for _, h in found])
    builder = log.proof_builder(checkpoint.tree_size)
    events = tuple(
        SealedEvent(
            role=role,
            header=header,
            payload=payloads[header.seq],
            path=tuple(builder.inclusion_path(header.seq, checkpoint.tree_size)),
        )
        for role, header in found
    )
    return Seal(kind=kind, events=events, note=checkpoint.signed_note())
