"""What ``verify`` may conclude, judged against a trust root held outside the store.

Recomputing every leaf and root from the stored events (``IntegrityLog.verify``) proves
that the store is internally consistent, nothing more: whoever can write the database
can also rewrite an event, recompute the tree, delete or re-sign the checkpoints. Proof
needs something the store's writer cannot change:

* the log's public key (C2SP verifier key), configured by the verifier from a file
  (``--trusted-key``) or ``$LEDGER_TRUSTED_KEYS`` — never read from the store or the
  key directory;
* checkpoints kept outside the store (``--checkpoint FILE``, the published directory);
* cosignatures of witnesses the verifier names, ``K of N`` of them.

``prove`` is the one place these are weighed. History is *proven* only when every
event is covered by a checkpoint signed by a trusted key whose root the events
recompute to, the store is consistent with every kept checkpoint, and the witness
policy (if any) holds; *tampered* when a difference is found; otherwise *unproven*,
saying what could and could not be shown.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cosignature import WitnessPolicy
from .reports import Failure, VerifyReport
from .signing import Checkpoint, CheckpointError, SignedNote, VerifierKey, parse_note

if TYPE_CHECKING:
    from .log import IntegrityLog, Progress

TRUSTED_KEYS_ENV_VAR = "LEDGER_TRUSTED_KEYS"

PROVEN, TAMPERED, UNPROVEN, CONSISTENT = "proven", "tampered", "unproven", "consistent"
EXIT_CODES = {PROVEN: 0, CONSISTENT: 0, TAMPERED: 1, UNPROVEN: 3}


@dataclass(frozen=True, slots=True)
class TrustedKey:
    """A log key the verifier trusts, optionally only for one origin."""

    key: VerifierKey
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class TrustRoot:
    """The log keys a verifier trusts (C2SP vkeys, each optionally prefixed by an origin)."""

    keys: tuple[TrustedKey, ...] = ()

    @classmethod
    def parse(cls, text: str) -> TrustRoot:
        """Entries ``<vkey>`` or ``<origin> <vkey>``, one per line or separated by ``;``;
        ``#`` starts a comment."""
        keys = []
        for item in text.replace(";", "\n").splitlines():
            words = item.split("#", 1)[0].split()
            if not words:
                continue
            if len(words) > 2:
                raise CheckpointError(f"a trusted key entry is '[origin] vkey': {item.strip()!r}")
            origin = words[0] if len(words) == 2 else None
            keys.append(TrustedKey(VerifierKey.from_text(words[-1]), origin))
        return cls(tuple(keys))

    @classmethod
    def configured(cls, files: Sequence[Path] = (), setting: str | None = None) -> TrustRoot:
        """From the given files plus ``setting`` (default ``$LEDGER_TRUSTED_KEYS``)."""
        text = setting if setting is not None else os.environ.get(TRUSTED_KEYS_ENV_VAR, "")
        parts = [text, *(f.read_text() for f in files)]
        return cls.parse("\n".join(parts))

    def verifier_keys(self) -> list[VerifierKey]:
        return [k.key for k in self.keys]

    def signer(self, checkpoint: Checkpoint) -> VerifierKey | None:
        """The trusted key that validly signed ``checkpoint`` for its origin, if any."""
        for trusted in self.keys:
            if trusted.origin not in (None, checkpoint.origin):
                continue
            if checkpoint.verify(trusted.key):
                return trusted.key
        return None

    def accept(self, note: SignedNote) -> Checkpoint | None:
        """The note's checkpoint as signed by a trusted key, or None."""
        for checkpoint in note.checkpoints():
            if self.signer(checkpoint) is not None:
                return checkpoint
        return None


def read_kept(paths: Sequence[Path]) -> list[tuple[str, SignedNote]]:
    """Checkpoint notes kept outside the store: files, or every ``*.checkpoint`` in a
    directory (as ``publish`` writes them)."""
    found: list[tuple[str, SignedNote]] = []
    for path in paths:
        files = sorted(path.glob("*.checkpoint")) if path.is_dir() else [path]
        for file in files:
            try:
                found.append((str(file), parse_note(file.read_text(encoding="utf-8"))))
            except (OSError, UnicodeDecodeError, CheckpointError) as e:
                raise CheckpointError(f"{file}: {e}") from None
    return found


