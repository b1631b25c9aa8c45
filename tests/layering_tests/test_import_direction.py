"""The layers are what the imports show: ``ledger`` imports nothing of ours, ``plugins``
and ``projections`` only ``ledger``, ``api`` anything; and no two packages reach each
other. The checker itself is tested on made-up sources, so it is known to catch an
import wherever it stands."""

from __future__ import annotations

import subprocess
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .graph import (
    ALLOWED,
    PACKAGES,
    against_the_layers,
    commit_sources,
    cross_package_imports,
    cycles,
    imports_in,
    package_graph,
    render,
    working_tree_sources,
)


def test_no_import_goes_against_the_layers() -> None:
    wrong = against_the_layers(cross_package_imports(working_tree_sources()))
    allowed = "; ".join(
        f"{p} may import {sorted(a) or 'nothing of ours'}" for p, a in ALLOWED.items()
    )
    assert not wrong, f"{allowed}. Against the layers:\n" + "\n".join(map(str, wrong))


def test_the_packages_form_no_cycle() -> None:
    graph = package_graph(cross_package_imports(working_tree_sources()))
    assert cycles(graph) == [], render(cross_package_imports(working_tree_sources()))


def test_every_package_is_read() -> None:
    read = {path.split("/", 1)[0] for path, _ in working_tree_sources()}
    assert read == set(PACKAGES)


# ---- the checker, on made-up sources ----------------------------------------------------

PLACES = {
    "module level": "{imp}\n",
    "function body": "def f():\n    {imp}\n",
    "method body": "class C:\n    def m(self):\n        {imp}\n",
    "TYPE_CHECKING block": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    {imp}\n",
    "try block": "try:\n    {imp}\nexcept ImportError:\n    pass\n",
}

FORMS = {
    "import": "import {target}.x",
    "import as": "import {target}.x as y",
    "from import": "from {target}.x import y",
    "from package import": "from {target} import y",
    "import_module": "importlib.import_module('{target}.x')",
}


@given(
    source=st.sampled_from(PACKAGES),
    target=st.sampled_from(PACKAGES),
    place=st.sampled_from(sorted(PLACES)),
    form=st.sampled_from(sorted(FORMS)),
)
def test_an_import_is_flagged_exactly_when_its_layer_forbids_it(
    source: str, target: str, place: str, form: str
) -> None:
    code = PLACES[place].format(imp=FORMS[form].format(target=target))
    imports = cross_package_imports([(f"{source}/sub/mod.py", code)])
    if source == target:
        assert imports == []
        return
    assert [(i.module, i.target_package) for i in imports] == [(f"{source}.sub.mod", target)]
    flagged = against_the_layers(imports)
    assert bool(flagged) == (target not in ALLOWED[source]), code


def test_a_flagged_import_names_its_module_and_line() -> None:
    code = textwrap.dedent(
        """\
        from __future__ import annotations

        def lazily():
            from projections.follower import Follower
            return Follower
        """
    )
    (wrong,) = against_the_layers(cross_package_imports([("plugins/testing.py", code)]))
    assert str(wrong) == ("plugins/testing.py:4: plugins.testing imports projections.follower")


def test_relative_imports_resolve_within_the_package() -> None:
    code = "from . import a\nfrom .. import b\nfrom ..c import d\nfrom .e import f\n"
    targets = [i.target for i in imports_in("api/cli/common.py", code)]
    assert targets == ["api.cli", "api", "api.c", "api.cli.e"]
    targets = [i.target for i in imports_in("api/cli/__init__.py", code)]
    assert targets == ["api.cli", "api", "api.c", "api.cli.e"]


def test_cycles_are_found_and_a_layered_graph_has_none() -> None:
    layered = {p: sorted(ALLOWED[p]) for p in PACKAGES}
    assert cycles(layered) == []
    tangled = {**layered, "ledger": ["plugins"], "projections": ["ledger", "plugins"]}
    assert cycles(tangled) == [["ledger", "plugins"]]
    assert cycles({"api": ["api"]}) == [["api"]]


#: The last commit before the layers were redrawn (issue 14): its tangle is known.
BEFORE = "d171b17^"


def test_the_tree_before_the_redesign_is_caught() -> None:
    try:
        imports = cross_package_imports(commit_sources(BEFORE))
    except subprocess.CalledProcessError:
        pytest.skip(f"{BEFORE} is not in this clone's history")
    wrong = {(i.source_package, i.target_package) for i in against_the_layers(imports)}
    assert wrong == {
        ("ledger", "plugins"),
        ("ledger", "projections"),
        ("ledger", "api"),
        ("plugins", "projections"),
        ("projections", "plugins"),
    }
    assert cycles(package_graph(imports)) == [sorted(PACKAGES)]
