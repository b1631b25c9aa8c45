"""The printed monthly report (月度报表) and its seal: an aggregate bound to a tree size.

A monthly report is not one event but figures summed over many, so its seal cannot carry
the events (decision 0027's way). Decision 0028: the report is computed *as known at* a
signed checkpoint's tree size — the read models rebuilt from exactly the events recorded
by the moment the tree's last leaf was recorded — and the seal carries

* the signed checkpoint and the inclusion proof of the tree's last leaf (its header and
  payload hash), which ties the moment the report was computed at (``known_at``) to the
  signed tree: offline, a verifier proves which checkpoint the paper claims and when;
* the report's figures (the read answer itself) and the SHA-256 of their canonical JSON:
  offline, the verifier re-derives every printed row from them and requires each on the
  paper; with a copy of the ledger (``--store``) it recomputes the report at that tree
  size and requires the very same canonical bytes.

The printed rows are a pure function of the report (``table_rows``), used by the PDF and
by the verifier alike.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from ledger import merkle
from ledger.application import HazardLedger
from ledger.integrity.leaf import LeafHeader, leaf_hash_of
from ledger.integrity.signing import Checkpoint, CheckpointError, parse_signed_note
from ledger.integrity.trust import TrustRoot
from ledger.scope import Scope

from ..labels import Labels, labels

MAGIC = b"HLM1"
KIND = "monthly-report"
_U32 = struct.Struct(">I")

#: The printed columns, in the order of the county reports (the CLI's monthly figures).
FIGURES = (
    "units_inspected",
    "hazards_found",
    "rectified_on_spot",
    "deadline_rectifications",
    "rectified",
    "rectification_rate",
    "major_found",
    "major_rectified",
    "major_open",
    "overdue",
    "fines_count",
    "fines_amount",
    "stop_work_notices",
    "directives",
    "documents_issued",
)


def canonical(report: dict[str, Any]) -> bytes:
    """The report's canonical bytes: sorted-key JSON (what the digest is taken of)."""
    return orjson.dumps(report, option=orjson.OPT_SORT_KEYS)


def digest(report: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(report)).hexdigest()


def title(report: dict[str, Any]) -> str:
    name = report.get("region_name") or report.get("region") or ""
    year, month = str(report["month"]).split("-")
    return f"{name}安全生产隐患排查治理月报（{int(year)}年{int(month)}月）"


def _labels() -> Labels:
    """Chinese names, with every installed sector's (the verifier has no store)."""
    from ..composition import load_configured_sectors

    return labels("zh", load_configured_sectors())


def header_row() -> list[str]:
    names = _labels()
    return ["行业领域", *(names.field(key) for key in FIGURES)]


def table_rows(report: dict[str, Any]) -> list[list[str]]:
    """The body rows as printed: one per sector, then 合计 (what the verifier requires)."""
    names = _labels()

    def row(first: str, figures: dict[str, Any]) -> list[str]:
        return [first, *(names.value(key, figures.get(key)) for key in FIGURES)]

    rows = [row(names.name("sector", f["sector"]), f) for f in report["sectors"]]
    return [*rows, row("合计", report["total"])]


def accident_line(report: dict[str, Any]) -> str:
    a = report.get("accidents") or {}
    before = a.get("previous_year") or {}
    return (
        f"生产安全事故：{a.get('count', 0)} 起，死亡 {a.get('deaths', 0)} 人，"
        f"重伤 {a.get('serious_injuries', 0)} 人，直接经济损失 {a.get('direct_loss', '0')} 元；"
        f"上年同期 {before.get('count', 0)} 起，死亡 {before.get('deaths', 0)} 人"
    )


def content_lines(report: dict[str, Any]) -> list[str]:
    """Every line the paper must show (whitespace aside): title, each row, accidents."""
    return [title(report), *("".join(r) for r in table_rows(report)), accident_line(report)]