@dataclass(slots=True)
class TrustReport:
    """The verdict: what was proven, what was not, and every difference found."""

    report: VerifyReport
    status: str = UNPROVEN
    proven: list[tuple[str, str]] = field(default_factory=list)
    not_proven: list[tuple[str, str]] = field(default_factory=list)
    limits: list[tuple[str, str]] = field(default_factory=list)  # stated, not failing

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    @property
    def ok(self) -> bool:
        return self.status in (PROVEN, CONSISTENT)

    def lines(self, lang: str = "zh") -> list[str]:
        pick = 0 if lang == "zh" else 1
        head = {
            PROVEN: (
                "历史已证明（信任根在数据库之外）。",
                "History PROVEN against a trust root outside the store.",
            ),
            CONSISTENT: (
                "仅证明内部一致：重算结果与库中保存的一致。任何能写入数据库的人都可以改写历史并重算，"
                "因此这不能证明历史未被改写。",
                "Internal consistency ONLY: the recomputation agrees with what the store holds. "
                "Anyone who can write the database can rewrite history and recompute it, so this "
                "does not prove history was not rewritten.",
            ),
            TAMPERED: (
                "发现篡改：历史与已承诺的不符。",
                "TAMPERING FOUND: history differs from what was committed.",
            ),
            UNPROVEN: (
                "未能证明：未发现差异，但历史无法对照库外的信任根得到证明。",
                "NOT PROVEN: no difference found, but history cannot be proven against a trust "
                "root outside the store.",
            ),
        }[self.status]
        out = [head[pick], self.report.summary(lang)]
        out += [f"  - {f.message(lang)}" for f in self.report.failures[1:10]]
        if self.proven:
            out.append("已证明：" if pick == 0 else "Proven:")
            out += [f"  + {p[pick]}" for p in self.proven]
        if self.not_proven:
            out.append("未证明：" if pick == 0 else "Not proven:")
            out += [f"  ? {p[pick]}" for p in self.not_proven]
        if self.limits:
            out.append("此项校验无法证明：" if pick == 0 else "This check cannot prove:")
            out += [f"  ~ {p[pick]}" for p in self.limits]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.report.as_dict(),
            "status": self.status,
            "proven_zh": [p[0] for p in self.proven],
            "proven_en": [p[1] for p in self.proven],
            "not_proven_zh": [p[0] for p in self.not_proven],
            "not_proven_en": [p[1] for p in self.not_proven],
            "limits_zh": [p[0] for p in self.limits],
            "limits_en": [p[1] for p in self.limits],
        }


