"""Sector plugins are loaded in exactly one place: ``api/composition.py``.

A second place that loads plugins is a second reading of the settings (which plugins,
from where), and the issue that led here found eight. Read with ``ast`` over every
package and the benchmark scripts, which are entry points too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

from .graph import PACKAGES, ROOT

#: Calls that load sector plugins. Everyone else asks the composition root
#: (``load_configured_sectors``, ``open_ledger``), which is the one place that calls them.
LOADERS = frozenset({"load_sectors", "build_plugin_manager"})
#: ``Sectors.load(...)``, ``Sectors(pm, infos)`` and ``pluggy.PluginManager(...)`` load too.
LOADER_CLASSES = frozenset({"Sectors", "PluginManager"})

COMPOSITION_ROOT = "api/composition.py"

#: Where a loader may be called other than the composition root, and why.
EXEMPT = {
    # Where the loaders are defined: Sectors.load calls build_plugin_manager,
    # load_sectors calls Sectors.load.
    "plugins/sectors.py": "defines Sectors.load and load_sectors",
    "plugins/manager.py": "defines build_plugin_manager",
    # The conformance kit is test code: it loads the one plugin under test on its own,
    # without entry points, never an installation's configured plugins.
    "plugins/testing.py": "the conformance kit loads the plugin under test alone",
}


def python_files() -> Iterator[Path]:
    for folder in (*PACKAGES, "bench"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def loader_calls(path: str, text: str) -> list[str]:
    """``path:line: call`` for every call that loads sector plugins, in line order."""
    return [f"{path}:{line}: {call}" for line, call in sorted(_loader_calls(path, text))]


def _loader_calls(path: str, text: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(text, filename=path)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and (func.id in LOADERS or func.id in LOADER_CLASSES):
            yield node.lineno, f"{func.id}()"
        elif isinstance(func, ast.Attribute):
            owner = func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            loads = func.attr == "load" and owner_name in LOADER_CLASSES
            if loads or func.attr in LOADERS or func.attr in LOADER_CLASSES:
                yield node.lineno, f"{ast.unparse(func)}()"


def calls_outside(files: Iterable[tuple[str, str]], allowed: Iterable[str]) -> list[str]:
    allowed = set(allowed)
    return [
        call for path, text in files if path not in allowed for call in loader_calls(path, text)
    ]


def sources() -> list[tuple[str, str]]:
    return [(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")) for p in python_files()]


def test_only_the_composition_root_loads_sectors() -> None:
    found = calls_outside(sources(), {COMPOSITION_ROOT, *EXEMPT})
    assert not found, (
        "sector plugins are loaded only by api.composition.load_configured_sectors; "
        "take the Sectors from there (or from the Ledger it opens):\n" + "\n".join(found)
    )


def test_the_composition_root_does_load_them() -> None:
    text = (ROOT / COMPOSITION_ROOT).read_text(encoding="utf-8")
    assert any("load_sectors" in call for call in loader_calls(COMPOSITION_ROOT, text))


def test_every_way_of_loading_is_caught() -> None:
    code = "\n".join(
        [
            "from plugins import load_sectors, Sectors",
            "import plugins.sectors",
            "load_sectors()",
            "plugins.sectors.load_sectors(['fire'])",
            "Sectors.load(only=['fire'])",
            "Sectors(pm, infos)",
            "def later():",
            "    from plugins.manager import build_plugin_manager",
            "    return build_plugin_manager()",
            "pluggy.PluginManager('hazard_ledger')",
            "api.composition.load_configured_sectors(None)",
            "open_ledger(Config())",
        ]
    )
    found = calls_outside([("api/routes/x.py", code)], {COMPOSITION_ROOT})
    assert [f.split(": ", 1)[0] for f in found] == [
        f"api/routes/x.py:{n}" for n in (3, 4, 5, 6, 9, 10)
    ]
    assert calls_outside([(COMPOSITION_ROOT, code)], {COMPOSITION_ROOT}) == []
