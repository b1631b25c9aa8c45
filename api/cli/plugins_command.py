"""``ledger plugins``: which sector plugins are loaded, their hooks and catalogue editions."""

from __future__ import annotations

import typer

from ledger.errors import PluginError

from ..composition import load_configured_sectors
from .common import emit, fail, options


def register(app: typer.Typer) -> None:
    @app.command("plugins")
    def plugins(ctx: typer.Context) -> None:
        """List loaded sector plugins: versions, hooks, sectors and criterion catalogues."""
        opts = options(ctx)
        try:
            described = load_configured_sectors(opts.plugins).describe()
        except PluginError as e:
            fail(e, opts)
        if opts.json:
            emit(described, opts)
            return
        en = opts.lang.startswith("en")
        sectors = {s["code"]: s for s in described["sectors"]}
        for plugin in described["plugins"]:
            typer.echo(f"{plugin['name']} {plugin['version']} ({plugin['origin']})")
            typer.echo(f"  hooks: {', '.join(plugin['hooks']) or '-'}")
            for code in plugin["sectors"]:
                sector = sectors[code]
                name = sector["name_en"] if en else sector["name_zh"]
                dept = sector["department_en"] if en else sector["department"]
                typer.echo(f"  {code}: {name} — {dept}")
                for c in sector["catalogues"]:
                    period = f"{c['effective_from']}–{c['effective_to'] or ''}"
                    extra = ""
                    if c["composite_rules"]:
                        extra += f", {c['composite_rules']} composite rules"
                        extra += f" over {c['elements']} elements"
                    if c["unverified"]:
                        extra += f", {c['unverified']} unverified"
                    typer.echo(
                        f"    {c['standard']} {c['document']} ({c['edition']}, {period}): "
                        f"{c['count']} criteria{extra}"
                    )
