"""``ledger project``, ``ledger rebuild``, ``ledger register``, ``ledger report``: read models."""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from ledger.codes import region_name
from ledger.scope import Scope
from ledger.store import resolve_store, try_lease
from projections.follower import REBUILD_BATCH, Follower
from projections.queries import ReadModelMissing, RegisterFilter
from projections.reads import Reads

from ..composition import Config, open_ledger, projection_factory, read_models_for
from ..labels import Labels, beijing_day, beijing_minute
from .common import FLAG, JsonFlag, Options, catalogue, emit, options, parse_moment
from .quarantine_command import summary as quarantine_summary

report_app = typer.Typer(
    no_args_is_help=True, help="读模型生成的报表 / Reports from the read models."
)

#: The store-wide lease a rebuild holds (``ledger.store.try_lease``).
REBUILD_LEASE = "rebuild"

#: The options several read commands share, said once.
BatchSize = typer.Option("--batch-size", help="每批处理的事件数 / Events applied per batch.")
OverdueAt = typer.Option(
    "--valid-at", help="判断逾期的时刻（默认：现在） / Moment for overdue (default: now)."
)
SnapshotAt = typer.Option(
    "--known-at", help="按当时已记录的内容（快照） / As recorded by then (a snapshot)."
)


@contextmanager
def _follower(
    store: str | None, batch_size: int = 2000, plugins: list[str] | None = None
) -> Iterator[Follower]:
    opened = open_ledger(Config(store=store, plugins=None if plugins is None else tuple(plugins)))
    follower = opened.follower(batch_size=batch_size)
    try:
        yield follower
    finally:
        follower.close()
        opened.close()


def _check_names(names: list[str] | None, plugins: list[str] | None) -> list[str] | None:
    known = [p.name for p in read_models_for(plugins)]
    for name in names or []:
        if name not in known:
            typer.echo(
                f"NAME: 未知的读模型“{name}” / unknown read model {name!r}; "
                f"one of {', '.join(known)}",
                err=True,
            )
            raise typer.Exit(2)
    return names or None


def _follow_worker(
    store: str | None, name: str, poll: float, plugins: list[str] | None = None
) -> None:
    stop = {"flag": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(flag=True))
    with _follower(store, plugins=plugins) as follower, contextlib.suppress(KeyboardInterrupt):
        follower.follow([name], poll_interval=poll, should_stop=lambda: stop["flag"])


