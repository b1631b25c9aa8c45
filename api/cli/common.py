"""What every CLI command shares: the store option, output format and language."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, NoReturn

import orjson
import typer

from ledger.application import HazardLedger
from ledger.bounds import check_moment
from ledger.errors import ConcurrentChange, LedgerError, NotFound, PluginError, RuleViolated
from ledger.identity import Actor, Role
from ledger.store import StoreUnusable

from ..composition import Config, load_configured_sectors
from ..composition import open_ledger as compose
from ..labels import Labels, labels
from .store_access import Access, checked_store

#: The ``metavar`` of a flag: typer's help table otherwise prints ``<bool>`` beside it,
#: as if ``--force`` wanted a value after it.
FLAG = ""

#: ``--json``, on the root and again on the commands that take it after their name.
JsonFlag = Annotated[
    bool,
    typer.Option(
        "--json", metavar=FLAG, help="输出 JSON，供程序读取 / Machine-readable JSON output."
    ),
]


@dataclass
class Options:
    store: str | None = None
    json: bool = False
    lang: str = "zh"
    plugins: list[str] | None = None
    access: Access = Access.NONE
    """What the command does with the store; checked once, on the first ``options``."""


def options(ctx: typer.Context) -> Options:
    """The global options, with the store checked for the command's access: a store
    that cannot serve it ends the command with a clear message (``fail``)."""
    obj = ctx.find_root().obj
    if not isinstance(obj, Options):
        return Options()
    if obj.access is not Access.NONE:
        access, obj.access = obj.access, Access.NONE
        try:
            checked = checked_store(obj.store, access)
        except StoreUnusable as e:
            fail(e, obj)
        if checked is not None:
            obj.store = checked.url
    return obj


def config(ctx: typer.Context) -> Config:
    """The composition root's configuration from the global options."""
    opts = options(ctx)
    return Config(store=opts.store, plugins=None if opts.plugins is None else tuple(opts.plugins))


def catalogue(opts: Options) -> Labels:
    """The label catalogue in the language ``--lang`` asked for, naming the sectors the
    command loads: everything a command prints for people names codes through it."""
    return labels(opts.lang, load_configured_sectors(opts.plugins))


def local_operator() -> Actor:
    """The person at the terminal: CLI writes are recorded as the OS user."""
    user = getpass.getuser()
    return Actor(f"cli:{user}", user, Role.ADMIN, "local")


@contextmanager
def open_ledger(ctx: typer.Context) -> Iterator[HazardLedger]:
    """Open the ledger named by ``--store`` and turn ledger errors into clear exits."""
    opts = options(ctx)
    try:
        app = compose(config(ctx)).ledger
    except LedgerError as e:
        fail(e, opts)
    try:
        yield app
    except LedgerError as e:
        fail(e, opts)
    finally:
        app.close()


def fail(error: LedgerError, opts: Options) -> NoReturn:
    if isinstance(error, RuleViolated):
        if opts.json:
            emit(
                {"error": "rule_violated", "violations": [v.as_dict() for v in error.violations]},
                opts,
            )
        else:
            head = (
                "命令被拒绝，未记录任何内容："
                if opts.lang == "zh"
                else "Refused; nothing was recorded:"
            )
            typer.echo(head, err=True)
            for line in error.messages(opts.lang):
                typer.echo(f"  - {line}", err=True)
        raise typer.Exit(2)
    if isinstance(error, NotFound):
        typer.echo(("未找到：" if opts.lang == "zh" else "Not found: ") + str(error.key), err=True)
        raise typer.Exit(3)
    if isinstance(error, ConcurrentChange):
        typer.echo(error.message_zh if opts.lang == "zh" else str(error), err=True)
        raise typer.Exit(4)
    if isinstance(error, PluginError):
        typer.echo(error.message(opts.lang), err=True)
        raise typer.Exit(5)
    if isinstance(error, StoreUnusable):
        if opts.json:
            emit(
                {
                    "error": error.code,
                    "message_zh": error.message_zh,
                    "message_en": error.message_en,
                },
                opts,
            )
        else:
            typer.echo(error.message(opts.lang), err=True)
        raise typer.Exit(6)
    typer.echo(str(error), err=True)
    raise typer.Exit(1)


def emit(data: Any, opts: Options) -> None:
    """Write ``data`` as JSON to stdout (for scripts)."""
    sys.stdout.buffer.write(
        orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS, default=str)
    )
    sys.stdout.buffer.write(b"\n")


def parse_moment(text: str | None, option: str) -> datetime | None:
    """An ISO 8601 moment from the command line; without a zone it is China Standard Time
    (UTC+08:00). Judged by the same limits as every command's times (``ledger.bounds``),
    so a moment the HTTP API refuses is refused here too, in the same words."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(
            f"“{text}”不是有效的时间（例如 2026-05-01T14:00+08:00） / "
            f"{text!r} is not an ISO 8601 time (e.g. 2026-05-01T14:00+08:00)",
            param_hint=option,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone(timedelta(hours=8)))
    name = option.lstrip("-").replace("-", "_")
    try:
        return check_moment(name, moment)
    except RuleViolated as e:
        # the limits quote the moment's field (``known_at``): here it is the option typed
        said = (e.messages(lang)[0].replace(name, option) for lang in ("zh", "en"))
        raise typer.BadParameter(" / ".join(said), param_hint=option) from None