# ---- the seal ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthlySeal:
    """What the monthly report's QR code carries (``HLM1`` + zlib(u32 length + JSON))."""

    region: str
    month: str
    known_at: str
    report_digest: str
    last: LeafHeader
    last_payload_hash: bytes
    path: tuple[bytes, ...]
    note: str
    report: dict[str, Any] | None = None

    @property
    def tree_size(self) -> int:
        return self.last.seq + 1

    def to_bytes(self) -> bytes:
        body = {
            "kind": KIND,
            "region": self.region,
            "month": self.month,
            "known_at": self.known_at,
            "digest": self.report_digest,
            "last": self.last.as_dict(),
            "last_payload_hash": self.last_payload_hash.hex(),
            "note": self.note,
            "report": self.report,
        }
        raw = orjson.dumps(body)
        return MAGIC + zlib.compress(_U32.pack(len(raw)) + raw + b"".join(self.path), 9)

    @classmethod
    def from_bytes(cls, data: bytes) -> MonthlySeal:
        if not data.startswith(MAGIC):
            raise ValueError("not a monthly-report seal")
        packed = zlib.decompress(data[len(MAGIC) :])
        (length,) = _U32.unpack_from(packed)
        body = orjson.loads(packed[4 : 4 + length])
        nodes = packed[4 + length :]
        return cls(
            region=str(body["region"]),
            month=str(body["month"]),
            known_at=str(body["known_at"]),
            report_digest=str(body["digest"]),
            last=LeafHeader.from_dict(body["last"]),
            last_payload_hash=bytes.fromhex(str(body["last_payload_hash"])),
            path=tuple(nodes[i : i + 32] for i in range(0, len(nodes), 32)),
            note=str(body["note"]),
            report=body.get("report"),
        )

    def without_report(self) -> MonthlySeal:
        """The same seal with the figures left out (their digest stays)."""
        return MonthlySeal(
            self.region,
            self.month,
            self.known_at,
            self.report_digest,
            self.last,
            self.last_payload_hash,
            self.path,
            self.note,
        )


MESSAGES: dict[str, tuple[str, str]] = {
    "verified": (
        "核验通过：纸面报表与账本在已签名检查点时所算的报表一致",
        "verified: the printed report matches the report the ledger computes at a signed "
        "checkpoint",
    ),
    "checkpoint_only": (
        "检查点已核验（报表声称按该检查点计算），但二维码未携带报表数据，离线无法核对数字；"
        "请使用 --store 指定账本副本或 --online 核验",
        "the checkpoint is verified (the report claims to be computed at it), but the QR "
        "code carries no figures, so the figures cannot be checked offline: use --store "
        "with a copy of the ledger, or --online",
    ),
    "bad_checkpoint": ("二维码中的检查点无法解析", "the checkpoint in the QR code cannot be read"),
    "untrusted": (
        "检查点不是受信任的账本密钥签发的：报表可能来自另一个账本，或检查点被伪造",
        "the checkpoint is not signed by a trusted ledger key: the report comes from "
        "another ledger, or the checkpoint was forged",
    ),
    "not_included": (
        "二维码中的计算时点不属于该检查点：二维码被改动",
        "the moment in the QR code is not the checkpoint's: the QR code was altered",
    ),
    "digest_mismatch": (
        "二维码中的报表数据与其摘要不符：二维码被改动",
        "the figures in the QR code do not match their digest: the QR code was altered",
    ),
    "content_changed": (
        "纸面报表与二维码中的报表数据不一致：以下内容被改动",
        "the printed report differs from the sealed figures: these lines were changed",
    ),
    "ledger_differs": (
        "账本副本按该检查点重新计算的报表与纸面不一致",
        "the ledger copy, recomputed at the checkpoint, gives a different report",
    ),
}


@dataclass(frozen=True, slots=True)
class MonthlyCheck:
    """The verdict on a printed monthly report."""

    status: str
    seal: MonthlySeal | None = None
    checkpoint: Checkpoint | None = None
    differing: tuple[str, ...] = ()
    recomputed: bool = False

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
            out |= {
                "kind": KIND,
                "region": self.seal.region,
                "month": self.seal.month,
                "known_at": self.seal.known_at,
                "digest": self.seal.report_digest,
                "recomputed_from_ledger": self.recomputed,
            }
        if self.checkpoint is not None:
            out["checkpoint"] = {
                "origin": self.checkpoint.origin,
                "tree_size": self.checkpoint.tree_size,
                "root": self.checkpoint.root.hex(),
            }
        if self.differing:
            out["differing"] = list(self.differing)
        return out


def _squeeze(text: str) -> str:
    return "".join(text.split())


