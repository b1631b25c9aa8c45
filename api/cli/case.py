"""``ledger case …``: a hazard case's state and its history, now or at a moment."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from ledger.scope import Scope
from projections.reads import Reads

from .common import catalogue, emit, open_ledger, options, parse_moment

app = typer.Typer(no_args_is_help=True)

#: The person at the terminal reads everything: the store's file is theirs already.
LOCAL_OPERATOR = Scope.everything()

#: Fields of the case summary that hold a user's login id.
PEOPLE = frozenset({"rectification_reporter", "verified_by", "closed_by", "reported_by"})


@app.command("show")
def show(
    ctx: typer.Context,
    case_id: Annotated[UUID, typer.Argument(help="案卷编号 / The case id.")],
    known_at: Annotated[
        str | None,
        typer.Option(
            "--known-at",
            help="按此时刻已记录的内容查看（ISO 8601） / As recorded by this moment (ISO 8601).",
        ),
    ] = None,
    valid_at: Annotated[
        str | None,
        typer.Option(
            "--valid-at",
            help="按此时刻的实际状况查看（ISO 8601） / "
            "As it was in the world at this time (ISO 8601).",
        ),
    ] = None,
) -> None:
    """案卷状态（当前，或按某一时刻已知的、某一时刻实际的），及其历史 /
    State of a case (now, or as known at or as it was at a moment), then its history."""
    opts = options(ctx)
    known = parse_moment(known_at, "--known-at")
    valid = parse_moment(valid_at, "--valid-at")
    with open_ledger(ctx) as ledger:
        reads = Reads(ledger)
        summary = reads.case(case_id, scope=LOCAL_OPERATOR, known_at=known, valid_at=valid)
        timeline = reads.timeline(case_id, scope=LOCAL_OPERATOR, known_at=known)
        rows = timeline[: summary["version"]]
    if opts.json:
        emit({"case": summary, "history": rows, "known_at": known_at, "valid_at": valid_at}, opts)
        return
    names = catalogue(opts)
    # who took a step, by name: the case records their login id, its events their name
    people = {row["actor_id"]: row["actor"] for row in timeline}
    for key, value in summary.items():
        shown = people.get(value, value) if key in PEOPLE else names.value(key, value)
        typer.echo(f"{names.field(key)}{names.colon}{shown or names.value(key, None)}")
    typer.echo("")
    for row in rows:
        late = (
            names.text(
                f"  [补录：晚 {row['late_by_days']} 天]", f"  [late by {row['late_by_days']} days]"
            )
            if row["late"]
            else ""
        )
        typer.echo(
            f"v{row['version']:<3} {names.event(row['event'])}  "
            f"{names.field('occurred_at')} {names.value('occurred_at', row['occurred_at'])}  "
            f"{names.field('recorded_at')} {names.value('recorded_at', row['recorded_at'])}  "
            f"{row['actor']}{late}"
        )
