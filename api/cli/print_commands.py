"""``ledger print KIND ID -o FILE`` and ``ledger verify-print FILE``.

``print`` renders an enforcement document (责令限期整改指令书, 整改复查意见书,
行政处罚决定书, 现场检查记录) as PDF or DOCX with a QR code sealing the events it shows
under a signed checkpoint (signing a new checkpoint with the configured key when the
latest one does not include them yet). ``verify-print`` opens no store: it decodes the
QR code from the rendered page and checks the paper against the trusted key alone.
Exit codes of ``verify-print``: 0 verified, 1 content changed or not in the ledger,
3 no trusted key or no seal found, 4 only the checkpoint could be checked (a monthly
report whose figures did not travel in the QR code, read without ``--store``).

``print monthly-report REGION MONTH`` prints the monthly report computed at a signed
checkpoint (decision 0028); ``verify-print --store COPY`` recomputes it from a copy of the
ledger at that checkpoint's tree size.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from ledger.integrity import NoSigningKey
from ledger.integrity.signing import CheckpointError
from ledger.integrity.trust import TrustRoot
from ledger.scope import Scope

from ..composition import Config
from ..composition import open_ledger as compose
from ..documents import monthly
from ..documents.render import write_document
from ..documents.report_render import write_report_pdf
from ..documents.scan import scan
from ..documents.seal import MESSAGES, Seal, SealCheck, SealError, check
from ..documents.sources import KINDS_ZH, seal_for
from .common import Options, emit, open_ledger, options
from .integrity_commands import KeyDir, TrustedKeyFiles


def register(app: typer.Typer) -> None:
    """Add ``print`` and ``verify-print`` to ``app``."""

    @app.command("print")
    def print_document(
        ctx: typer.Context,
        kind: Annotated[
            str, typer.Argument(help=f"One of: {', '.join(KINDS_ZH)}, {monthly.KIND}.")
        ],
        record: Annotated[
            str, typer.Argument(help="The action, inspection or case id; or the region code.")
        ],
        output: Annotated[Path, typer.Option("-o", "--output", help="A .pdf or .docx file.")],
        month: Annotated[str | None, typer.Argument(help="YYYY-MM (monthly-report only).")] = None,
        key_dir_opt: KeyDir = None,
    ) -> None:
        """Print a document with a QR code that proves it against the ledger (打印文书)."""
        opts = options(ctx)
        if kind == monthly.KIND:
            _print_monthly(ctx, record, month, output, key_dir_opt)
            return
        try:
            record_id = UUID(record)
        except ValueError:
            typer.echo(f"记录编号无效 / not a record id: {record!r}", err=True)
            raise typer.Exit(2) from None
        with open_ledger(ctx) as ledger:
            ledger.integrity.use_key_directory(key_dir_opt)
            try:
                seal = seal_for(ledger, kind, record_id)
            except NoSigningKey as e:
                typer.echo(str(e), err=True)
                raise typer.Exit(1) from None
            write_document(output, seal.content(), seal)
        if opts.json:
            emit({"output": str(output), "kind": kind, "tree_size": _size(seal)}, opts)
            return
        name = KINDS_ZH[kind]
        typer.echo(
            f"已打印{name}：{output}（检查点树大小 {_size(seal)}）"
            if opts.lang == "zh"
            else f"printed {kind}: {output} (checkpoint tree size {_size(seal)})"
        )

    @app.command("verify-print")
    def verify_print(
        ctx: typer.Context,
        document: Annotated[Path, typer.Argument(help="A printed .pdf/.docx, or a scan image.")],
        trusted_key: TrustedKeyFiles = None,
        store: Annotated[
            str | None,
            typer.Option(
                "--store",
                help="A copy of the ledger: recompute a monthly report at its checkpoint.",
            ),
        ] = None,
    ) -> None:
        """Check a printed document against the ledger's key, offline (核验文书).
        Exit 0 verified, 1 changed or not in the ledger, 3 nothing to judge by."""
        opts = options(ctx)
        try:
            trust = TrustRoot.configured(trusted_key or [])
        except (CheckpointError, OSError, ValueError) as e:
            typer.echo(f"信任配置无效 / invalid trust configuration: {e}", err=True)
            raise typer.Exit(2) from None
        if not trust.keys:
            typer.echo(
                "未指定账本公钥（--trusted-key 或 LEDGER_TRUSTED_KEYS）"
                if opts.lang == "zh"
                else "no ledger key given (--trusted-key or LEDGER_TRUSTED_KEYS)",
                err=True,
            )
            raise typer.Exit(3)
        scanned = scan(document)
        reports = [c for c in scanned.codes if c.startswith(monthly.MAGIC)]
        if reports:
            _verify_monthly(reports[0], scanned.text, trust, store, opts)
            return
        verdict = SealCheck("no_seal")
        for code in scanned.codes:
            try:
                verdict = check(Seal.from_bytes(code), scanned.text, trust)
            except SealError as e:
                verdict = SealCheck(e.code if e.code in MESSAGES else "not_a_seal")
            if verdict.ok:
                break
        if opts.json:
            emit(verdict.as_dict(), opts)
        else:
            typer.echo(verdict.message(opts.lang))
            for line in verdict.differing:
                typer.echo(f"  ✗ {line}")
            if verdict.ok and verdict.seal is not None and verdict.checkpoint is not None:
                for event in verdict.seal.events:
                    typer.echo(
                        f"  ✓ {event.role}: seq {event.header.seq} "
                        f"{event.header.event_type.rsplit(':', 1)[-1]} "
                        f"leaf {event.leaf_hash.hex()[:16]}…"
                    )
                typer.echo(
                    f"  checkpoint {verdict.checkpoint.origin} size {verdict.checkpoint.tree_size}"
                )
        if not verdict.ok:
            raise typer.Exit(3 if verdict.status in ("no_seal", "not_a_seal") else 1)


def _size(seal: Seal) -> str:
    lines = seal.note.splitlines()
    return lines[1] if len(lines) > 1 else "?"


def _print_monthly(
    ctx: typer.Context,
    region: str,
    month: str | None,
    output: Path,
    key_dir: Path | str | None,
) -> None:
    """``print monthly-report REGION MONTH``: the report at a signed checkpoint, sealed."""
    opts = options(ctx)
    if month is None or output.suffix.lower() != ".pdf":
        typer.echo(
            "用法：ledger print monthly-report 区划代码 YYYY-MM -o 文件.pdf"
            if opts.lang == "zh"
            else "usage: ledger print monthly-report REGION YYYY-MM -o FILE.pdf",
            err=True,
        )
        raise typer.Exit(2)
    with open_ledger(ctx) as ledger:
        ledger.integrity.use_key_directory(key_dir)
        try:
            report, seal = monthly.seal_report(ledger, region, month, scope=Scope.everything())
        except NoSigningKey as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(1) from None
        except (ValueError, LookupError) as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(2) from None
        write_report_pdf(output, report, seal)
    if opts.json:
        emit({"output": str(output), "kind": monthly.KIND, "tree_size": seal.tree_size}, opts)
        return
    typer.echo(
        f"已打印月度报表：{output}（检查点树大小 {seal.tree_size}）"
        if opts.lang == "zh"
        else f"printed the monthly report: {output} (checkpoint tree size {seal.tree_size})"
    )


def _verify_monthly(
    code: bytes, text: str, trust: TrustRoot, store: str | None, opts: Options
) -> None:
    """Judge a printed monthly report; with ``store``, recompute it from that copy."""
    try:
        seal = monthly.MonthlySeal.from_bytes(code)
    except (ValueError, KeyError, TypeError, zlib.error, struct.error):
        typer.echo(SealCheck("not_a_seal").message(opts.lang))
        raise typer.Exit(3) from None
    if store is None:
        verdict = monthly.check(seal, text, trust)
    else:
        opened = compose(Config(store=store))
        try:
            verdict = monthly.check(
                seal,
                text,
                trust,
                recompute=lambda s: monthly.report_at(
                    opened.ledger, s.region, s.month, s.tree_size, scope=Scope.everything()
                ),
            )
        finally:
            opened.close()
    if opts.json:
        emit(verdict.as_dict(), opts)
    else:
        typer.echo(verdict.message(opts.lang))
        for line in verdict.differing:
            typer.echo(f"  ✗ {line}")
        if verdict.checkpoint is not None:
            typer.echo(
                f"  checkpoint {verdict.checkpoint.origin} size {verdict.checkpoint.tree_size}"
                f" · known at {seal.known_at}"
                + (" · recomputed from the ledger copy" if verdict.recomputed else "")
            )
    if not verdict.ok:
        raise typer.Exit(4 if verdict.status == "checkpoint_only" else 1)
