"""``ledger case …``: a hazard case's current state and its history."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from ledger.views import case_summary, event_row

from .common import emit, open_ledger, options

app = typer.Typer(no_args_is_help=True)


@app.command("show")
def show(ctx: typer.Context, case_id: Annotated[UUID, typer.Argument(help="The case id.")]) -> None:
    """Current state of a case, followed by its full history."""
    opts = options(ctx)
    with open_ledger(ctx) as ledger:
        case = ledger.case(case_id)
        history = ledger.history(case_id)
        summary = case_summary(case, at=ledger.clock())
        rows = [event_row(e) for e in history]
    if opts.json:
        emit({"case": summary, "history": rows}, opts)
        return
    for key, value in summary.items():
        typer.echo(f"{key:>24}: {value}")
    typer.echo("")
    for row in rows:
        late = "  [补录/late]" if row["late"] else ""
        typer.echo(
            f"v{row['version']:<3} {row['event']:<24} 发生 {row['occurred_at']}  "
            f"记录 {row['recorded_at']}  {row['actor']}{late}"
        )
