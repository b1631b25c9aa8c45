"""The package import graph of the ledger, read from the source with ``ast``.

The layers (decision in issue 14): ``ledger`` is the core and imports nothing of ours;
``plugins`` and ``projections`` stand on it and import only ``ledger``; ``api`` holds
every entry point and may import them all. Nothing here imports the code it reads, so
a module that fails to import, or an import inside a function or an ``if
TYPE_CHECKING`` block, is seen like any other.

Print the graph of the work tree, or of any commit (for a before/after)::

    python -m tests.layering_tests.graph
    python -m tests.layering_tests.graph --at d171b17^
"""

from __future__ import annotations

import argparse
import ast
import itertools
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Our top-level packages, lowest layer first.
PACKAGES = ("ledger", "plugins", "projections", "api")

#: Which of our packages each package may import.
ALLOWED: Mapping[str, frozenset[str]] = {
    "ledger": frozenset(),
    "plugins": frozenset({"ledger"}),
    "projections": frozenset({"ledger"}),
    "api": frozenset({"ledger", "plugins", "projections"}),
}

#: Functions that import a module named by their first argument.
DYNAMIC_IMPORTS = frozenset({"import_module", "__import__"})


@dataclass(frozen=True, order=True)
class Import:
    """One import statement (or dynamic import with a literal name) in our source."""

    module: str
    """The importing module (``plugins.testing``)."""
    line: int
    target: str
    """The imported module, absolute (``projections.follower``)."""
    path: str
    """The importing file, relative to the repository root."""

    @property
    def source_package(self) -> str:
        return self.module.split(".", 1)[0]

    @property
    def target_package(self) -> str:
        return self.target.split(".", 1)[0]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.module} imports {self.target}"


def module_name(path: str) -> str:
    """``plugins/builtin/fire.py`` -> ``plugins.builtin.fire``; packages drop ``__init__``."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names, resolving ``from .. import x``."""
    if node.level == 0:
        return node.module or ""
    package = module if is_package else module.rpartition(".")[0]
    parts = package.split(".")
    base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
    return ".".join([*base, node.module] if node.module else base)


def imports_in(path: str, text: str) -> Iterator[Import]:
    """Every import in one file, wherever it stands (module level, function, if-block)."""
    module = module_name(path)
    is_package = path.endswith("__init__.py")
    for node in ast.walk(ast.parse(text, filename=path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, node.lineno, alias.name, path)
        elif isinstance(node, ast.ImportFrom):
            yield Import(module, node.lineno, _absolute(module, is_package, node), path)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (
                name in DYNAMIC_IMPORTS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield Import(module, node.lineno, first.value, path)


def working_tree_sources(root: Path = ROOT) -> Iterator[tuple[str, str]]:
    """(path, text) of every ``.py`` file of our packages in the work tree."""
    for package in PACKAGES:
        for file in sorted((root / package).rglob("*.py")):
            yield file.relative_to(root).as_posix(), file.read_text(encoding="utf-8")


def commit_sources(rev: str, root: Path = ROOT) -> Iterator[tuple[str, str]]:
    """(path, text) of every ``.py`` file of our packages as committed at ``rev``."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=root, check=True, capture_output=True, text=True
        ).stdout

    listed = git("ls-tree", "-r", "--name-only", rev, "--", *PACKAGES).splitlines()
    for path in sorted(p for p in listed if p.endswith(".py")):
        yield path, git("show", f"{rev}:{path}")


def cross_package_imports(sources: Iterable[tuple[str, str]]) -> list[Import]:
    """The imports from one of our packages into another of ours."""
    found = [
        imp
        for path, text in sources
        for imp in imports_in(path, text)
        if imp.target_package in PACKAGES and imp.target_package != imp.source_package
    ]
    return sorted(found)


def against_the_layers(imports: Iterable[Import]) -> list[Import]:
    """The imports a package is not allowed to make."""
    return [i for i in imports if i.target_package not in ALLOWED[i.source_package]]


def package_graph(imports: Iterable[Import]) -> dict[str, dict[str, list[Import]]]:
    """package -> imported package -> the imports causing that edge."""
    graph: dict[str, dict[str, list[Import]]] = {p: {} for p in PACKAGES}
    for imp in imports:
        graph[imp.source_package].setdefault(imp.target_package, []).append(imp)
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The graph's cycles as strongly connected components (Tarjan), each sorted: the
    packages that reach each other. Empty when the graph is acyclic."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def render(imports: list[Import]) -> str:
    """The graph as text: each edge, then the modules (and lines) causing it."""
    graph = package_graph(imports)
    lines: list[str] = []
    for package in PACKAGES:
        edges = graph[package]
        if not edges:
            lines.append(f"{package} -> (nothing of ours)")
        for target in sorted(edges, key=PACKAGES.index):
            mark = "" if target in ALLOWED[package] else "   << against the layers"
            lines.append(f"{package} -> {target}  ({len(edges[target])} imports){mark}")
            by_module: dict[str, list[str]] = defaultdict(list)
            for imp in edges[target]:
                by_module[imp.module].append(f"{imp.target}:{imp.line}")
            for module in sorted(by_module):
                lines.append(f"    {module}: {', '.join(by_module[module])}")
    found = cycles(graph)
    mutual = [
        f"{a} <-> {b}"
        for a, b in itertools.combinations(PACKAGES, 2)
        if b in graph[a] and a in graph[b]
    ]
    lines.append("")
    lines.append(
        "package cycles: "
        + ("none" if not found else "; ".join("{" + ", ".join(c) + "}" for c in found))
    )
    if mutual:
        lines.append(f"packages importing each other: {', '.join(mutual)}")
    wrong = against_the_layers(imports)
    lines.append(f"imports against the layers: {len(wrong)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the graph; exit 1 when an import goes against the layers or forms a cycle."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.layering_tests.graph", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--at", metavar="REV", help="read the packages as committed at REV")
    args = parser.parse_args(argv)
    sources = commit_sources(args.at) if args.at else working_tree_sources()
    imports = cross_package_imports(sources)
    print(f"import graph of {args.at or 'the work tree'} (package -> package, importing modules)")
    print(render(imports))
    graph = package_graph(imports)
    return 1 if against_the_layers(imports) or cycles(graph) else 0


if __name__ == "__main__":
    sys.exit(main())