def register(app: typer.Typer) -> None:
    @app.command("project")
    def project(
        ctx: typer.Context,
        names: Annotated[
            list[str] | None,
            typer.Argument(help="读模型名称（默认：全部） / Read models (default: all)."),
        ] = None,
        follow: Annotated[
            bool,
            typer.Option(
                "--follow/--once",
                metavar=FLAG,
                help="持续跟进，每个读模型一个工作进程；或追平一次后退出（默认） / "
                "Keep following, one worker process per read model; or catch up once "
                "and exit (the default).",
            ),
        ] = False,
        poll: Annotated[
            float,
            typer.Option("--poll", help="空闲时轮询间隔（秒） / Seconds between polls when idle."),
        ] = 0.5,
        batch_size: Annotated[int, BatchSize] = 2000,
    ) -> None:
        """让读模型追平台账（有变更的读模型重建） /
        Bring read models up to date with the ledger (rebuilding changed ones)."""
        opts = options(ctx)
        chosen = _check_names(names, opts.plugins)
        if follow:
            selected = chosen or [p.name for p in read_models_for(opts.plugins)]
            procs = [
                multiprocessing.get_context("spawn").Process(
                    target=_follow_worker,
                    args=(opts.store, n, poll, opts.plugins),
                    name=f"project-{n}",
                )
                for n in selected
            ]
            for p in procs:
                p.start()
            try:
                for p in procs:
                    p.join()
            except KeyboardInterrupt:
                for p in procs:
                    p.terminate()
                    p.join()
            return
        with _follower(opts.store, batch_size, opts.plugins) as follower:
            read = follower.catch_up(chosen)
            status = {n: follower.tracking(n) for n in follower.projections}
            aside = follower.quarantined()
        if opts.json:
            emit(
                {
                    "events_read": read,
                    "positions": {k: v[0] if v else None for k, v in status.items()},
                    "set_aside": Counter(str(e["name"]) for e in aside),
                },
                opts,
            )
        else:
            say = catalogue(opts)
            typer.echo(say.text(f"已读取事件 {read} 条", f"events read: {read}"))
            for name, row in status.items():
                where = row[0] if row else "—"
                typer.echo(f"  {name:<24} " + say.text(f"已处理至 {where}", f"position {where}"))
            for line in quarantine_summary(aside, opts):
                typer.echo(line, err=True)

    @app.command("rebuild")
    def rebuild(
        ctx: typer.Context,
        name: Annotated[
            str | None,
            typer.Argument(
                help="只重建这一个读模型（默认：全部） / One read model (default: all)."
            ),
        ] = None,
        known_at: Annotated[
            str | None,
            typer.Option(
                "--known-at",
                help="按台账在此时刻所知重建，写入单独的表（ISO 8601） / Rebuild as the "
                "ledger knew it at this moment (ISO 8601), into separate tables.",
            ),
        ] = None,
        batch_size: Annotated[int, BatchSize] = REBUILD_BATCH,
        workers: Annotated[
            int,
            typer.Option(
                "--workers",
                help="同时用几个进程重建读模型（每核一个） / "
                "Rebuild read models in this many processes at once (one per core).",
            ),
        ] = 1,
    ) -> None:
        """从第一个事件起重建到新表，完成后再切换 /
        Rebuild from the first event into new tables; swap in when complete."""
        opts = options(ctx)
        chosen = _check_names([name] if name else None, opts.plugins)
        cut = parse_moment(known_at, "--known-at")
        # Two rebuilds of one ledger would write the same build tables: the second
        # one waits for nothing and is refused at once.
        lease = try_lease(resolve_store(opts.store), REBUILD_LEASE)
        if lease is None:
            typer.echo(
                catalogue(opts).text(
                    "这个台账的另一次重建正在进行，未做任何改动；请在它完成后再试",
                    "another rebuild of this ledger is running; nothing was changed, "
                    "try again when it has finished",
                ),
                err=True,
            )
            raise typer.Exit(4)
        try:
            read, seconds = _rebuilt(opts, chosen, cut, batch_size, workers)
        finally:
            lease.release()
        with _follower(opts.store, batch_size, opts.plugins) as follower:
            aside = follower.quarantined()
        if opts.json:
            emit({"events_read": read, "seconds": seconds, "known_at": known_at}, opts)
        else:
            typer.echo(
                catalogue(opts).text(
                    f"已从 {read} 条事件重建读模型，用时 {seconds:.1f} 秒",
                    f"rebuilt from {read} events in {seconds:.1f}s",
                )
            )
            for line in quarantine_summary(aside, opts):
                typer.echo(line, err=True)

    def _rebuilt(
        opts: Options,
        chosen: list[str] | None,
        cut: datetime | None,
        batch_size: int,
        workers: int,
    ) -> tuple[int, float]:
        """(events read, seconds) of rebuilding ``chosen`` (all if None)."""
        start = datetime.now(tz=UTC)
        if workers > 1:
            from projections.parallel import rebuild_in_parallel

            names = chosen or [p.name for p in read_models_for(opts.plugins)]
            read = rebuild_in_parallel(
                resolve_store(opts.store).url,
                names,
                workers=workers,
                known_at=cut,
                batch_size=batch_size,
                factory=projection_factory(opts.plugins),
            )
        else:
            with _follower(opts.store, batch_size, opts.plugins) as follower:
                read = follower.rebuild(chosen, known_at=cut)
        return read, (datetime.now(tz=UTC) - start).total_seconds()

    @app.command("register")
    def register_command(
        ctx: typer.Context,
        sector: Annotated[
            str | None, typer.Option(help="行业，如 city_gas / Sector, e.g. city_gas.")
        ] = None,
        region: Annotated[
            str | None,
            typer.Option(
                help="区划代码前缀：62、6208、620826 / Region code prefix: 62, 6208, 620826."
            ),
        ] = None,
        enterprise: Annotated[
            str | None, typer.Option(help="统一社会信用代码 / Credit code.")
        ] = None,
        status: Annotated[
            list[str] | None, typer.Option(help="状态（可重复） / Status (repeatable).")
        ] = None,
        grade: Annotated[
            str | None, typer.Option(help="等级：general 一般或 major 重大 / general or major.")
        ] = None,
        found_from: Annotated[
            str | None, typer.Option("--from", help="发现日期不早于 / Found on/after.")
        ] = None,
        found_to: Annotated[
            str | None, typer.Option("--to", help="发现日期早于 / Found before.")
        ] = None,
        overdue: Annotated[
            bool | None,
            typer.Option(
                "--overdue/--not-overdue",
                metavar=FLAG,
                help="只列逾期的，或只列未逾期的（不填：都列） / "
                "Only overdue, or only not overdue (neither: both).",
            ),
        ] = None,
        listed: Annotated[
            bool | None,
            typer.Option(
                "--listed/--not-listed",
                metavar=FLAG,
                help="只列挂牌督办的，或只列未挂牌的（不填：都列） / "
                "Only listed for supervision, or only not listed (neither: both).",
            ),
        ] = None,
        valid_at: Annotated[str | None, OverdueAt] = None,
        known_at: Annotated[str | None, SnapshotAt] = None,
        limit: Annotated[int, typer.Option(help="每页行数 / Rows per page.")] = 50,
        cursor: Annotated[
            str | None, typer.Option(help="上一页给出的游标 / Cursor from the previous page.")
        ] = None,
    ) -> None:
        """问题隐患清单，可筛选、分页 / The hazard register, filtered and paginated."""
        opts = options(ctx)
        filters = RegisterFilter(
            sector=sector,
            region=region,
            enterprise=enterprise,
            status=tuple(status or ()),
            grade=grade,
            found_from=parse_moment(found_from, "--from"),
            found_to=parse_moment(found_to, "--to"),
            overdue=overdue,
            listed=listed,
        )
        with _reads(opts) as reads:
            page = reads.register(
                filters,
                scope=LOCAL_OPERATOR,
                known_at=parse_moment(known_at, "--known-at"),
                valid_at=parse_moment(valid_at, "--valid-at"),
                limit=limit,
                cursor=cursor,
            )
        if opts.json:
            emit({"items": page.items, "next_cursor": page.next_cursor, "at": page.at}, opts)
            return
        names = catalogue(opts)
        for r in page.items:
            late = (
                names.text(f" 逾期{r['overdue_days']}天", f" overdue {r['overdue_days']} days")
                if r["overdue"]
                else ""
            )
            typer.echo(
                f"{beijing_day(r['found_at'])} {region_name(r['region_code'])} "
                f"{names.name('sector', r['sector'])} {names.name('grade', r['grade'])} "
                f"{names.name('status', r['status'])} {r['enterprise_name']}"
                f"{late}  {r['case_id']}"
            )
        if page.next_cursor:
            typer.echo(names.text("下一页：", "next: ") + f"--cursor {page.next_cursor}")

    app.add_typer(report_app, name="report")


