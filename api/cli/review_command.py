"""``ledger review`` and ``ledger enterprise show``: the record as it was, and as known.

``ledger review --enterprise CODE --incident-at T`` (or ``--accident ID``, a recorded
accident's enterprise and moment) writes the accountability review
(JSON, Markdown or printable HTML; Chinese unless ``--lang en``). ``ledger enterprise
show CODE`` lists an enterprise's cases, enforcement actions and inspections as they
stood at a business time (``--valid-at``) and as recorded by a moment (``--known-at``).
Times without a zone are read as China Standard Time (UTC+08:00).
"""

from __future__ import annotations

from datetime import timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from uuid import UUID

import orjson
import typer

from api.review.export import export_review
from api.review.render import to_html, to_markdown
from ledger.integrity import NoSigningKey
from ledger.integrity.bundle import BundleError
from ledger.scope import Scope
from projections.reads import Reads

from ..labels import beijing_day
from .common import catalogue, emit, open_ledger, options, parse_moment

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

#: The person at the terminal reads everything: the store's file is theirs already.
LOCAL_OPERATOR = Scope.everything()


class ReportFormat(StrEnum):
    JSON = "json"
    MD = "md"
    HTML = "html"


def _accident_id(text: str | None) -> UUID | None:
    if text is None:
        return None
    try:
        return UUID(text.strip())
    except ValueError:
        raise typer.BadParameter(
            f"“{text}”不是有效的事故编号 / {text!r} is not an accident id",
            param_hint="--accident",
        ) from None


