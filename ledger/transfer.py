"""Whole-ledger export and import as JSON Lines: backup, migration, hand-over.

``export_ledger`` writes a header line (format, origin, tree head, the latest signed
checkpoint and its public key), then one line per event in sequence order — the exact
stored bytes (base64), the leaf's payload and leaf hashes, and the event's inclusion
proof against that checkpoint — and a closing line with the checkpoints. ``import_ledger``
reads such a file into an *empty* ledger on any store (SQLite to PostgreSQL, say): it
inserts the same bytes in the same order, so the new store's integrity log recomputes
the same leaves under the same sequence numbers, then proves the copy: the recomputed
tree must have exactly the root the original's signed checkpoint states, and the
signature must verify. Anything else refuses the import (and reports where).

The events are copied, not re-commanded: they were validated when first recorded, and
re-running commands would give them new recording times — the copy must be the same
history, provably. Read models are rebuilt from the events afterwards; service tables
(users, idempotency keys) are not part of a ledger's history and are not copied.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import orjson

from .application import HazardLedger
from .integrity.log import stored_events_by_seq
from .integrity.signing import Checkpoint, VerifierKey, parse_signed_note
from .integrity.tables import Tables
from .pg_statistics import analyse
from .transfer_load import Load, decoded
from .transfer_load import (
    TransferError as TransferError,  # the importer's refusal, raised from both modules
)

FORMAT = "hazard-ledger/ledger-export-v1"
BATCH = 1000
DECODE_APART_FROM = 8 << 20  # bytes of events: below this, decoding in-process is quicker


def _not_empty() -> TransferError:
    return TransferError(
        "目标台账不是空的；请导入到新的存储中",
        "the target ledger is not empty; import into a new store",
    )


@dataclass
class TransferReport:
    events: int = 0
    tree_size: int = 0
    root: str = ""
    checkpoint_size: int | None = None
    proven: bool = False
    statements_zh: list[str] = field(default_factory=list)
    statements_en: list[str] = field(default_factory=list)

    def say(self, zh: str, en: str) -> None:
        self.statements_zh.append(zh)
        self.statements_en.append(en)

    def statements(self, lang: str = "zh") -> list[str]:
        """What the import proved, in plain words in one language."""
        return self.statements_en if lang.startswith("en") else self.statements_zh

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "tree_size": self.tree_size,
            "root": self.root,
            "checkpoint_size": self.checkpoint_size,
            "proven": self.proven,
            "statements_zh": self.statements_zh,
            "statements_en": self.statements_en,
        }


def _line(out: IO[bytes], obj: Any) -> None:
    out.write(orjson.dumps(obj))
    out.write(b"\n")


def export_ledger(
    ledger: HazardLedger, path: Path, *, progress: Callable[[int], None] | None = None
) -> TransferReport:
    """Write the whole ledger to ``path`` (JSON Lines), with proofs against the latest
    checkpoint (one is signed now if a key is configured and none covers the log)."""
    log = ledger.integrity
    size, root = log.tree_head()
    checkpoint = log.latest_checkpoint()
    if (checkpoint is None or checkpoint.tree_size < size) and log.signing_key() is not None:
        checkpoint = log.issue_checkpoint()
        size, root = checkpoint.tree_size, checkpoint.root
    key = log.verifier_key()
    proof_size = checkpoint.tree_size if checkpoint is not None else size
    builder = log.proof_builder(proof_size, every_leaf=True)
    report = TransferReport(tree_size=size, root=root.hex())
    oid_column = "originator_id::text" if log.tables.postgres else "originator_id"
    with path.open("wb") as out:
        _line(
            out,
            {
                "format": FORMAT,
                "origin": log.origin,
                "tree_size": size,
                "root": root.hex(),
                "checkpoint": checkpoint.signed_note() if checkpoint else None,
                "public_key": key.to_text() if key else None,
                "exported_at": datetime.now(tz=UTC).isoformat(),
            },
        )
        for start in range(0, size, BATCH):
            end = min(size, start + BATCH)
            rows = log.tables.fetchall(
                f"SELECT seq, {oid_column}, originator_version, topic, payload_hash, leaf_hash "
                f"FROM {log.tables.log} WHERE seq >= ? AND seq < ? ORDER BY seq",
                (start, end),
            )
            payloads = stored_events_by_seq(log, range(start, end))
            for seq, oid, version, topic, p_hash, l_hash in rows:
                seq = int(seq)
                _line(
                    out,
                    {
                        "seq": seq,
                        "originator_id": str(UUID(str(oid))),
                        "originator_version": int(version),
                        "topic": topic,
                        "state": base64.b64encode(payloads[seq]).decode(),
                        "payload_hash": bytes(p_hash).hex(),
                        "leaf_hash": bytes(l_hash).hex(),
                        "proof": [p.hex() for p in builder.inclusion_path(seq, proof_size)]
                        if seq < proof_size
                        else None,
                    },
                )
                report.events += 1
            if progress is not None:
                progress(end - start)
        _line(
            out,
            {
                "end": True,
                "events": report.events,
                "checkpoints": [c.signed_note() for c in log.checkpoints()],
            },
        )
    report.checkpoint_size = checkpoint.tree_size if checkpoint else None
    return report


def import_ledger(
    ledger: HazardLedger, path: Path, *, progress: Callable[[int], None] | None = None
) -> TransferReport:
    """Copy an exported ledger into the empty ``ledger`` and prove the copy.

    One transaction (``ledger.transfer_load``): a refused or interrupted import leaves
    the store empty."""
    log = ledger.integrity
    if log.tree_head()[0] != 0 or (ledger.recorder.max_notification_id() or 0) != 0:
        raise _not_empty()
    report = TransferReport()
    with path.open("rb") as f:
        try:
            header = orjson.loads(f.readline())
        except orjson.JSONDecodeError:
            header = None
        _check_header(header)
        checkpoint = key = None
        if header.get("checkpoint") and header.get("public_key"):
            try:
                checkpoint = parse_signed_note(str(header["checkpoint"]))
            except ValueError:  # CheckpointError included
                raise TransferError(
                    "导出文件的签名检查点（checkpoint）无法读取",
                    "the export's checkpoint (field checkpoint) cannot be read",
                ) from None
            try:
                key = VerifierKey.from_text(str(header["public_key"]))
            except ValueError:
                raise TransferError(
                    "导出文件的公钥（public_key）无法读取",
                    "the export's key (field public_key) cannot be read",
                ) from None
        closing: dict[str, Any] | None = None
        with log.tables.write() as cur:
            watch = (checkpoint.tree_size,) if checkpoint is not None else ()
            load = Load(log, cur, watch)
            if not load.begin(header["origin"]):
                raise _not_empty()
            # A refusal from decoding (LoadRefused) is itself a TransferError. A large
            # file is decoded mostly in a second process, beside the writes.
            apart = path.stat().st_size - f.tell() >= DECODE_APART_FROM
            for chunk in decoded(path, f, 2, apart=apart):
                load.append(chunk)
                report.events += len(chunk.rows)
                if progress is not None and chunk.rows:
                    progress(len(chunk.rows))
                closing = chunk.closing
            if closing is None or closing.get("events") != report.events:
                raise TransferError(
                    "文件不完整：末行缺失，或其事件数（events）与文件中的事件不符",
                    "the file is truncated: its closing line is missing or disagrees "
                    "(field events)",
                )
            load.finish()
            size, root = load.tree[0], load.tree[2]
            report.tree_size, report.root = size, root.hex()
            if size != header["tree_size"] or root.hex() != header["root"]:
                raise TransferError(
                    f"副本的默克尔树（{size} 个事件，树根 {root.hex()}）与文件头所载的原台账"
                    f"（tree_size {header['tree_size']}，root {header['root']}）不同",
                    f"the copy's tree ({size}, {root.hex()}) differs from the original's "
                    f"({header['tree_size']}, {header['root']})",
                )
            report.say(
                f"复制了 {size} 个事件，默克尔树根与原台账一致：{root.hex()}",
                f"copied {size} events; the Merkle tree root equals the original's: {root.hex()}",
            )
            if checkpoint is not None and key is not None:
                _prove_against_checkpoint(
                    load.roots.get(checkpoint.tree_size), checkpoint, key, report
                )
                for note in _closing_checkpoints(closing):
                    _store_checkpoint(log.tables, cur, note)
    analyse(ledger.store, ledger.own_tables())  # as after any bulk load (see the module)
    return report


def _check_header(header: Any) -> None:
    """Refuse a first line that is not this format's header, naming the field."""
    if not isinstance(header, dict):
        raise TransferError(
            f"不是台账导出文件（{FORMAT}）：第 1 行不是文件头",
            f"not a {FORMAT} file: line 1 is not its header",
        )
    for name, right in (
        ("format", header.get("format") == FORMAT),
        ("origin", isinstance(header.get("origin"), str)),
        ("tree_size", isinstance(header.get("tree_size"), int)),
        ("root", isinstance(header.get("root"), str)),
    ):
        if not right:
            raise TransferError(
                f"不是台账导出文件（{FORMAT}）：文件头的字段 {name} 缺失或有误",
                f"not a {FORMAT} file: field {name} of its header is missing or wrong",
            )