#: The person at the terminal reads everything: the store's file is theirs already.
LOCAL_OPERATOR = Scope.everything()


@contextmanager
def _reads(opts: Options) -> Iterator[Reads]:
    """The read layer over the configured ledger, with read errors as exit codes."""
    opened = open_ledger(
        Config(store=opts.store, plugins=None if opts.plugins is None else tuple(opts.plugins))
    )
    try:
        yield Reads(opened.ledger, audit_rules=opened.sectors.audit_rules)
    except ReadModelMissing as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(3) from None
    except (ValueError, LookupError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None
    finally:
        opened.close()


#: The figures of a monthly report, in the order of the county reports.
FIGURES = (
    "units_inspected",
    "devices_checked",
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


def _print_figures(figures: dict[str, Any], names: Labels) -> None:
    for key in FIGURES:
        value = figures[key]
        if key == "devices_checked" and not value:
            continue  # only sectors with devices (special equipment) report this line
        typer.echo(f"  {names.field(key)}{names.colon}{names.value(key, value)}")


@report_app.command("monthly")
def monthly(
    ctx: typer.Context,
    region: Annotated[
        str, typer.Option(help="区划代码前缀，如 620826 / Region code prefix, e.g. 620826.")
    ],
    month: Annotated[str, typer.Option(help="月份（YYYY-MM） / Month (YYYY-MM).")],
    json: JsonFlag = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="语言：zh 或 en（默认同全局 --lang） / zh or en (default: the global --lang).",
        ),
    ] = None,
    valid_at: Annotated[str | None, OverdueAt] = None,
    known_at: Annotated[str | None, SnapshotAt] = None,
) -> None:
    """月度汇总，格式同县里的月报 / The monthly summary in the shape of the county reports."""
    opts = options(ctx)
    opts = Options(
        store=opts.store, json=json or opts.json, lang=lang or opts.lang, plugins=opts.plugins
    )
    with _reads(opts) as reads:
        report = reads.monthly_report(
            region,
            month,
            scope=LOCAL_OPERATOR,
            known_at=parse_moment(known_at, "--known-at"),
            valid_at=parse_moment(valid_at, "--valid-at"),
        )
    if opts.json:
        emit(report, opts)
        return
    names = catalogue(opts)
    typer.echo(
        f"{region_name(region)}{names.text('月度报表', ' monthly report')} {month} "
        f"（{names.text('截至', 'as of')} {beijing_minute(report['at'])}）"
    )
    for figures in report["sectors"]:
        typer.echo(f"[{names.name('sector', figures['sector'])}]")
        _print_figures(figures, names)
    typer.echo(f"[{names.field('total')}]")
    _print_figures(report["total"], names)


