"""docs/plugins.md documents every hook, with its signature, and nothing that is no hook."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from plugins.spec import SectorHooks

DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def hooks() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in vars(SectorHooks).items()
        if callable(fn) and name.startswith("ledger_")
    }


def test_every_hook_is_documented_with_its_signature_and_an_example() -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = {
        m.group(1): m.group(0)
        for m in re.finditer(r"^### `(ledger_\w+)\(.*?(?=^### |^## |\Z)", text, re.M | re.S)
    }
    assert set(sections) == set(hooks()), "docs/plugins.md and plugins/spec.py disagree"
    for name, signature in hooks().items():
        params = [p for p in signature.parameters if p != "self"]
        heading = sections[name].splitlines()[0]
        for param in params:
            assert f"{param}:" in heading, f"{name}: parameter {param} missing from the heading"
        assert "```python" in sections[name], f"{name}: no example"
        assert f"def {name}(" in sections[name], f"{name}: the example does not implement it"


def test_every_hook_has_a_docstring_that_says_why() -> None:
    for name, fn in vars(SectorHooks).items():
        if name.startswith("ledger_"):
            assert "Why:" in (fn.__doc__ or ""), name
