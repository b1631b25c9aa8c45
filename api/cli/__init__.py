"""The ``ledger`` command line: the entry point for people.

Each command group lives in its own module and is added here, so features stay apart.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, NoReturn

import typer
from typer import rich_utils

from ledger.errors import LedgerError

from . import (
    campaign_commands,
    case,
    demo_command,
    integrity_commands,
    plugins_command,
    print_commands,
    projections_command,
    quarantine_command,
    service_commands,
    store_commands,
    transfer_commands,
    workbook_commands,
)
from .common import JsonFlag, Options
from .review_command import register as register_review
from .store_access import access_of
from .usage_errors import kind_of, usage_error_text

app = typer.Typer(
    name="ledger",
    help="隐患排查治理台账：每项隐患的每一步都是不可篡改、可以证明的事件 / "
    "hazard-ledger: an event-sourced audit ledger for work-safety hazard governance. "
    "Every step of every hazard is an immutable, provable event.",
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
            help="SQLite 文件路径或 postgresql:// 连接串（默认：当前目录的 ledger.db） / "
            "SQLite file path or postgresql:// DSN (default: ledger.db here).",
        ),
    ] = None,
    json: JsonFlag = False,
    lang: Annotated[
        str, typer.Option("--lang", help="提示语言：zh 或 en / Language of messages: zh or en.")
    ] = "zh",
    plugins: Annotated[
        str | None,
        typer.Option(
            "--plugins",
            envvar="LEDGER_PLUGINS",
            help="只加载这些行业插件（名称以逗号分隔；默认：全部） / "
            "Load only these sector plugins (comma-separated names; default: all).",
        ),
    ] = None,
) -> None:
    chosen = [p.strip() for p in plugins.split(",") if p.strip()] if plugins else None
    # The store is checked when the command first asks for its options (``--help``
    # never does): see api.cli.store_access.
    ctx.obj = Options(
        store=store,
        json=json,
        lang=lang,
        plugins=chosen,
        access=access_of(ctx.invoked_subcommand),
    )


demo_command.register(app)
store_commands.register(app)
service_commands.register(app)
workbook_commands.register(app)
workbook_commands.register_exports(app)
integrity_commands.register(app)
transfer_commands.register(app)
plugins_command.register(app)
app.add_typer(case.app, name="case", help="查看隐患案卷 / Look at hazard cases.")
register_review(app)
projections_command.register(app)
quarantine_command.register(app)
print_commands.register(app)
campaign_commands.register(app)


def main() -> None:
    """Run the CLI; an error nobody anticipated is one short line, never a traceback.

    The message names the kind of error only (its text may hold SQL, paths or a DSN);
    ``LEDGER_DEBUG=1`` shows the traceback to whoever is investigating.
    """
    try:
        try:
            code = app(standalone_mode=False, prog_name="ledger")
        except Exception as e:
            if kind_of(e) is None:
                raise
            _command_line_error(e)
    except LedgerError as e:  # a refusal no command turned into its own message
        message = getattr(e, "message", None)
        text = message(_say(sys.argv, "zh", "en")) if callable(message) else str(e)
        sys.stderr.write(f"{text}\n")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write(_say(sys.argv, "已中断\n", "interrupted\n"))
        sys.exit(130)
    except Exception as e:
        if os.environ.get("LEDGER_DEBUG") == "1":
            raise
        kind = type(e).__name__
        sys.stderr.write(
            _say(
                sys.argv,
                f"内部错误（{kind}），命令未完成；设置 LEDGER_DEBUG=1 可查看详情\n",
                f"internal error ({kind}); the command did not finish; "
                "set LEDGER_DEBUG=1 for details\n",
            )
        )
        sys.exit(70)  # EX_SOFTWARE
    sys.exit(code if isinstance(code, int) else 0)


def _command_line_error(error: Exception) -> NoReturn:
    """Click's errors: a group called without its command shows its help; a mistyped
    command line is told in the person's language (``usage_errors``)."""
    kind = kind_of(error)
    if kind == "NoArgsIsHelpError":
        rich_utils.rich_format_error(error)  # type: ignore[arg-type]
    elif kind == "Abort":
        sys.stderr.write(_say(sys.argv, "已取消\n", "aborted\n"))
    else:
        sys.stderr.write(usage_error_text(error, english=_say(sys.argv, "zh", "en") == "en"))
    sys.exit(getattr(error, "exit_code", 1))


def _say(argv: list[str], zh: str, en: str) -> str:
    """The message in the language ``--lang`` asked for (the options are gone here)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang=") and arg.removeprefix("--lang=").startswith("en"):
            return en
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1].startswith("en"):
            return en
    return zh