def prove(
    log: IntegrityLog,
    root: TrustRoot,
    *,
    kept: Sequence[tuple[str, SignedNote]] = (),
    policy: WitnessPolicy | None = None,
    consistency_only: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> TrustReport:
    """Recompute the log and judge it against ``root``, ``kept`` checkpoints and ``policy``."""
    if consistency_only:
        report = log.verify(progress, workers=workers)
        return TrustReport(report, CONSISTENT if report.ok else TAMPERED)
    verdict = TrustReport(VerifyReport())
    no = verdict.not_proven.append
    yes = verdict.proven.append
    kept_trusted: list[tuple[str, Checkpoint, SignedNote]] = []
    for name, note in kept:
        checkpoint = root.accept(note)
        if checkpoint is None:
            no(
                (
                    f"外部检查点 {name} 没有可信密钥的有效签名，未采用",
                    f"the kept checkpoint {name} carries no valid signature of a trusted key; "
                    "not used",
                )
            )
        else:
            kept_trusted.append((name, checkpoint, note))
    report = log.verify(
        progress,
        workers=workers,
        keys=root.verifier_keys() if root.keys else None,
        extra_sizes=[c.tree_size for _, c, _ in kept_trusted],
    )
    verdict.report = report
    roots = report.prefix_roots
    size = report.tree_size
    if not root.keys:
        no(
            (
                "未配置可信公钥（--trusted-key 文件或 LEDGER_TRUSTED_KEYS）：只检查了内部一致性",
                "no trusted key is configured (--trusted-key FILE or LEDGER_TRUSTED_KEYS): "
                "only internal consistency was checked",
            )
        )
    for checkpoint in report.untrusted:
        no(
            (
                f"库中树大小为 {checkpoint.tree_size} 的检查点由不受信任的密钥 "
                f"{checkpoint.key_name}（{checkpoint.key_id.hex()}）签署：可能是伪造的",
                f"the stored checkpoint at tree size {checkpoint.tree_size} is signed by "
                f"{checkpoint.key_name} ({checkpoint.key_id.hex()}), a key not in the trust "
                "root: it may be forged",
            )
        )
    # Every trusted checkpoint whose root the events recompute to, and where from.
    good: dict[int, list[tuple[str, SignedNote | None]]] = {}
    stored = [c for c in log.checkpoints() if root.signer(c) is not None]
    for checkpoint in stored:
        if roots.get(checkpoint.tree_size) == checkpoint.root:
            note = SignedNote(
                checkpoint.origin,
                checkpoint.tree_size,
                checkpoint.root,
                tuple(log.cosignatures(checkpoint.tree_size)),
            )
            good.setdefault(checkpoint.tree_size, []).append(("store", note))
    for name, checkpoint, note in sorted(kept_trusted, key=lambda k: k[1].tree_size):
        got = roots.get(checkpoint.tree_size)
        if got is None:
            report.failures.append(
                Failure(
                    "KEPT_CHECKPOINT_BEYOND_LOG",
                    size,
                    detail=f"{name} covers {checkpoint.tree_size} events, the log holds {size}: "
                    f"events {size}..{checkpoint.tree_size - 1} were removed",
                )
            )
            continue
        if got != checkpoint.root:
            below = [s for s in good if s < checkpoint.tree_size]
            start = max(below, default=0)
            report.failures.append(
                Failure(
                    "KEPT_CHECKPOINT_MISMATCH",
                    start,
                    detail=f"{name} (tree size {checkpoint.tree_size}): history diverges "
                    f"within seq {start}..{checkpoint.tree_size - 1}",
                )
            )
            continue
        if report.ok and checkpoint.tree_size < size:
            proof = log.consistency_proof(checkpoint.tree_size, size)
            if not (
                proof.old_root == checkpoint.root
                and proof.new_root == report.root
                and proof.verify()
            ):
                report.failures.append(
                    Failure(
                        "KEPT_CHECKPOINT_INCONSISTENT",
                        checkpoint.tree_size,
                        detail=f"{name} (tree size {checkpoint.tree_size})",
                    )
                )
                continue
        good.setdefault(checkpoint.tree_size, []).append((name, note))
        yes(
            (
                f"与外部保存的检查点 {name}（{checkpoint.tree_size} 个事件）一致：其后只有追加",
                f"consistent with the checkpoint kept outside, {name} ({checkpoint.tree_size} "
                "events): only appended to since",
            )
        )
    if not report.ok:
        verdict.status = TAMPERED
        return verdict
    covered = max(good, default=0)
    if root.keys and not good:
        no(
            (
                f"没有任何由可信密钥签署的检查点与重算的历史一致：全部 {size} 个事件均未被证明",
                f"there is no checkpoint signed by a trusted key that the recomputed history "
                f"matches: none of the {size} events is covered",
            )
        )
    elif root.keys and covered < size:
        no(
            (
                f"第 {covered} 至 {size - 1} 号事件（共 {size - covered} 个）未被可信密钥签署的"
                "检查点覆盖（可运行 `ledger checkpoint`）",
                f"events {covered}..{size - 1} ({size - covered}) are not covered by a "
                "checkpoint signed by a trusted key (run `ledger checkpoint`)",
            )
        )
    elif root.keys:
        signer = next((root.signer(c) for c in stored if c.tree_size == covered), None) or next(
            (root.signer(c) for _, c, _ in kept_trusted if c.tree_size == covered), None
        )
        key_text = f"{signer.name} ({signer.key_id.hex()})" if signer else ""
        yes(
            (
                f"全部 {size} 个事件逐一重算，其根哈希与可信密钥 {key_text} 签署的检查点一致",
                f"all {size} events recomputed to the root of a checkpoint signed by the "
                f"trusted key {key_text}",
            )
        )
    if policy is not None and policy.quorum > 0:
        witnessed = max(
            (
                s
                for s, sources in good.items()
                if any(
                    note is not None
                    and len(policy.cosigners(note.body, note.signatures)) >= policy.quorum
                    for _, note in sources
                )
            ),
            default=0,
        )
        if witnessed < size or not good:
            no(
                (
                    f"见证策略（{policy.quorum}/{len(policy.witnesses)}）未满足：只有前 "
                    f"{witnessed} 个事件有足够的见证方联署",
                    f"the witness policy ({policy.describe()}) is not met: only the first "
                    f"{witnessed} events are cosigned by enough witnesses",
                )
            )
        else:
            yes(
                (
                    f"见证策略（{policy.quorum}/{len(policy.witnesses)}）满足：覆盖全部事件的检查点"
                    "有足够的见证方联署",
                    f"the witness policy ({policy.describe()}) holds: a checkpoint covering every "
                    "event is cosigned by enough witnesses",
                )
            )
    if not kept_trusted and (policy is None or policy.quorum == 0):
        verdict.limits.append(
            (
                "最新可信检查点之后的事件没有被整体截断：没有库外保存的检查点（--checkpoint）"
                "或见证方可对照",
                "that no events were cut off after the latest trusted checkpoint: there is no "
                "checkpoint kept outside (--checkpoint) or witness to compare with",
            )
        )
    verdict.status = UNPROVEN if verdict.not_proven else PROVEN
    return verdict
