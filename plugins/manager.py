"""Building a plugin manager: built-in sectors first, then third-party ones by entry point.

One manager per application, never a module global: two ledgers in one process (a
test, a migration) may load different plugins. ``check_pending`` runs before anything
else, so a misspelt hook name fails at start-up instead of silently never running.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import entry_points, version
from types import ModuleType

import pluggy

from ledger.errors import PluginError

from .spec import ENTRY_POINT_GROUP, PROJECT, SectorHooks


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """Where a loaded plugin came from, for ``ledger plugins`` and ``GET /plugins``."""

    name: str
    version: str
    origin: str
    """``built-in`` or the distribution that provides the entry point."""


def _ledger_version() -> str:
    try:
        return version("hazard-ledger")
    except Exception:
        return "0+source"


#: The built-in sectors, in registration order (modules of ``plugins.builtin``).
BUILTIN = ("chemicals", "city_gas", "construction", "fire", "special_equipment")


def builtin_plugins(names: Collection[str] | None = None) -> list[tuple[str, ModuleType]]:
    """The built-in sector modules (those in ``names``, or all), imported on demand."""
    return [
        (name, import_module(f"{__package__}.builtin.{name}"))
        for name in BUILTIN
        if names is None or name in names
    ]


def build_plugin_manager(
    *,
    only: Collection[str] | None = None,
    load_entry_points: bool = True,
    extra: Sequence[tuple[str, object]] = (),
) -> tuple[pluggy.PluginManager, dict[str, PluginInfo]]:
    """A new plugin manager with the built-in sectors, installed plugins and ``extra``.

    ``only`` names the plugins to load (built-in or entry-point names); anything else
    is skipped. ``extra`` registers plugin objects directly (tests, embedding). Raises
    ``PluginError`` when a plugin cannot be imported, reuses a name, or implements a
    hook that does not exist.
    """
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(SectorHooks)
    infos: dict[str, PluginInfo] = {}
    wanted = None if only is None else set(only)

    def register(name: str, plugin: object, info: PluginInfo) -> None:
        if wanted is not None and name not in wanted:
            return
        if pm.has_plugin(name) or name in infos:
            raise PluginError(
                name,
                f"插件名称“{name}”已被另一插件使用",
                f"the plugin name {name!r} is already taken by another plugin",
            )
        try:
            pm.register(plugin, name=name)
        except pluggy.PluginValidationError as e:
            raise PluginError(
                name, f"插件钩子与规范不符：{e}", f"hook does not match the spec: {e}"
            ) from None
        infos[name] = info

    for name, module in builtin_plugins(wanted):
        register(name, module, PluginInfo(name, _ledger_version(), "built-in"))
    if load_entry_points:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if wanted is not None and ep.name not in wanted:
                continue
            try:
                loaded = ep.load()
            except Exception as e:
                raise PluginError(
                    ep.name,
                    f"无法加载插件（{ep.value}）：{e}",
                    f"cannot load the plugin ({ep.value}): {e}",
                ) from e
            dist = ep.dist
            origin = dist.name if dist is not None else ep.value
            release = dist.version if dist is not None else "unknown"
            register(ep.name, loaded, PluginInfo(ep.name, release, origin))
    for name, given in extra:
        register(name, given, PluginInfo(name, "unknown", "registered directly"))
    if wanted is not None and (missing := wanted - set(infos)):
        raise PluginError(
            ", ".join(sorted(missing)),
            "指定加载的插件未找到",
            "the plugins asked for are not installed",
        )
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as e:
        raise PluginError(
            str(pm.get_name(e.plugin) or "?"),
            f"插件实现了不存在的钩子：{e}",
            f"the plugin implements a hook that does not exist: {e}",
        ) from None
    return pm, infos
