"""``ledger case history ID``: the full timeline of a case with its proof status.

Each row shows both clocks (when it happened, when it was recorded), who did it, the
late-entry flag, what the event changed, and whether the event is proven unchanged.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from ledger.integrity.status import ProofStatus, proof_statuses
from ledger.scope import Scope
from projections.reads import Reads

from .common import catalogue, emit, open_ledger, options, parse_moment


def register(case_app: typer.Typer) -> None:
    @case_app.command("history")
    def history(
        ctx: typer.Context,
        case_id: Annotated[UUID, typer.Argument(help="案卷编号 / The case id.")],
        known_at: Annotated[
            str | None,
            typer.Option(
                "--known-at",
                help="只列此时刻前已记录的事件（ISO 8601） / "
                "Only events recorded by this moment (ISO 8601).",
            ),
        ] = None,
    ) -> None:
        """完整时间线：发生与记录两个时间、操作人、变更、补录标记和证明状态 /
        Full timeline: both clocks, actor, changes, late flag and proof status."""
        opts = options(ctx)
        known = parse_moment(known_at, "--known-at")
        with open_ledger(ctx) as ledger:
            timeline = Reads(ledger).timeline(case_id, scope=Scope.everything(), known_at=known)
            statuses = proof_statuses(ledger.integrity, case_id, known_at=known)
        rows, shown = [], []
        for row in timeline:
            status = statuses.get(row["version"]) or ProofStatus(None, "not_logged")
            row["seq"] = status.seq
            row["proof"] = status.as_dict()
            rows.append(row)
            shown.append(status)
        if opts.json:
            emit({"case_id": str(case_id), "timeline": rows}, opts)
            return
        names = catalogue(opts)
        zh = names.lang == "zh"
        for row, status in zip(rows, shown, strict=True):
            late = (
                ("  [补录：晚 %d 天]" if zh else "  [late by %d days]") % row["late_by_days"]
                if row["late"]
                else ""
            )
            occurred, recorded, role = row["occurred_at"], row["recorded_at"], row["actor_role"]
            head = (
                f"v{row['version']:<3} #{row['seq']}  {names.event(row['event'])}\n"
                f"     {names.field('occurred_at')} {names.value('occurred_at', occurred)}  "
                f"{names.field('recorded_at')} {names.value('recorded_at', recorded)}{late}\n"
                f"     {names.field('actor')} {row['actor']} [{names.name('role', role)}]\n"
                f"     {'证明' if zh else 'proof'} {row['proof']['label_zh' if zh else 'label_en']}"
                f" — {status.against_label(names.lang)}"
            )
            typer.echo(head)
            if row["justification"]:
                typer.echo(f"     {names.field('justification')} {row['justification']}")
            for key, value in row["changes"].items():
                typer.echo(f"       {names.field(key)}{names.colon}{names.value(key, value)}")

    _ = history
