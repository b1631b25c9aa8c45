"""``ledger plugins``: which sector plugins are loaded, their hooks and catalogue editions."""

from __future__ import annotations

import typer

from ledger.errors import PluginError

from ..composition import load_configured_sectors
from .common import catalogue, emit, fail, options


def register(app: typer.Typer) -> None:
    @app.command("plugins")
    def plugins(ctx: typer.Context) -> None:
        """列出已加载的行业插件：版本、扩展点、行业领域和判定标准目录 /
        List loaded sector plugins: versions, hooks, sectors and criterion catalogues."""
        opts = options(ctx)
        try:
            described = load_configured_sectors(opts.plugins).describe()
        except PluginError as e:
            fail(e, opts)
        if opts.json:
            emit(described, opts)
            return
        names = catalogue(opts)
        en = names.lang == "en"
        sectors = {s["code"]: s for s in described["sectors"]}
        for plugin in described["plugins"]:
            origin = (
                names.text("内置", "built-in")
                if plugin["origin"] == "built-in"
                else (plugin["origin"])
            )
            typer.echo(
                names.text("插件 ", "plugin ")
                + f"{plugin['name']} {plugin['version']}"
                + names.text(f"（{origin}）", f" ({origin})")
            )
            typer.echo(
                f"  {names.text('扩展点', 'hooks')}{names.colon}{', '.join(plugin['hooks']) or '—'}"
            )
            for code in plugin["sectors"]:
                sector = sectors[code]
                name = sector["name_en"] if en else sector["name_zh"]
                dept = sector["department_en"] if en else sector["department"]
                typer.echo(
                    f"  {names.text('行业领域', 'sector')}{names.colon}{name} · "
                    f"{names.text('主管部门', 'department')}{names.colon}{dept}"
                )
                for c in sector["catalogues"]:
                    period = (
                        f"{c['effective_from']}–{c['effective_to']}"
                        if c["effective_to"]
                        else names.text(f"{c['effective_from']} 起", f"from {c['effective_from']}")
                    )
                    extra = ""
                    if c["composite_rules"]:
                        extra += names.text(
                            f"，组合规则 {c['composite_rules']} 条（涉及 {c['elements']} 项要素）",
                            f", {c['composite_rules']} composite rules"
                            f" over {c['elements']} elements",
                        )
                    if c["unverified"]:
                        extra += names.text(
                            f"，{c['unverified']} 条待核实", f", {c['unverified']} unverified"
                        )
                    typer.echo(
                        f"    {c['standard']} {c['document']}"
                        + names.text(
                            f"（{c['edition']}，{period}）：判定标准 {c['count']} 条{extra}",
                            f" ({c['edition']}, {period}): {c['count']} criteria{extra}",
                        )
                    )
