"""``ledger quarantine``: events the read models set aside, and taking them back."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

import typer

from projections.follower import SLOT_SUFFIX

from ..composition import open_ledger
from .common import FLAG, Options, config, emit, options


def _say(opts: Options, zh: str, en: str) -> str:
    return en if opts.lang.startswith("en") else zh


def summary(entries: list[dict[str, Any]], opts: Options) -> list[str]:
    """One line per read model with events set aside (empty when none are)."""
    per_model = Counter(str(e["name"]) for e in entries)
    return [
        _say(
            opts,
            f"  {name:<24} 搁置 {n} 个无法应用的事件（ledger quarantine 查看）",
            f"  {name:<24} {n} event(s) set aside (see: ledger quarantine)",
        )
        for name, n in sorted(per_model.items())
    ]


def _live(name: str) -> bool:
    return not any(name.endswith(suffix) for suffix in SLOT_SUFFIX.values() if suffix)


def register(app: typer.Typer) -> None:
    @app.command("quarantine")
    def quarantine(
        ctx: typer.Context,
        name: Annotated[
            str | None,
            typer.Argument(help="只看这一个读模型（默认：全部） / One read model (default: all)."),
        ] = None,
        retry: Annotated[
            bool,
            typer.Option(
                "--retry",
                metavar=FLAG,
                help="重建搁置了事件的读模型（修正其处理逻辑之后），能应用的事件随之收回 / "
                "Rebuild the read models that set events aside (after a fix to their "
                "fold), taking the events back where the fold now applies them.",
            ),
        ] = False,
    ) -> None:
        """读模型无法应用而搁置的事件，及其错误 /
        Events a read model could not apply and set aside, with their errors."""
        opts = options(ctx)
        opened = open_ledger(config(ctx))
        follower = opened.follower()
        try:
            entries = follower.quarantined(name)
            if retry:
                names = sorted({str(e["name"]) for e in entries if _live(str(e["name"]))})
                known = [n for n in names if n in follower.projections]
                if known:
                    follower.rebuild(known)
                entries = follower.quarantined(name)
        finally:
            follower.close()
            opened.close()
        if opts.json:
            emit(entries, opts)
        elif not entries:
            typer.echo(_say(opts, "没有被搁置的事件", "no events set aside"))
        else:
            for e in entries:
                typer.echo(
                    f"{e['name']:<24} #{e['position']:<8} {e['event_type']:<32} "
                    f"{e['event_id']}  {e['error']}"
                )
        if retry and entries:
            raise typer.Exit(1)
