"""``ledger demo``: a county's year in one command, on the embedded default store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from .common import FLAG, config


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        ctx: typer.Context,
        directory: Annotated[
            Path,
            typer.Option(
                "--dir",
                help="演示台账所在目录（目录/ledger.db） / "
                "Where the demo ledger lives (PATH/ledger.db).",
            ),
        ] = Path("."),
        seed: Annotated[
            int, typer.Option(help="随机种子：种子相同，历史相同 / Same seed, same history.")
        ] = 2026,
        year: Annotated[int, typer.Option(help="生成哪一年 / The year to generate.")] = 2026,
        hazards: Annotated[int, typer.Option(help="全年隐患数 / Hazards in a full year.")] = 2000,
        force: Annotated[
            bool,
            typer.Option(
                "--force",
                metavar=FLAG,
                help="替换已有的演示台账 / Replace an existing demo ledger.",
            ),
        ] = False,
        counties: Annotated[
            int,
            typer.Option(
                help="全省规模：并列生成甘肃的这么多个县 / "
                "Province scale: this many Gansu counties side by side."
            ),
        ] = 1,
        years: Annotated[
            int, typer.Option(help="全省规模：生成这么多年 / Province scale: this many years.")
        ] = 1,
        lang: Annotated[str, typer.Option(help="输出语言：zh 或 en / zh or en.")] = "zh",
    ) -> None:
        """通过台账自己的命令生成静宁县一年的检查、隐患、执法和签收，建立读模型，
        核验完整性，打印月报和预置火灾的责任倒查结论 /
        Generate 静宁县's year of inspections, hazards, enforcement and sign-offs through
        the ledger's own commands; build the read models; verify integrity; print the
        monthly report and the accountability findings for the planted fire."""
        from api.composition import open_ledger
        from api.demo.generator import COUNTY, CST, CountyYear, province
        from api.labels import beijing_minute, labels
        from api.users import User
        from ledger.identity import Role
        from ledger.integrity.signing import create_keys, load_signing_key
        from ledger.review.report import build_review
        from ledger.scope import Scope
        from projections.queries import ReadModels

        from .projections_command import _print_figures

        en = lang.startswith("en")
        directory.mkdir(parents=True, exist_ok=True)
        store = directory / "ledger.db"
        if store.exists():
            if not force:
                typer.echo(
                    f"{store} 已存在；加 --force 重新生成 / already exists; use --force to replace",
                    err=True,
                )
                raise typer.Exit(2)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{store}{suffix}").unlink(missing_ok=True)
        keys = directory / "keys"
        if load_signing_key(keys) is None:
            create_keys(keys)

        real_now = datetime.now(tz=UTC)
        moment = [datetime(year, 1, 1, tzinfo=UTC)]

        def clock() -> datetime:
            return moment[0]

        def set_clock(t: datetime) -> None:
            moment[0] = t

        until = min(datetime(year, 12, 28, 18, tzinfo=CST), real_now - timedelta(hours=1))
        composed = open_ledger(
            replace(config(ctx), store=str(store), key_dir=str(keys), clock=clock)
        )
        ledger = composed.ledger
        try:
            scale = counties > 1 or years > 1
            if scale:
                until = min(
                    datetime(year + years - 1, 12, 28, 18, tzinfo=CST),
                    real_now - timedelta(hours=1),
                )
            generator = CountyYear(
                ledger, set_clock, seed=seed, year=year, hazards=hazards, until=until
            )
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            ) as bar:
                task = bar.add_task("录入 / recording", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                if scale:
                    planted, generated = province(
                        ledger,
                        set_clock,
                        counties=counties,
                        years=years,
                        first_year=year,
                        seed=seed,
                        hazards=hazards,
                        until=until,
                        progress=progress,
                    )
                    for other in generated:
                        generator.tally.commands += other.tally.commands
                        generator.tally.enterprises += other.tally.enterprises
                        generator.tally.inspections += other.tally.inspections
                        generator.tally.hazards += other.tally.hazards
                        generator.tally.major += other.tally.major
                        generator.tally.actions += other.tally.actions
                else:
                    planted = generator.run(progress=progress)
            set_clock(max(moment[0], until))
            tally = generator.tally
            checkpoint = ledger.integrity.issue_checkpoint()
            names = labels(lang, composed.sectors)
            typer.echo(
                names.text(
                    f"已录入 {tally.commands} 条操作：企业 {tally.enterprises} 家，"
                    f"检查 {tally.inspections} 次，隐患 {tally.hazards} 项"
                    f"（重大 {tally.major} 项），执法措施 {tally.actions} 项",
                    f"Recorded {tally.commands} commands: "
                    f"{tally.enterprises} enterprises, {tally.inspections} inspections, "
                    f"{tally.hazards} hazards ({tally.major} major), "
                    f"{tally.actions} enforcement actions",
                )
            )
            follower = composed.follower()
            try:
                follower.catch_up()
            finally:
                follower.close()
            report = ledger.integrity.verify()
            verified = report.events_checked if hasattr(report, "events_checked") else "?"
            status = ("OK" if report.ok else "FAILED") if en else ("通过" if report.ok else "失败")
            typer.echo(
                names.text(
                    f"完整性校验：{status}（已核验事件 {verified} 条；"
                    f"已签名检查点 {checkpoint.tree_size} 条事件）",
                    f"Integrity: {status} ({verified} events; signed "
                    f"checkpoint at {checkpoint.tree_size})",
                )
            )

            month = min(until, datetime(year, 10, 31, tzinfo=CST)).strftime("%Y-%m")
            models = ReadModels(ledger.store)
            try:
                everything = Scope.everything()
                monthly = models.monthly_report(COUNTY, month, scope=everything, valid_at=clock())
                ranking = models.ranking(
                    COUNTY, month, scope=everything, by="department", valid_at=clock()
                )
                townships = models.ranking(
                    COUNTY, month, scope=everything, by="township", valid_at=clock()
                )
            finally:
                models.close()
            typer.echo("")
            typer.echo(
                f"{'Monthly report' if en else '月度报表'} 静宁县 {COUNTY} {month}"
                f"（{'so far' if en else '截至'} {clock().astimezone(CST):%Y-%m-%d}）"
            )
            _print_figures(monthly["total"], names)
            typer.echo("")
            typer.echo("Ranking of departments:" if en else "部门动态评价排名：")
            for row in ranking[:6]:
                typer.echo(f"  {row['rank']}. {row['unit']}  {row['index']:.2f}")
            typer.echo("Ranking of townships:" if en else "乡镇（街道）动态评价排名：")
            for row in townships[:6]:
                typer.echo(
                    f"  {row['rank']}. {row['unit_name'] or row['unit']}  {row['index']:.2f}"
                )

            review: dict[str, Any] = build_review(
                ledger, planted.factory_code, planted.incident_at, scope=Scope.everything()
            )
            typer.echo("")
            typer.echo(
                f"{'Accountability review' if en else '事故责任倒查'}：{planted.factory_name} "
                f"{beijing_minute(planted.incident_at)}"
            )
            accident = _accident(ledger, planted.accident_id)
            if accident is not None:
                level = names.name("accident_level", accident.level)
                typer.echo(
                    f"  {'Accident' if en else '事故'}：{level}，"
                    f"{'deaths' if en else '死亡'} {accident.deaths}，"
                    f"{'serious injuries' if en else '重伤'} {accident.serious_injuries}，"
                    f"{'direct loss (yuan)' if en else '直接经济损失（元）'} {accident.direct_loss}"
                )
            for link in review["responsibility_chain"]:
                if link["link"] == "government_leader" and link["holder"]:
                    typer.echo(
                        f"  {link['organisation']} {link['title']}：{link['holder']['name']}"
                    )
            for finding in review["findings"]:
                message = finding["message_en"] if en else finding["message_zh"]
                typer.echo(f"  [{names.name('finding', finding['rule'])}] {message}")
            elsewhere = build_review(ledger, planted.shop_code, clock(), scope=Scope.everything())
            typer.echo(("Also planted, at " if en else "另有埋点：") + f"{planted.shop_name}")
            for finding in elsewhere["findings"]:
                if finding["rule"] == "AUD-CLOSURE-NO-MEASURES":
                    message = finding["message_en"] if en else finding["message_zh"]
                    typer.echo(f"  [{names.name('finding', finding['rule'])}] {message}")
            if planted.plant_code:
                plant = build_review(ledger, planted.plant_code, clock(), scope=Scope.everything())
                typer.echo(("Also planted, at " if en else "另有埋点：") + planted.plant_name)
                for finding in plant["findings"]:
                    message = finding["message_en"] if en else finding["message_zh"]
                    typer.echo(f"  [{names.name('finding', finding['rule'])}] {message}")

            token = (
                composed.users.add(
                    User("demo-auditor", "演示审计员", Role.AUDITOR, "市纪委监委", ""),
                    now=real_now,
                    valid_for=timedelta(days=30),
                )
                if _no_user(ledger)
                else None
            )
        finally:
            ledger.close()

        typer.echo("")
        where = directory.resolve()
        typer.echo(
            ("Open it:" if en else "打开方式：")
            + f"  cd {where} && LEDGER_KEY_DIR=keys ledger serve"
        )
        typer.echo("  http://127.0.0.1:8000/   (API: /docs)")
        if token:
            typer.echo(
                ("Sign in with this auditor token: " if en else "审计员令牌（登录用）：") + token
            )
        typer.echo(
            ("Review from the command line: " if en else "命令行倒查：")
            + f"cd {where} && ledger review "
            + (
                f"--accident {planted.accident_id}"
                if accident is not None
                else f"--enterprise {planted.factory_code} "
                f"--incident-at {planted.incident_at.isoformat()}"
            )
        )


def _accident(ledger: Any, accident_id: Any) -> Any:
    """The planted accident, if the demo ran far enough to record it."""
    from ledger.errors import NotFound

    if accident_id is None:
        return None
    try:
        return ledger.accident(accident_id)
    except NotFound:
        return None


def _no_user(ledger: Any) -> bool:
    from api.users import directory_for

    return not any(u["username"] == "demo-auditor" for u in directory_for(ledger).list())