@report_app.command("ranking")
def ranking(
    ctx: typer.Context,
    region: Annotated[str, typer.Option(help="区划代码前缀 / Region code prefix.")],
    month: Annotated[str, typer.Option(help="月份（YYYY-MM） / Month (YYYY-MM).")],
    by: Annotated[
        str,
        typer.Option(
            help="按 region（县）、township（乡镇）或 department（部门）排名 / "
            "region (county), township or department."
        ),
    ] = "region",
    json: JsonFlag = False,
    valid_at: Annotated[str | None, OverdueAt] = None,
    known_at: Annotated[str | None, SnapshotAt] = None,
) -> None:
    """按动态评价指数的月度排名 / Monthly ranking by the dynamic evaluation index."""
    opts = options(ctx)
    opts = Options(store=opts.store, json=json or opts.json, lang=opts.lang, plugins=opts.plugins)
    with _reads(opts) as reads:
        rows = reads.rankings(
            region,
            month,
            scope=LOCAL_OPERATOR,
            by=by,
            known_at=parse_moment(known_at, "--known-at"),
            valid_at=parse_moment(valid_at, "--valid-at"),
        )
    if opts.json:
        emit(rows, opts)
        return
    names = catalogue(opts)
    for r in rows:
        typer.echo(
            f"{r['rank']:>3}. {r.get('unit_name') or r['unit']}  "
            f"{names.field('index')} {r['index']:.2f}  "
            + "  ".join(
                f"{names.field(key)} {r[key]}"
                for key in ("hazards_found", "rectified", "overdue", "major_open")
            )
        )