def _closing_checkpoints(closing: dict[str, Any]) -> list[Checkpoint]:
    """The checkpoints the closing line lists, all readable or the import is refused."""
    notes = closing.get("checkpoints", [])
    try:
        if not isinstance(notes, list):
            raise TypeError("checkpoints")
        return [parse_signed_note(str(note)) for note in notes]
    except (TypeError, ValueError):  # CheckpointError included
        raise TransferError(
            "文件末行所列的签名检查点（checkpoints）无法读取",
            "the checkpoints of the file's closing line (field checkpoints) cannot be read",
        ) from None


def _prove_against_checkpoint(
    root: bytes | None, checkpoint: Checkpoint, key: VerifierKey, report: TransferReport
) -> None:
    """``root``: the copy's root when its tree had the checkpoint's size (None: never)."""
    if not checkpoint.verify(key):
        raise TransferError(
            "导出文件的签名检查点（checkpoint）未能用其公钥（public_key）验证签名",
            "the export's checkpoint signature does not verify (fields checkpoint, public_key)",
        )
    if root != checkpoint.root:
        raise TransferError(
            f"副本未能重现签名检查点所载的树根（{checkpoint.tree_size} 个事件时）",
            "the copy does not reproduce the root of the signed checkpoint "
            f"(at {checkpoint.tree_size} events)",
        )
    report.checkpoint_size = checkpoint.tree_size
    report.proven = True
    report.say(
        f"副本与原台账签名检查点一致（{checkpoint.origin}，{checkpoint.tree_size} 个事件，"
        f"密钥 {checkpoint.key_id.hex()}）",
        f"the copy matches the original's signed checkpoint ({checkpoint.origin}, "
        f"{checkpoint.tree_size} events, key {checkpoint.key_id.hex()})",
    )


def _store_checkpoint(t: Tables, cur: Any, checkpoint: Checkpoint) -> None:
    cur.execute(
        t.sql(
            f"INSERT INTO {t.checkpoints} (tree_size, key_id, key_name, origin, root, "
            "signature, note, issued_at) VALUES (?,?,?,?,?,?,?,?) "
            "ON CONFLICT (tree_size, key_id) DO NOTHING"
        ),
        (
            checkpoint.tree_size,
            checkpoint.key_id.hex(),
            checkpoint.key_name,
            checkpoint.origin,
            checkpoint.root,
            checkpoint.signature,
            checkpoint.signed_note(),
            checkpoint.issued_at,
        ),
    )
