"""``ledger init``: create a ledger on the configured store."""

from __future__ import annotations

import typer

from .common import emit, open_ledger, options


def register(app: typer.Typer) -> None:
    @app.command()
    def init(ctx: typer.Context) -> None:
        """在存储上建立台账的数据表（可重复执行） /
        Create the ledger's tables on the store (safe to run again)."""
        with open_ledger(ctx) as ledger:
            where = ledger.store.describe()
        opts = options(ctx)
        if opts.json:
            emit({"store": where, "created": True}, opts)
        else:
            typer.echo(f"台账已就绪 / ledger ready: {where}")
