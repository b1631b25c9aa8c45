"""``ledger users …`` and ``ledger serve``: people and the HTTP service."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from api.users import User, directory_for
from ledger.codes import region_name
from ledger.identity import Role
from ledger.store import resolve_store

from ..labels import beijing_day
from .common import catalogue, emit, open_ledger, options

users_app = typer.Typer(no_args_is_help=True)


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name, recorded as the actor id.")],
    name: Annotated[str, typer.Option(help="The person's name (姓名).")],
    role: Annotated[Role, typer.Option(help="inspector, enterprise, department, ...")],
    organisation: Annotated[str, typer.Option(help="Department or unit name.")] = "",
    region: Annotated[str, typer.Option(help="Region code prefix of the jurisdiction.")] = "",
    sector: Annotated[
        list[str] | None, typer.Option(help="Sectors in scope (repeat; none = all).")
    ] = None,
    enterprise: Annotated[str, typer.Option(help="Credit code, for enterprise users.")] = "",
    days: Annotated[int, typer.Option(help="Days until the token expires.")] = 90,
) -> None:
    """Add a user and print its bearer token (shown once; stored only as a hash)."""
    with open_ledger(ctx) as ledger:
        token = directory_for(ledger).add(
            User(username, name, role, organisation, region, frozenset(sector or ()), enterprise),
            now=ledger.clock(),
            valid_for=timedelta(days=days),
        )
    opts = options(ctx)
    if opts.json:
        emit({"username": username, "token": token}, opts)
    else:
        typer.echo(token)


@users_app.command("token")
def reissue(
    ctx: typer.Context,
    username: str,
    days: Annotated[int, typer.Option(help="Days until the token expires.")] = 90,
) -> None:
    """Issue a new token for a user; the old one stops working at once."""
    with open_ledger(ctx) as ledger:
        token = directory_for(ledger).reissue(
            username, now=ledger.clock(), valid_for=timedelta(days=days)
        )
    typer.echo(token)


@users_app.command("revoke")
def revoke(ctx: typer.Context, username: str) -> None:
    """Revoke a user's token on every API process at once."""
    with open_ledger(ctx) as ledger:
        directory_for(ledger).revoke(username, now=ledger.clock())
    typer.echo(catalogue(options(ctx)).text(f"已撤销：{username}", f"revoked: {username}"))


@users_app.command("list")
def list_users(ctx: typer.Context) -> None:
    """List users with role, scope and token state."""
    with open_ledger(ctx) as ledger:
        rows = directory_for(ledger).list()
    opts = options(ctx)
    if opts.json:
        emit(rows, opts)
        return
    names = catalogue(opts)
    everywhere = names.text("全部", "all")
    for r in rows:
        state = (
            names.text("已撤销", "revoked")
            if r["revoked_at"]
            else names.text("有效期至 ", "expires ") + beijing_day(r["expires_at"])
        )
        sectors = names.value("sectors", sorted(r["sectors"])) if r["sectors"] else everywhere
        region = region_name(r["region_prefix"]) if r["region_prefix"] else everywhere
        typer.echo(
            f"{r['username']:<16} {r.get('name') or '':<6} {names.name('role', r['role'])}  "
            f"{names.text('区域', 'region')}{names.colon}{region}  "
            f"{names.text('行业', 'sectors')}{names.colon}{sectors}  {state}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users", help="Users and their bearer tokens.")

    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
        workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
        follow: Annotated[
            bool,
            typer.Option(
                "--follow/--no-follow",
                help="Keep the read models current in the server processes (default), or "
                "leave it to `ledger project --follow` workers.",
            ),
        ] = True,
    ) -> None:
        """Serve the HTTP API (and web interface) with uvicorn."""
        import os

        import uvicorn

        opts = options(ctx)
        if opts.store:
            os.environ["LEDGER_STORE"] = opts.store
        os.environ["LEDGER_FOLLOW"] = "1" if follow else "0"
        if opts.plugins:  # the worker processes build their own plugin managers from it
            os.environ["LEDGER_PLUGINS"] = ",".join(opts.plugins)
        where = resolve_store(opts.store).describe()  # never with the password
        typer.echo(f"http://{host}:{port}/  (API: /docs; store: {where})")
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
        )