def register(app: typer.Typer) -> None:
    @app.command("review")
    def review(
        ctx: typer.Context,
        enterprise: Annotated[
            str | None,
            typer.Option("--enterprise", help="统一社会信用代码 / Unified social credit code."),
        ] = None,
        incident_at: Annotated[
            str | None,
            typer.Option(
                "--incident-at",
                help="事故发生时刻（ISO 8601） / Moment of the incident (ISO 8601).",
            ),
        ] = None,
        accident: Annotated[
            str | None,
            typer.Option(
                "--accident",
                help="已记录事故的编号：取其企业和时间 / "
                "A recorded accident's id: its enterprise and time.",
            ),
        ] = None,
        fmt: Annotated[
            ReportFormat,
            typer.Option(
                "--format", help="格式：json、md（Markdown）或 html / json, md (Markdown) or html."
            ),
        ] = ReportFormat.MD,
        lang: Annotated[
            str | None, typer.Option("--lang", help="语言：zh（默认）或 en / zh (default) or en.")
        ] = None,
        output: Annotated[
            Path | None,
            typer.Option(
                "--output",
                help="写入此文件，而不是标准输出 / Write to this file instead of stdout.",
            ),
        ] = None,
        known_at: Annotated[
            str | None,
            typer.Option(
                "--known-at",
                help="按此时刻已记录的内容倒查 / Review the record as recorded by this moment.",
            ),
        ] = None,
        bundle_dir: Annotated[
            Path | None,
            typer.Option(
                "--bundle-dir",
                help="另写出 review.json、review.html，以及所列每个聚合一个可离线核验的证据包"
                "（用 `ledger verify-bundle` 逐个核验） / "
                "Also write review.json, review.html and an offline-verifiable bundle "
                "per aggregate shown (check each with `ledger verify-bundle`).",
            ),
        ] = None,
    ) -> None:
        """事故责任倒查：企业在事故发生时刻的台账记录 /
        Accountability review of an enterprise at the moment of an incident."""
        opts = options(ctx)
        language = lang or opts.lang
        moment = parse_moment(incident_at, "--incident-at")
        known = parse_moment(known_at, "--known-at")
        accident_id = _accident_id(accident)
        if accident_id is None and (enterprise is None or moment is None):
            raise typer.BadParameter(
                "请指定 --accident，或同时指定 --enterprise 和 --incident-at / "
                "name --accident, or both --enterprise and --incident-at",
                param_hint="--accident",
            )
        with open_ledger(ctx) as ledger:
            reads = Reads(ledger)
            if accident_id is not None:
                report = reads.accident_review(accident_id, scope=LOCAL_OPERATOR, known_at=known)
            else:
                assert enterprise is not None and moment is not None
                report = reads.review(enterprise, moment, scope=LOCAL_OPERATOR, known_at=known)
            if bundle_dir is not None:
                try:
                    written = export_review(ledger, report, bundle_dir, language)
                except (NoSigningKey, BundleError, RuntimeError) as e:
                    typer.echo(f"无法导出证据包 / cannot export the bundles: {e}", err=True)
                    raise typer.Exit(1) from None
                typer.echo(
                    f"证据包已写入 {bundle_dir}（{len(written)}个文件）"
                    if not language.startswith("en")
                    else f"wrote {len(written)} files to {bundle_dir}",
                    err=True,
                )
        if fmt is ReportFormat.JSON or opts.json:
            data = orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n"
        elif fmt is ReportFormat.HTML:
            data = to_html(report, language)
        else:
            data = to_markdown(report, language)
        if output is None:
            typer.echo(data, nl=False)
            return
        output.write_text(data, encoding="utf-8")
        findings = len(report["findings"])
        typer.echo(
            f"已写入 {output}（{findings}项审计发现）"
            if not language.startswith("en")
            else f"wrote {output} ({findings} findings)",
            err=True,
        )

    enterprise_app = typer.Typer(no_args_is_help=True)

    @enterprise_app.command("show")
    def show(
        ctx: typer.Context,
        code: Annotated[str, typer.Argument(help="统一社会信用代码 / Unified social credit code.")],
        known_at: Annotated[
            str | None,
            typer.Option("--known-at", help="按此时刻已记录的内容 / As recorded by this moment."),
        ] = None,
        valid_at: Annotated[
            str | None,
            typer.Option(
                "--valid-at",
                help="按此时刻的实际状况 / As it was in the world at this time.",
            ),
        ] = None,
    ) -> None:
        """企业在某一时刻的案卷、执法措施和检查 /
        An enterprise with its cases, actions and inspections at a moment."""
        opts = options(ctx)
        known = parse_moment(known_at, "--known-at")
        valid = parse_moment(valid_at, "--valid-at")
        with open_ledger(ctx) as ledger:
            data = Reads(ledger).enterprise_record(
                code, scope=LOCAL_OPERATOR, known_at=known, valid_at=valid
            )
        if opts.json:
            emit(data, opts)
            return
        names = catalogue(opts)
        e = data["enterprise"]
        sectors = names.value("sectors", e["sectors"])
        typer.echo(f"{e['name']}  {e['credit_code']}  {e['region_code']}  {sectors}")
        typer.echo(names.text("主要负责人：", "principal: ") + str(e["principal"] or "—"))
        typer.echo(names.text("隐患：", "cases:") + f" {len(data['cases'])}")
        for c in data["cases"]:
            late = names.text("  [补录]", "  [late]") if c["late_entries"] else ""
            overdue = names.text("  逾期", "  overdue") if c["overdue"] else ""
            typer.echo(
                f"  {c['id']}  {beijing_day(c['found_at'])}  {names.name('grade', c['grade'])} "
                f"{names.name('status', c['status'])}{overdue}  {c['description']}{late}"
            )
        typer.echo(names.text("执法措施：", "actions:") + f" {len(data['actions'])}")
        for a in data["actions"]:
            typer.echo(
                f"  {beijing_day(a['issued_at'])}  {names.name('kind', a['kind'])}  "
                f"{a['document_number']}  {names.name('action_status', a['status'])}"
            )
        typer.echo(names.text("检查：", "inspections:") + f" {len(data['inspections'])}")
        for i in data["inspections"]:
            late = names.text("  [补录]", "  [late]") if i["late_entries"] else ""
            typer.echo(
                f"  {beijing_day(i['inspected_at'])}  {names.name('inspection_type', i['type'])}  "
                f"{'、'.join(i['team'])}{late}"
            )

    app.add_typer(enterprise_app, name="enterprise", help="查看生产经营单位 / Look at enterprises.")
