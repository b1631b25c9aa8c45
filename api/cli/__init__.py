"""The ``ledger`` command line: the entry point for people.

Each command group lives in its own module and is added here, so features stay apart.
"""

from __future__ import annotations

from typing import Annotated

import typer

from . import (
    case,
    demo_command,
    integrity_commands,
    plugins_command,
    projections_command,
    quarantine_command,
    service_commands,
    store_commands,
    transfer_commands,
    workbook_commands,
)
from .common import Options
from .review_command import register as register_review

app = typer.Typer(
    name="ledger",
    help="hazard-ledger: 隐患排查治理台账 — an event-sourced audit ledger for work-safety "
    "hazard governance. Every step of every hazard is an immutable, provable event.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            envvar="LEDGER_STORE",
            help="SQLite file path or postgresql:// DSN (default: ledger.db here).",
        ),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Language of messages: zh or en.")] = "zh",
    plugins: Annotated[
        str | None,
        typer.Option(
            "--plugins",
            envvar="LEDGER_PLUGINS",
            help="Load only these sector plugins (comma-separated names; default: all).",
        ),
    ] = None,
) -> None:
    chosen = [p.strip() for p in plugins.split(",") if p.strip()] if plugins else None
    ctx.obj = Options(store=store, json=json, lang=lang, plugins=chosen)


demo_command.register(app)
store_commands.register(app)
service_commands.register(app)
workbook_commands.register(app)
workbook_commands.register_exports(app)
integrity_commands.register(app)
transfer_commands.register(app)
plugins_command.register(app)
app.add_typer(case.app, name="case", help="Look at hazard cases (隐患案卷).")
register_review(app)
projections_command.register(app)
quarantine_command.register(app)


def main() -> None:
    app()
