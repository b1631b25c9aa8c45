"""Domain errors: every refusal names the rule and the field, in Chinese and English.

Officials read these messages, so each violation carries both languages; callers pick
one (the API by Accept-Language, the CLI by ``--lang``). A refused command records
nothing: errors are raised before any event is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: which rule, which field, and what a person should know."""

    rule: str
    field: str
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "field": self.field,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


class LedgerError(Exception):
    """Base of every error the ledger raises on purpose."""


class RuleViolated(LedgerError):
    """A command broke one or more rules and was refused; nothing was recorded."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        if not self.violations:
            raise ValueError("RuleViolated needs at least one violation")
        super().__init__(
            "; ".join(f"[{v.rule}] {v.field}: {v.message_en}" for v in self.violations)
        )

    def messages(self, lang: str = "zh") -> list[str]:
        """What a person reads: each broken rule's message, which says in words what it
        is about. The ``field`` is a path for programs (``as_dict``, the API's
        ``violations``) and is not put before it: it is a code (``plan.goal_and_tasks``),
        and a field's title in a register names it out of the refusal's context (a
        public report's ``amount`` is a reward, the register's ``amount`` a fine)."""
        return [v.message(lang) for v in self.violations]


def refuse(rule: str, field: str, zh: str, en: str) -> RuleViolated:
    """Build the error for a single broken rule (``raise refuse(...)``)."""
    return RuleViolated([Violation(rule, field, zh, en)])


class NotFound(LedgerError):
    """The thing asked for does not exist (or is outside the caller's sight)."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} not found: {key}")


class ConcurrentChange(LedgerError):
    """Somebody else changed the record first: reload and decide again.

    Raised instead of silently overwriting, so that two officials acting on one case at
    the same moment never lose or double an action.
    """

    def __init__(self, kind: str, key: object, detail: str = "") -> None:
        self.kind = kind
        self.key = key
        msg = f"{kind} {key} was changed by someone else; reload it and try again"
        super().__init__(f"{msg} ({detail})" if detail else msg)

    message_zh = "该记录已被他人修改，请刷新后重试"


class PluginError(LedgerError):
    """A sector plugin misbehaved: it raised, returned the wrong type, or claimed a taken code.

    At start-up the plugin is refused (the ledger does not start with it); while judging a
    command the command is refused and nothing is recorded on the plugin's behalf. Either
    way the message names the plugin, so its maintainer knows where to look.
    """

    def __init__(self, plugin: str, message_zh: str, message_en: str) -> None:
        self.plugin = plugin
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"plugin {plugin}: {message_en}")

    def message(self, lang: str = "zh") -> str:
        text = self.message_en if lang.startswith("en") else self.message_zh
        return f"{'plugin' if lang.startswith('en') else '插件'} {self.plugin}: {text}"
