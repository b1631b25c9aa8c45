"""Every audit rule is documented, satisfies the protocol, and has a unique code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ledger.audit import AuditRule, Dossier, Finding, Parameter, builtin_rules, check_registry

DOCS = Path(__file__).resolve().parents[2] / "docs" / "audit-rules.md"


def sections() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    parts = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    return {part.split(" ", 1)[0]: part for part in parts}


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.code)
def test_rule_is_documented_with_its_parameters(rule: AuditRule) -> None:
    documented = sections()
    assert rule.code in documented, f"{rule.code} has no section in docs/audit-rules.md"
    section = documented[rule.code]
    assert rule.title_zh in section
    for parameter in rule.parameters:
        assert f"`{parameter.name}`" in section, f"{rule.code}.{parameter.name} undocumented"
        default = parameter.default
        shown = ", ".join(default) if isinstance(default, tuple) else str(default)
        assert shown in section, f"{rule.code}.{parameter.name} default {shown} not in docs"


def test_docs_list_no_rule_that_does_not_exist() -> None:
    assert set(sections()) == {r.code for r in builtin_rules()}


def test_builtin_rules_satisfy_the_protocol_and_have_unique_codes() -> None:
    rules = builtin_rules()
    check_registry(rules)
    assert len(rules) == 11
    for rule in rules:
        assert isinstance(rule, AuditRule)
        assert rule.description.strip() and rule.title_en.strip()
        assert all(isinstance(p, Parameter) for p in rule.parameters)


class PluginRule:
    """A rule as a sector plugin would write it: a plain class, no base class."""

    code = "NH3-LEAK-ALARM"
    title_zh = "涉氨制冷车间未设氨气泄漏报警"
    title_en = "No ammonia leak alarm"
    description = "test rule"
    parameters: tuple[Parameter, ...] = ()

    def check(self, dossier: Dossier) -> list[Finding]:
        return []


def test_a_plugin_rule_joins_and_duplicates_are_refused() -> None:
    check_registry([*builtin_rules(), PluginRule()])
    with pytest.raises(ValueError, match="AUD-SELF-VERIFY"):
        check_registry([*builtin_rules(), builtin_rules()[1]])
    with pytest.raises(TypeError):
        check_registry([object()])  # type: ignore[list-item]
