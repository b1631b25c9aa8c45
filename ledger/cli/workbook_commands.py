"""``ledger template`` and ``ledger import``: the hazard-ledger workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from .common import emit, local_operator, open_ledger, options


def register(app: typer.Typer) -> None:
    @app.command()
    def template(
        path: Annotated[Path, typer.Argument(help="Where to write the workbook.")] = Path(
            "隐患台账模板.xlsx"
        ),
    ) -> None:
        """Write an empty hazard-ledger workbook (Chinese headers, drop-down lists)."""
        from ledger.workbook.template import write_template

        typer.echo(f"已生成台账模板 / template written: {write_template(path)}")

    @app.command("import")
    def import_workbook(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The .xlsx file.")],
        check: Annotated[
            bool, typer.Option("--check", help="Only check the file; record nothing.")
        ] = False,
    ) -> None:
        """Import a hazard-ledger workbook: all rows pass the ledger's rules, or none is
        recorded; importing the same file again records nothing new."""
        from ledger.workbook.importer import WorkbookImporter, count_rows

        opts = options(ctx)
        total = count_rows(path)
        with open_ledger(ctx) as ledger:
            importer = WorkbookImporter(ledger, local_operator(), path.name)
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                transient=True,
                disable=opts.json,
            ) as bar:
                task = bar.add_task("检查与导入 / importing", total=total * (1 if check else 2))
                report = importer.run(
                    path, record=not check, progress=lambda n: bar.advance(task, n)
                )
        if opts.json:
            emit(report.as_dict(), opts)
        elif report.ok:
            verb = "已导入" if report.recorded else "检查通过（未记录）"
            typer.echo(
                f"{verb}：{report.rows} 行，新建隐患 {report.cases_created} 条，记录事件 "
                f"{report.events_recorded} 个，此前已导入 {report.rows_already_recorded} 行"
            )
        else:
            typer.echo(f"文件被拒绝，未记录任何内容（{len(report.problems)} 个问题）：", err=True)
            for p in report.problems[:200]:
                message = p.message_en if opts.lang == "en" else p.message_zh
                typer.echo(f"  {p.sheet} 第{p.row}行 [{p.column}] {p.rule}: {message}", err=True)
        if not report.ok:
            raise typer.Exit(2)
