"""``ledger keys | checkpoint | verify | proof | export-bundle | verify-bundle | redact``.

The commands an auditor and an administrator use to prove the history: make the
signing key (kept outside the store), sign the tree head, recompute everything, and
hand out or check an offline evidence bundle (with the evidence files its events cite,
taken from the store's evidence files). ``verify-bundle`` never opens a store.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from ledger.integrity import NoSigningKey
from ledger.integrity.bundle import BundleError, export_bundle, verify_bundle, write_bundle
from ledger.integrity.cosignature import CosignerKey, WitnessPolicy
from ledger.integrity.publish import published_directory
from ledger.integrity.signing import (
    CheckpointError,
    create_keys,
    key_dir,
    load_signing_key,
    load_verifier_key,
)
from ledger.integrity.trust import TRUSTED_KEYS_ENV_VAR, TrustRoot, prove, read_kept
from ledger.integrity.witness import Witness

from ..evidence import evidence_store
from ..witness.server import make_server
from . import history_command
from .common import FLAG, emit, local_operator, open_ledger, options

KeyDir = Annotated[
    Path | None,
    typer.Option(
        "--key-dir",
        envvar="LEDGER_KEY_DIR",
        help="签名密钥所在目录（默认 ~/.config/hazard-ledger/keys） / "
        "Directory of the signing key (default ~/.config/hazard-ledger/keys).",
    ),
]


TrustedKeyFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--trusted-key",
        help="台账公钥文件（C2SP vkey，可写作 '<origin> <vkey>'）；可重复；"
        "与 $LEDGER_TRUSTED_KEYS 合并；从不取自存储 / "
        "File of the log's public key(s) (C2SP vkey, optionally '<origin> <vkey>'); "
        "repeatable; added to $LEDGER_TRUSTED_KEYS. Never taken from the store.",
    ),
]
WitnessesFile = Annotated[
    Path | None,
    typer.Option(
        "--witnesses",
        help="见证人文件，每行 '[url] <vkey>'（默认 $LEDGER_WITNESSES） / "
        "File of witnesses, '[url] <vkey>' per line (default $LEDGER_WITNESSES).",
    ),
]
Quorum = Annotated[
    int | None,
    typer.Option(
        "--quorum",
        min=0,
        help="至少几位见证人须联署（默认 $LEDGER_WITNESS_QUORUM，否则全部） / "
        "How many witnesses must cosign (default $LEDGER_WITNESS_QUORUM, else all).",
    ),
]


def _say(zh: str, en: str, lang: str, *, err: bool = False) -> None:
    typer.echo(zh if lang == "zh" else en, err=err)


def register(app: typer.Typer) -> None:
    """Add the integrity commands to ``app`` (and ``case history`` to its case group)."""
    from . import case

    history_command.register(case.app)

    @app.command()
    def keys(
        ctx: typer.Context,
        key_dir_opt: KeyDir = None,
        name: Annotated[
            str, typer.Option("--name", help="签名中的密钥名称 / Key name in signed notes.")
        ] = "hazard-ledger",
        force: Annotated[
            bool,
            typer.Option("--force", metavar=FLAG, help="替换已有密钥 / Replace an existing key."),
        ] = False,
        show: Annotated[
            bool,
            typer.Option("--show", metavar=FLAG, help="只打印公钥 / Only print the public key."),
        ] = False,
    ) -> None:
        """在存储之外生成签署检查点用的 Ed25519 密钥对（私钥权限 0600） /
        Create the Ed25519 checkpoint-signing key pair outside the store (private key 0600)."""
        opts = options(ctx)
        directory = key_dir(key_dir_opt)
        if show:
            verifier = load_verifier_key(directory)
            if verifier is None:
                _say(
                    f"{directory} 中没有公钥", f"no public key in {directory}", opts.lang, err=True
                )
                raise typer.Exit(1)
        else:
            try:
                verifier = create_keys(directory, name, force=force).verifier
            except FileExistsError:
                _say(
                    f"签名密钥已存在：{directory}（如需替换请加 --force）",
                    f"a signing key already exists in {directory} (use --force to replace it)",
                    opts.lang,
                    err=True,
                )
                raise typer.Exit(1) from None
        if show and not opts.json:
            typer.echo(verifier.to_text())  # alone, so that it can be kept in a file
            return
        if opts.json:
            emit(
                {
                    "key_dir": str(directory),
                    "public_key": verifier.to_text(),
                    "key_id": verifier.key_id.hex(),
                },
                opts,
            )
            return
        _say(f"密钥目录：{directory}", f"key directory: {directory}", opts.lang)
        _say("公钥（请公布，供审计方核对）：", "public key (publish it for auditors):", opts.lang)
        typer.echo(verifier.to_text())

    @app.command()
    def checkpoint(ctx: typer.Context, key_dir_opt: KeyDir = None) -> None:
        """立即签署当前树头并保存检查点（只读存储：签署并发布，不保存） /
        Sign the current tree head now and store the checkpoint (a read-only store:
        signed and published, not stored)."""
        opts = options(ctx)
        with open_ledger(ctx) as ledger:
            log = ledger.integrity
            log.use_key_directory(key_dir_opt)
            try:
                signed = log.issue_checkpoint()
            except NoSigningKey as e:
                typer.echo(str(e), err=True)
                raise typer.Exit(1) from None
            if log.read_only:
                typer.echo(
                    "存储为只读：检查点已签署并发布，未存入存储"
                    if opts.lang == "zh"
                    else "The store is read-only: the checkpoint is signed and published, "
                    "not stored",
                    err=True,
                )
        if opts.json:
            emit(signed.as_dict(), opts)
        else:
            typer.echo(signed.signed_note(), nl=False)

    @app.command()
    def verify(
        ctx: typer.Context,
        trusted_key: TrustedKeyFiles = None,
        checkpoint_files: Annotated[
            list[Path] | None,
            typer.Option(
                "--checkpoint",
                help="存储之外留存的检查点（文件或目录）；可重复 / "
                "A checkpoint kept outside the store (file or directory); repeatable.",
            ),
        ] = None,
        checkpoint_dir: Annotated[
            Path | None,
            typer.Option(
                "--checkpoint-dir",
                envvar="LEDGER_CHECKPOINT_DIR",
                help="检查点的发布目录（与 --checkpoint 一样比对；默认：密钥目录下的 "
                "checkpoints/，如存在） / "
                "The directory checkpoints are published to (compared like --checkpoint; "
                "default: the key directory's checkpoints/, when it exists).",
            ),
        ] = None,
        witnesses: WitnessesFile = None,
        quorum: Quorum = None,
        consistency_only: Annotated[
            bool,
            typer.Option(
                "--consistency-only",
                metavar=FLAG,
                help="只重算并与存储比对（只证明内部一致） / "
                "Only recompute and compare with the store (proves internal consistency only).",
            ),
        ] = False,
        key_dir_opt: KeyDir = None,
        workers: Annotated[
            int | None,
            typer.Option(
                "--workers",
                min=1,
                help="重算叶子的进程数（默认：大台账最多 4 个） / "
                "Processes recomputing leaves (default: up to 4 for large ledgers).",
            ),
        ] = None,
    ) -> None:
        """重算每个叶子和树根，再用存储之外配置的密钥、留存的检查点和见证人证明它们 /
        Recompute every leaf and root, then prove them against keys, kept checkpoints and
        witnesses configured outside the store.

        退出码：0 已证明，1 被篡改，3 未能证明 / Exit 0 proven, 1 tampered, 3 not proven."""
        opts = options(ctx)

        def progress(done: int, total: int) -> None:
            if not opts.json and sys.stderr.isatty():
                typer.echo(f"\r{done}/{total}", nl=False, err=True)

        published = published_directory(checkpoint_dir, key_dir(key_dir_opt))
        if checkpoint_dir is None and published.is_dir() and not opts.json:
            _say(
                f"比对已发布的检查点：{published}",
                f"comparing with the checkpoints published in {published}",
                opts.lang,
            )
        kept_paths = [*(checkpoint_files or []), *([published] if published.is_dir() else [])]
        try:
            root = TrustRoot.configured(trusted_key or [])
            kept = read_kept([p for p in kept_paths if p.exists() or p in (checkpoint_files or [])])
            policy = WitnessPolicy.configured(witnesses, quorum)
        except (CheckpointError, OSError, ValueError) as e:
            _say(f"信任配置无效：{e}", f"invalid trust configuration: {e}", opts.lang, err=True)
            raise typer.Exit(2) from None
        with open_ledger(ctx) as ledger:
            log = ledger.integrity
            log.use_key_directory(key_dir_opt)
            verdict = prove(
                log,
                root,
                kept=kept,
                policy=policy,
                consistency_only=consistency_only,
                progress=progress,
                workers=workers,
            )
        report = verdict.report
        if opts.json:
            emit(verdict.as_dict(), opts)
        else:
            for line in verdict.lines(opts.lang):
                typer.echo(line)
            rate = report.events_checked / report.seconds if report.seconds else 0.0
            _say(
                f"用时 {report.seconds:.2f} 秒（{rate:,.0f} 事件/秒）",
                f"took {report.seconds:.2f} s ({rate:,.0f} events/s)",
                opts.lang,
            )
        if verdict.exit_code:
            raise typer.Exit(verdict.exit_code)

    @app.command()
    def proof(
        ctx: typer.Context,
        aggregate_id: Annotated[
            UUID,
            typer.Argument(help="案卷（或其他聚合）编号 / Case (or other aggregate) id."),
        ],
        version: Annotated[
            int, typer.Argument(help="事件在聚合中的版本号 / Event version within the aggregate.")
        ],
    ) -> None:
        """打印一个事件对当前树的包含证明（JSON） /
        Print the inclusion proof of one event against the current tree (JSON)."""
        opts = options(ctx)
        with open_ledger(ctx) as ledger:
            try:
                found = ledger.integrity.inclusion_proof(aggregate_id, version)
            except LookupError as e:
                typer.echo(str(e), err=True)
                raise typer.Exit(3) from None
        emit({**found.as_dict(), "verified": found.verify()}, opts)

    @app.command("export-bundle")
    def export_bundle_command(
        ctx: typer.Context,
        case_id: Annotated[UUID, typer.Argument(help="案卷编号 / The case id.")],
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="证据包文件 / Bundle file.")
        ] = None,
        key_dir_opt: KeyDir = None,
    ) -> None:
        """把案卷的事件、证明、签名检查点、公钥和事件引用的证据文件写成一个证据包 /
        Write one file with the case's events, their proofs, a signed checkpoint, the key
        and the evidence files the events cite."""
        opts = options(ctx)
        target = output or Path(f"case-{case_id}.bundle.json")
        with open_ledger(ctx) as ledger:
            log = ledger.integrity
            log.use_key_directory(key_dir_opt)
            try:
                bundle = export_bundle(log, case_id, files=evidence_store(ledger).get)
            except BundleError as e:
                typer.echo(e.message(opts.lang), err=True)
                raise typer.Exit(1) from None
            except NoSigningKey as e:
                typer.echo(str(e), err=True)
                raise typer.Exit(1) from None
        size = write_bundle(bundle, target)
        events, files = len(bundle["events"]), len(bundle["evidence_files"])
        if opts.json:
            emit({"file": str(target), "bytes": size, "events": events, "files": files}, opts)
        else:
            _say(
                f"已导出证据包：{target}（{events} 个事件，{files} 个证据文件，{size} 字节）",
                f"bundle written: {target} ({events} events, {files} evidence files, {size} bytes)",
                opts.lang,
            )

    @app.command("verify-bundle")
    def verify_bundle_command(
        ctx: typer.Context,
        file: Annotated[
            Path,
            typer.Argument(
                help="`ledger export-bundle` 导出的证据包 / A bundle from `ledger export-bundle`."
            ),
        ],
        public_key: Annotated[
            str | None,
            typer.Option("--public-key", help="只信任这个公钥 / Only trust this verifier key."),
        ] = None,
        trusted_key: TrustedKeyFiles = None,
        witnesses: WitnessesFile = None,
        quorum: Quorum = None,
    ) -> None:
        """离线核验证据包（不用存储，不联网），并说明它证明了什么 /
        Check a bundle offline (no store, no network) and say what it proves."""
        opts = options(ctx)
        try:
            data = file.read_bytes()
            keys = [public_key or "", *(f.read_text() for f in trusted_key or [])]
            keys.append(os.environ.get(TRUSTED_KEYS_ENV_VAR, ""))
            policy = WitnessPolicy.configured(witnesses, quorum)
        except (OSError, CheckpointError, ValueError) as e:
            _say(f"无法读取：{e}", f"cannot read: {e}", opts.lang, err=True)
            raise typer.Exit(2) from None
        pinned = "\n".join(k for k in keys if k.strip()) or None
        outcome = verify_bundle(data, trusted_key=pinned, policy=policy)
        if opts.json:
            emit(outcome.as_dict(), opts)
        else:
            for line in outcome.lines(opts.lang):
                typer.echo(line)
        if not outcome.ok:
            raise typer.Exit(1)

    @app.command()
    def redact(
        ctx: typer.Context,
        case_id: Annotated[UUID, typer.Argument(help="案卷编号 / The case id.")],
        version: Annotated[
            int, typer.Argument(help="要遮蔽的事件版本号 / The event version to redact.")
        ],
        reason: Annotated[
            str,
            typer.Option(
                "--reason",
                help="法律依据（随遮蔽记录） / The legal basis (logged with the redaction).",
            ),
        ],
        field: Annotated[
            list[str],
            typer.Option(
                "--field", help="要清空的文本字段（可重复） / Text field to blank (repeatable)."
            ),
        ],
    ) -> None:
        """以记录在案的遮蔽事件清空一个已记录事件的自由文本字段（管理员）；其证明仍然有效 /
        Blank free-text fields of one recorded event by a logged redaction event (admin);
        its proofs keep verifying."""
        opts = options(ctx)
        with open_ledger(ctx) as ledger:
            try:
                seq = ledger.redact(
                    case_id, version, fields=field, legal_basis=reason, actor=local_operator()
                )
            except (ValueError, LookupError) as e:
                typer.echo(str(e), err=True)
                raise typer.Exit(2) from None
        if opts.json:
            emit({"seq": seq, "fields": field, "reason": reason}, opts)
        else:
            _say(
                f"已遮蔽序号 {seq} 的字段 {', '.join(field)}；证明仍然有效。",
                f"redacted {', '.join(field)} of seq {seq}; its proofs still verify.",
                opts.lang,
            )

    @app.command()
    def witness(
        ctx: typer.Context,
        state: Annotated[
            Path,
            typer.Option(
                "--state",
                help="见证人的状态目录（它的记忆） / "
                "Directory of the witness's state (its memory).",
            ),
        ],
        key: Annotated[
            Path,
            typer.Option(
                "--key",
                help="见证人的密钥目录（为空时生成） / "
                "Key directory of the witness (created when empty).",
            ),
        ],
        trusted_key: TrustedKeyFiles = None,
        name: Annotated[
            str,
            typer.Option(
                "--name",
                help="见证人的密钥名称（生成密钥时用） / "
                "The witness's key name (when creating its key).",
            ),
        ] = "hazard-ledger-witness",
        host: Annotated[
            str, typer.Option("--host", help="监听地址 / Address to listen on.")
        ] = "127.0.0.1",
        port: Annotated[
            int, typer.Option("--port", help="端口（0：任一空闲端口） / Port (0: any free port).")
        ] = 7380,
    ) -> None:
        """运行见证人（C2SP tlog-witness）：只在受信台账的检查点延续它上次联署的检查点时才联署 /
        Run a witness (C2SP tlog-witness): cosign the trusted logs' checkpoints only when
        they extend the last one it cosigned."""
        opts = options(ctx)
        try:
            logs = TrustRoot.configured(trusted_key or [])
            signing = load_signing_key(key) or create_keys(key, name)
        except (CheckpointError, OSError, ValueError) as e:
            _say(f"见证配置无效：{e}", f"invalid witness configuration: {e}", opts.lang, err=True)
            raise typer.Exit(2) from None
        if not logs.keys:
            _say(
                "未指定要见证的账本公钥（--trusted-key 或 LEDGER_TRUSTED_KEYS）",
                "no log key to witness (--trusted-key or LEDGER_TRUSTED_KEYS)",
                opts.lang,
                err=True,
            )
            raise typer.Exit(2)
        server = make_server(Witness(state, signing, logs), host, port)
        bound_host, bound_port = server.server_address[:2]
        _say("见证方公钥：", "witness key:", opts.lang)
        typer.echo(CosignerKey.of(signing).to_text())
        _say(
            f"正在监听 http://{bound_host!s}:{bound_port}",
            f"listening on http://{bound_host!s}:{bound_port}",
            opts.lang,
        )
        sys.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()

    _ = (keys, checkpoint, verify, proof, export_bundle_command, verify_bundle_command, redact)
    _ = (witness,)