def check(
    seal: MonthlySeal,
    printed_text: str,
    trust: TrustRoot,
    recompute: Any = None,
) -> MonthlyCheck:
    """Judge a printed monthly report. Offline: the checkpoint's signature, the last
    leaf's inclusion (so ``known_at`` is the signed tree's), the figures against their
    digest and the paper. ``recompute(seal) -> report`` (a ledger copy) then requires
    the ledger's own answer at that tree size to be the sealed one, byte for byte."""
    try:
        checkpoint = parse_signed_note(seal.note)
    except CheckpointError:
        return MonthlyCheck("bad_checkpoint", seal)
    if trust.signer(checkpoint) is None:
        return MonthlyCheck("untrusted", seal, checkpoint)
    last = seal.last
    leaf = leaf_hash_of(
        last.seq,
        str(last.aggregate_id),
        last.version,
        last.event_type,
        last.recorded_at,
        last.actor_id,
        seal.last_payload_hash,
    )
    if (
        checkpoint.tree_size != seal.tree_size
        or last.recorded_at != seal.known_at
        or not merkle.verify_inclusion(
            leaf, last.seq, checkpoint.tree_size, list(seal.path), checkpoint.root
        )
    ):
        return MonthlyCheck("not_included", seal, checkpoint)
    report = seal.report
    if recompute is not None:
        recomputed: dict[str, Any] = recompute(seal)
        if digest(recomputed) != seal.report_digest:
            return MonthlyCheck("ledger_differs", seal, checkpoint, recomputed=True)
        report = recomputed
    elif report is None:
        return MonthlyCheck("checkpoint_only", seal, checkpoint)
    elif digest(report) != seal.report_digest:
        return MonthlyCheck("digest_mismatch", seal, checkpoint)
    paper = _squeeze(printed_text)
    differing = tuple(line for line in content_lines(report) if _squeeze(line) not in paper)
    if differing:
        return MonthlyCheck("content_changed", seal, checkpoint, differing, recompute is not None)
    return MonthlyCheck("verified", seal, checkpoint, recomputed=recompute is not None)


# ---- computing the report at a tree size ------------------------------------------------


def last_leaf(ledger: HazardLedger, tree_size: int) -> tuple[LeafHeader, bytes]:
    """The header and payload hash of the tree's last leaf (seq ``tree_size - 1``)."""
    log = ledger.integrity
    rows = log._entry_rows("seq = ?", (tree_size - 1,))
    if not rows:
        raise LookupError(f"no leaf {tree_size - 1}")
    header, p_hash, _ = log._entry(rows[0])
    return header, p_hash


def report_at(
    ledger: HazardLedger, region: str, month: str, tree_size: int, *, scope: Scope
) -> dict[str, Any]:
    """The monthly report as the ledger knew it when its tree had ``tree_size`` leaves:
    the statistics and register read models rebuilt (into the as-of tables) from the
    events recorded by the last leaf's moment, and figures for that same moment."""
    from projections.reads import Reads

    from ..composition import Config, open_ledger

    header, _ = last_leaf(ledger, tree_size)
    known_at = datetime.fromisoformat(header.recorded_at)
    if ledger.integrity.size_at(known_at) != tree_size:
        raise LookupError(f"tree size {tree_size} ends inside a moment's records")
    follower = open_ledger(Config(), ledger=ledger).follower()
    try:
        follower.rebuild(["sector_statistics", "hazard_register"], known_at=known_at)
    finally:
        follower.close()
    return Reads(ledger).monthly_report(region, month, scope=scope, known_at=known_at)


def seal_report(
    ledger: HazardLedger, region: str, month: str, *, scope: Scope
) -> tuple[dict[str, Any], MonthlySeal]:
    """The report at the current tree, sealed under a checkpoint of exactly that tree
    (the latest one when it is current, else a newly signed one)."""
    log = ledger.integrity
    size, _ = log.tree_head()
    latest = log.latest_checkpoint()
    checkpoint = (
        latest if latest is not None and latest.tree_size == size else log.issue_checkpoint()
    )
    size = checkpoint.tree_size
    report = report_at(ledger, region, month, size, scope=scope)
    header, p_hash = last_leaf(ledger, size)
    path = tuple(log.proof_builder(size).inclusion_path(size - 1, size))
    seal = MonthlySeal(
        region=region,
        month=month,
        known_at=header.recorded_at,
        report_digest=digest(report),
        last=header,
        last_payload_hash=p_hash,
        path=path,
        note=checkpoint.signed_note(),
        report=report,
    )
    return report, seal
