"""``ledger report sources|listings|enforcement|effort|accidents``: the campaign's tables.

Each table is asked for a region prefix and a period — ``2026-03``, ``2026-Q1``,
``2026``, or ``--from``/``--to`` days — optionally with ``--since`` for the cumulative
columns (自 2020 年 4 月以来累计), and printed, written as JSON, or exported with
``-o FILE.xlsx``/``FILE.csv`` through the typed report columns.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from ledger.codes import region_name
from projections.campaign import TABLES, Period, parse_period, period_between

from ..labels import Labels
from ..workbook import campaign as sheets
from ..workbook.reports import as_text, write
from .common import JsonFlag, Options, catalogue, emit, options, parse_moment
from .projections_command import LOCAL_OPERATOR, SnapshotAt, _reads, report_app

HELP = {
    "sources": "隐患按行业和发现来源（自查/部门检查/举报/专家） / "
    "Hazards by sector and by who found them (self, department, report, expert).",
    "listings": "挂牌督办隐患，按行业和级别 / Listed hazards by sector and level.",
    "enforcement": "执法处罚，按种类：文书数、户数、罚款 / "
    "Enforcement by kind: documents, units, fines.",
    "effort": "检查力度：单位数、检查次数、出动人次、帮扶指导 / "
    "Inspection effort: units, inspections, person-visits, guidance.",
    "accidents": "事故数，与上年同期（同比）和基线比较 / "
    "Accidents with the same period a year before and a baseline.",
}


def _day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.echo(f"{field}: 日期格式应为YYYY-MM-DD / {field} must be YYYY-MM-DD", err=True)
        raise typer.Exit(2) from None


def _period(text: str | None, start: str | None, end: str | None) -> Period:
    try:
        if text:
            return parse_period(text)
        first, last = _day(start, "from"), _day(end, "to")
        if first is None or last is None:
            raise ValueError(
                "period: 请给出统计期（如 2026-03）或 --from 与 --to / "
                "give a period (e.g. 2026-03) or --from and --to"
            )
        return period_between(first, last)
    except ValueError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None


def _print(answer: dict[str, Any], names: Labels) -> None:
    """The table as lines: each row's key, then every figure with its title."""
    typer.echo(sheets.heading(answer, region_name(answer["region"])))
    cols = sheets.columns(answer)
    keys = 2 if answer["table"] == "listings" else 1
    for cells in sheets.rows(answer):
        label = " ".join(str(c) for c in cells[:keys] if c)
        typer.echo(f"[{label}]")
        for column, value in zip(cols[keys:], cells[keys:], strict=True):
            typer.echo(f"  {column.title}{names.colon}{as_text(column, value)}")


def _command(table: str) -> Any:
    def run(
        ctx: typer.Context,
        period: Annotated[
            str | None,
            typer.Argument(
                help="统计期：2026-03、2026-Q1、2026 或 2020-04-01..2022-12-31 / "
                "2026-03, 2026-Q1, 2026 or 2020-04-01..2022-12-31."
            ),
        ] = None,
        region: Annotated[
            str, typer.Option(help="区划代码前缀，如 620826 / Region code prefix, e.g. 620826.")
        ] = "",
        start: Annotated[str | None, typer.Option("--from", help="首日 / First day.")] = None,
        end: Annotated[str | None, typer.Option("--to", help="末日 / Last day.")] = None,
        since: Annotated[
            str | None,
            typer.Option("--since", help="从这一天起累计 / Cumulative from this day."),
        ] = None,
        source: Annotated[
            str | None,
            typer.Option(
                help="发现来源：self、department、public_report、expert 或来源代码 / "
                "self, department, public_report, expert or a source code."
            ),
        ] = None,
        baseline_years: Annotated[
            int,
            typer.Option(
                "--baseline-years",
                help="基线取此前 N 年的平均（事故） / Average of N earlier years (accidents).",
            ),
        ] = 0,
        output: Annotated[
            Path | None,
            typer.Option("-o", "--output", help="导出为 .xlsx 或 .csv / Export to .xlsx or .csv."),
        ] = None,
        json: JsonFlag = False,
        valid_at: Annotated[
            str | None,
            typer.Option(
                "--valid-at", help="业务时刻（默认：现在） / Business moment (default: now)."
            ),
        ] = None,
        known_at: Annotated[str | None, SnapshotAt] = None,
    ) -> None:
        opts = options(ctx)
        opts = Options(
            store=opts.store, json=json or opts.json, lang=opts.lang, plugins=opts.plugins
        )
        span = _period(period, start, end)
        with _reads(opts) as reads:
            answer = reads.campaign(
                table,
                region,
                span,
                scope=LOCAL_OPERATOR,
                since=_day(since, "since"),
                source=source,
                baseline_years=baseline_years,
                known_at=parse_moment(known_at, "--known-at"),
                valid_at=parse_moment(valid_at, "--valid-at"),
            )
        if output is not None:
            title = sheets.TITLES[table]
            heading = sheets.heading(answer, region_name(answer["region"]))
            n = write(output, title, sheets.columns(answer), sheets.rows(answer), heading=heading)
            typer.echo(f"已导出{title} / exported {table}: {output} ({n} rows)")
            return
        if opts.json:
            emit(answer, opts)
            return
        _print(answer, catalogue(opts))

    run.__doc__ = HELP[table]
    return run


def register(app: typer.Typer) -> None:
    """Add the campaign's tables to ``ledger report`` (the group lives beside the
    monthly report; ``app`` is the root, which already holds it)."""
    del app
    for table in TABLES:
        report_app.command(table, help=HELP[table])(_command(table))
