"""``ledger template`` and ``ledger import``: the hazard-ledger workbook."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from ledger.scope import Scope
from projections.queries import ReadModelMissing
from projections.reads import Reads

from ..composition import load_configured_sectors
from .common import FLAG, emit, local_operator, open_ledger, options, parse_moment
from .workbook_files import BLANK_WORKBOOK, UNREADABLE_WORKBOOK, workbook_problem

#: The person at the terminal reads everything: the store's file is theirs already.
LOCAL_OPERATOR = Scope.everything()


def register(app: typer.Typer) -> None:
    @app.command()
    def template(
        ctx: typer.Context,
        path: Annotated[
            Path, typer.Argument(help="模板写到哪里 / Where to write the workbook.")
        ] = Path("隐患台账模板.xlsx"),
    ) -> None:
        """生成空白的隐患台账工作簿（中文表头、下拉选项，每个已加载行业一张明细表） /
        Write an empty hazard-ledger workbook (Chinese headers, drop-down lists, and a
        sheet of each loaded sector's detail fields)."""
        from api.workbook.template import write_template

        written = write_template(path, load_configured_sectors(options(ctx).plugins))
        typer.echo(f"已生成台账模板 / template written: {written}")

    @app.command("import")
    def import_workbook(
        ctx: typer.Context,
        path: Annotated[
            Path,
            typer.Argument(exists=True, dir_okay=False, help="台账工作簿 .xlsx / The .xlsx file."),
        ],
        check: Annotated[
            bool,
            typer.Option(
                "--check",
                metavar=FLAG,
                help="只检查文件，不记录 / Only check the file; record nothing.",
            ),
        ] = False,
    ) -> None:
        """导入隐患台账工作簿：所有行都通过台账规则才记录，否则一行也不记；
        同一文件再次导入不会重复记录 /
        Import a hazard-ledger workbook: all rows pass the ledger's rules, or none is
        recorded; importing the same file again records nothing new."""
        from openpyxl.utils.exceptions import InvalidFileException

        from api.workbook.importer import WorkbookImporter, count_rows

        opts = options(ctx)
        en = opts.lang.startswith("en")
        problem = workbook_problem(path)
        try:
            total = count_rows(path) if problem is None else 0
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
            zh, english = UNREADABLE_WORKBOOK
            problem = (zh.format(name=path.name), english.format(name=path.name))
        if problem is not None:
            typer.echo(problem[1] if en else problem[0], err=True)
            raise typer.Exit(2)
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
                task = bar.add_task("检查与导入 / importing", total=total)
                report = importer.run(
                    path, record=not check, progress=lambda n: bar.advance(task, n)
                )
        if report.ok and report.rows == 0:
            typer.echo(BLANK_WORKBOOK[1] if en else BLANK_WORKBOOK[0], err=True)
            raise typer.Exit(2)
        if opts.json:
            emit(report.as_dict(), opts)
        elif report.ok:
            verb = "已导入" if report.recorded else "检查通过（未记录）"
            typer.echo(
                f"{verb}：{report.rows} 行，新建隐患 {report.cases_created} 条，记录事件 "
                f"{report.events_recorded} 个，此前已导入 {report.rows_already_recorded} 行"
            )
        else:
            count = len(report.problems)
            typer.echo(
                f"The file was refused and nothing was recorded ({count} problems):"
                if en
                else f"文件被拒绝，未记录任何内容（{count} 个问题）：",
                err=True,
            )
            for p in report.problems[:200]:
                where = f"{p.sheet} row {p.row}" if en else f"{p.sheet} 第{p.row}行"
                message = p.message_en if en else p.message_zh
                line = (
                    f"{where} [{p.column}]: {message}"
                    if en
                    else f"{where}「{p.column}」：{message}"
                )
                typer.echo(f"  {line}", err=True)
        if not report.ok:
            raise typer.Exit(2)


KnownAtOption = Annotated[
    str | None,
    typer.Option(
        "--known-at",
        help="按此时刻已记录的内容（需要快照） / As recorded by this moment (needs a snapshot).",
    ),
]


def known(text: str | None) -> datetime | None:
    return parse_moment(text, "--known-at")


@contextmanager
def _reads(ctx: typer.Context) -> Iterator[Reads]:
    """The read layer over the configured ledger, with read errors as exit codes."""
    with open_ledger(ctx) as ledger:
        try:
            yield Reads(ledger)
        except ReadModelMissing as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(3) from None
        except ValueError as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(2) from None


def register_exports(app: typer.Typer) -> None:
    export_app = typer.Typer(no_args_is_help=True)

    @export_app.command("register")
    def export_register(
        ctx: typer.Context,
        output: Annotated[
            Path, typer.Argument(help="导出的 .xlsx 或 .csv 文件 / A .xlsx or .csv file.")
        ],
        region: Annotated[
            str | None, typer.Option(help="区划代码前缀 / Region code prefix.")
        ] = None,
        sector: Annotated[str | None, typer.Option(help="行业代码 / Sector code.")] = None,
        status: Annotated[
            list[str] | None, typer.Option(help="状态（可重复） / Status (repeat).")
        ] = None,
        known_at: KnownAtOption = None,
    ) -> None:
        """按官方归档格式导出问题隐患清单 / The hazard register as an official would file it."""
        from api.workbook.reports import register_headers, register_rows, write
        from projections.queries import RegisterFilter

        columns = [
            c
            for c in load_configured_sectors(options(ctx).plugins).report_columns
            if sector is None or c.sector == sector
        ]
        filters = RegisterFilter(sector=sector, region=region, status=tuple(status or ()))
        with _reads(ctx) as reads:
            n = write(
                output,
                "问题隐患清单",
                register_headers(columns),
                register_rows(
                    reads.register_pages(filters, scope=LOCAL_OPERATOR, known_at=known(known_at)),
                    columns,
                ),
                heading=f"{region or '全部'} 问题隐患清单",
            )
        typer.echo(f"已导出问题隐患清单 {n} 条 / exported {n} rows: {output}")

    @export_app.command("monthly")
    def export_monthly(
        ctx: typer.Context,
        output: Annotated[
            Path, typer.Argument(help="导出的 .xlsx 或 .csv 文件 / A .xlsx or .csv file.")
        ],
        region: Annotated[str, typer.Option(help="区划代码前缀 / Region code prefix.")],
        month: Annotated[str, typer.Option(help="月份（YYYY-MM） / Month (YYYY-MM).")],
        known_at: KnownAtOption = None,
    ) -> None:
        """月度报表：分行业的合计和比率 / The monthly report per sector with totals and rates."""
        from api.workbook.reports import monthly_columns, monthly_rows, write

        with _reads(ctx) as reads:
            report = reads.monthly_report(
                region, month, scope=LOCAL_OPERATOR, known_at=known(known_at)
            )
        n = write(
            output,
            f"{month}月度报表",
            monthly_columns(),
            monthly_rows(report),
            heading=f"{region} {month} 月度报表",
        )
        typer.echo(f"已导出月度报表 / exported: {output} ({n} rows)")

    @export_app.command("statistics")
    def export_statistics(
        ctx: typer.Context,
        output: Annotated[
            Path, typer.Argument(help="导出的 .xlsx 或 .csv 文件 / A .xlsx or .csv file.")
        ],
        region: Annotated[str, typer.Option(help="区划代码前缀 / Region code prefix.")],
        year: Annotated[int, typer.Option(help="年份 / The year.")],
        known_at: KnownAtOption = None,
    ) -> None:
        """月度分行业统计：一年逐月 / Sector statistics month by month for a year."""
        from api.workbook.reports import statistics_columns, statistics_rows, write

        with _reads(ctx) as reads:
            reports = reads.statistics(region, year, scope=LOCAL_OPERATOR, known_at=known(known_at))
        n = write(
            output,
            f"{year}年分行业统计",
            statistics_columns(),
            statistics_rows(reports),
            heading=f"{region} {year}年 分行业统计",
        )
        typer.echo(f"已导出分行业统计 / exported: {output} ({n} rows)")

    @export_app.command("measures")
    def export_measures(
        ctx: typer.Context,
        output: Annotated[
            Path, typer.Argument(help="导出的 .xlsx 或 .csv 文件 / A .xlsx or .csv file.")
        ],
        region: Annotated[
            str | None, typer.Option(help="区划代码前缀 / Region code prefix.")
        ] = None,
        known_at: KnownAtOption = None,
    ) -> None:
        """制度措施清单 / The institutional measures list."""
        from api.workbook.reports import MEASURE_COLUMNS, measure_rows, write

        with _reads(ctx) as reads:
            rows = reads.measures(region, scope=LOCAL_OPERATOR, known_at=known(known_at))
        n = write(
            output,
            "制度措施清单",
            MEASURE_COLUMNS,
            measure_rows(rows),
            heading=f"{region or '全部'} 制度措施清单",
        )
        typer.echo(f"已导出制度措施清单 {n} 条 / exported {n} rows: {output}")

    app.add_typer(
        export_app,
        name="export",
        help="导出清单和报表（XLSX/CSV） / Export the lists and reports (XLSX/CSV).",
    )
