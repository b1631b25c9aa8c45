"""A third-party sector needs one module, ``plugins.authoring``: every type a hook takes or
returns is there, the example package and the documentation import from it alone, and
importing it at run time pulls in neither pytest nor the layers a plugin must not use."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import plugins.authoring as authoring
from plugins.spec import SectorHooks
from tests.layering_tests.graph import PACKAGES, ROOT, imports_in

EXAMPLE = ROOT / "examples" / "ammonia_refrigeration"
DOC = ROOT / "docs" / "plugins.md"
SURFACE = "plugins.authoring"


def ours_imported(path: str, text: str) -> list[str]:
    """``line: module`` for every import of one of our packages other than the surface."""
    return [
        f"{path}:{imp.line}: {imp.target}"
        for imp in imports_in(path, text)
        if imp.target_package in PACKAGES and imp.target != SURFACE
    ]


def test_every_name_a_hook_uses_is_on_the_surface() -> None:
    builtin = {"Sequence", "str", "None", "self"}
    for name, hook in vars(SectorHooks).items():
        if not name.startswith("ledger_"):
            continue
        annotations = " ".join(str(a) for a in inspect.get_annotations(hook).values())
        for used in set(re.findall(r"[A-Za-z_]\w*", annotations)) - builtin:
            assert used in authoring.__all__, f"{name} uses {used}, not in {SURFACE}"


def test_every_exported_name_resolves() -> None:
    for name in authoring.__all__:
        assert getattr(authoring, name) is not None, name
    with pytest.raises(AttributeError):
        _ = authoring.NoSuchName


@pytest.mark.parametrize("folder", ["src", "tests"])
def test_the_example_imports_only_the_surface(folder: str) -> None:
    found = [
        problem
        for file in sorted((EXAMPLE / folder).rglob("*.py"))
        for problem in ours_imported(
            file.relative_to(ROOT).as_posix(), file.read_text(encoding="utf-8")
        )
    ]
    assert not found, f"the example must import only {SURFACE}:\n" + "\n".join(found)


def test_the_documentation_imports_only_the_surface() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks
    found = []
    for n, block in enumerate(blocks):
        ast.parse(block)  # every example is Python
        found += ours_imported(f"docs/plugins.md#block{n}", block)
    assert not found, "\n".join(found)


def test_the_checker_sees_a_stray_import() -> None:
    code = "from plugins.authoring import hookimpl\nfrom plugins.spec import SectorSpec\n"
    assert ours_imported("x.py", code) == ["x.py:2: plugins.spec"]


def test_importing_the_surface_needs_neither_pytest_nor_the_upper_layers() -> None:
    probe = (
        "import sys, plugins.authoring\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pytest', 'projections', 'api'})\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
    assert Path(inspect.getfile(authoring.SectorPluginConformance)).name == "testing.py"
