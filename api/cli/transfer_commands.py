"""``ledger export-ledger`` and ``ledger import-ledger``: the whole ledger as JSON Lines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import catalogue, emit, open_ledger, options


def register(app: typer.Typer) -> None:
    @app.command("export-ledger")
    def export_command(
        ctx: typer.Context,
        path: Annotated[
            Path, typer.Argument(help="要写入的 .jsonl 文件 / The .jsonl file to write.")
        ],
    ) -> None:
        """导出全部事件及其证明（备份、迁移、移交审计） /
        Export every event with its proof (backup, migration, hand-over to an auditor)."""
        from ledger.transfer import export_ledger

        with open_ledger(ctx) as ledger:
            report = export_ledger(ledger, path)
        opts = options(ctx)
        if opts.json:
            emit(report.as_dict(), opts)
        else:
            say = catalogue(opts)
            typer.echo(
                say.text(
                    f"已导出 {report.events} 个事件：{path}",
                    f"exported {report.events} events: {path}",
                )
            )

    @app.command("import-ledger")
    def import_command(
        ctx: typer.Context,
        path: Annotated[
            Path,
            typer.Argument(
                exists=True,
                dir_okay=False,
                help="`ledger export-ledger` 导出的 .jsonl 文件 / "
                "The .jsonl file from `ledger export-ledger`.",
            ),
        ],
    ) -> None:
        """把导出的台账导入空存储，并证明副本与原件一致（树根与原件的签名检查点相同） /
        Import an exported ledger into an empty store and prove the copy equal to the
        original (same tree root as the original's signed checkpoint)."""
        from ledger.transfer import TransferError, import_ledger

        opts = options(ctx)
        say = catalogue(opts)
        with open_ledger(ctx) as ledger:
            try:
                report = import_ledger(ledger, path)
            except TransferError as e:
                if opts.json:
                    emit(
                        {
                            "error": "import_refused",
                            "message_zh": e.message_zh,
                            "message_en": e.message_en,
                        },
                        opts,
                    )
                else:
                    typer.echo(
                        say.text(
                            "导入被拒绝，未写入任何内容：", "Import refused; nothing was written: "
                        )
                        + say.text(e.message_zh, e.message_en),
                        err=True,
                    )
                raise typer.Exit(2) from None
        if opts.json:
            emit(report.as_dict(), opts)
            return
        for line in report.statements(say.lang):
            typer.echo(line)
        if not report.proven:
            typer.echo(
                say.text(
                    "注意：导出文件不含签名检查点，副本仅与文件自身的树根核对。",
                    "Note: the export holds no signed checkpoint; the copy was checked only "
                    "against the file's own tree root.",
                )
            )
