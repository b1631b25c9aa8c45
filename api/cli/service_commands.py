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
from .common import FLAG, catalogue, emit, open_ledger, options

users_app = typer.Typer(no_args_is_help=True)


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[
        str, typer.Argument(help="登录名，记为操作人编号 / Login name, recorded as the actor id.")
    ],
    name: Annotated[str, typer.Option(help="姓名 / The person's name.")],
    role: Annotated[
        Role,
        typer.Option(help="角色（可选值见左列） / The role (choices on the left)."),
    ],
    organisation: Annotated[
        str, typer.Option(help="部门或单位名称 / Department or unit name.")
    ] = "",
    region: Annotated[
        str, typer.Option(help="管辖区域的区划代码前缀 / Region code prefix of the jurisdiction.")
    ] = "",
    sector: Annotated[
        list[str] | None,
        typer.Option(
            help="可管的行业（可重复；不填为全部） / Sectors in scope (repeat; none = all)."
        ),
    ] = None,
    enterprise: Annotated[
        str,
        typer.Option(help="统一社会信用代码（企业用户） / Credit code, for enterprise users."),
    ] = "",
    days: Annotated[int, typer.Option(help="令牌有效天数 / Days until the token expires.")] = 90,
) -> None:
    """添加用户并打印其访问令牌（只显示一次；只存哈希） /
    Add a user and print its bearer token (shown once; stored only as a hash)."""
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
    username: Annotated[str, typer.Argument(help="登录名 / Login name.")],
    days: Annotated[int, typer.Option(help="令牌有效天数 / Days until the token expires.")] = 90,
) -> None:
    """为用户签发新令牌，旧令牌立即失效 /
    Issue a new token for a user; the old one stops working at once."""
    with open_ledger(ctx) as ledger:
        token = directory_for(ledger).reissue(
            username, now=ledger.clock(), valid_for=timedelta(days=days)
        )
    typer.echo(token)


@users_app.command("revoke")
def revoke(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="登录名 / Login name.")],
) -> None:
    """撤销用户的令牌，所有 API 进程立即生效 /
    Revoke a user's token on every API process at once."""
    with open_ledger(ctx) as ledger:
        directory_for(ledger).revoke(username, now=ledger.clock())
    typer.echo(catalogue(options(ctx)).text(f"已撤销：{username}", f"revoked: {username}"))


@users_app.command("list")
def list_users(ctx: typer.Context) -> None:
    """列出用户及其角色、管辖范围和令牌状态 / List users with role, scope and token state."""
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
    app.add_typer(users_app, name="users", help="用户及其访问令牌 / Users and their bearer tokens.")

    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[
            str, typer.Option(help="监听的网络接口 / Interface to listen on.")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP 端口 / TCP port.")] = 8000,
        workers: Annotated[int, typer.Option(help="工作进程数 / Worker processes.")] = 1,
        follow: Annotated[
            bool,
            typer.Option(
                "--follow/--no-follow",
                metavar=FLAG,
                help="由服务进程保持读模型最新（默认），或交给 `ledger project --follow` "
                "进程 / Keep the read models current in the server processes (default), or "
                "leave it to `ledger project --follow` workers.",
            ),
        ] = True,
    ) -> None:
        """用 uvicorn 提供 HTTP API（及网页界面） /
        Serve the HTTP API (and web interface) with uvicorn."""
        import os

        from api.serving import serve as serve_app

        opts = options(ctx)
        if opts.store:
            os.environ["LEDGER_STORE"] = opts.store
        os.environ["LEDGER_FOLLOW"] = "1" if follow else "0"
        if opts.plugins:  # the worker processes build their own plugin managers from it
            os.environ["LEDGER_PLUGINS"] = ",".join(opts.plugins)
        where = resolve_store(opts.store).describe()  # never with the password
        typer.echo(f"http://{host}:{port}/  (API: /docs; store: {where})")
        serve_app("api.app:create_app", factory=True, host=host, port=port, workers=workers)
