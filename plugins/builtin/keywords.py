"""Keyword matching for grading suggestions, shared by the built-in sectors.

Deliberately plain: a suggestion is advice to a grader, so a transparent rule ("the
description names 安全出口") serves better than a clever one nobody can explain.
"""

from __future__ import annotations

from collections.abc import Sequence

from plugins.spec import Facts, Suggestion

Keywords = Sequence[tuple[tuple[str, ...], str]]


def match_keywords(table: Keywords, facts: Facts) -> list[Suggestion]:
    """One suggestion per criterion whose keywords appear in the location or description."""
    text = f"{facts.location} {facts.description}"
    found: list[Suggestion] = []
    for words, code in table:
        hit = next((w for w in words if w in text), None)
        if hit is not None and all(s.code != code for s in found):
            found.append(
                Suggestion(
                    code,
                    f"隐患描述提到“{hit}”",
                    f"the description mentions {hit!r}",
                )
            )
    return found
