"""Criterion catalogues (重大事故隐患判定标准) as versioned, immutable data.

A hazard graded major must cite at least one criterion of its sector's official
determination standard. Standards change (fire moved from GB 35181-2017 to
GB 35181-2025; construction from the 2022 to the 2024 edition), and a hazard graded
under an old edition keeps the edition it was graded under, so every catalogue is an
*edition* with an effective period, and the sector keeps all its editions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Criterion:
    """One judgment item of a determination standard.

    ``code`` is the ledger's stable citation code (for example ``CONS-4-1`` or
    ``FIRE-D05``); ``clause`` is where the item stands in the official text
    (for example ``第四条（一）``).
    """

    code: str
    text_zh: str
    gist_en: str
    clause: str
    group: str = ""
    verified: bool = True
    """False where the text comes from a secondary copy not checked against the official one."""
    premises: tuple[str, ...] = ()
    """The kinds of premises the item applies to (GB 35181-2025 5.2-5.5); empty: any."""


@dataclass(frozen=True, slots=True)
class CompositeRule:
    """A count rule over several element codes (fire's composite elements, 综合判定要素).

    A major hazard is declared when at least ``threshold`` of ``elements`` coincide at
    premises of kind ``applies_to``. The rule itself is citable by its ``code``.
    """

    code: str
    text_zh: str
    gist_en: str
    clause: str
    elements: tuple[str, ...]
    threshold: int
    applies_to: str = ""
    verified: bool = True

    def is_met(self, cited: Iterable[str]) -> bool:
        """True when the cited element codes reach the threshold."""
        return len(set(cited) & set(self.elements)) >= self.threshold


@dataclass(frozen=True, slots=True)
class Term:
    """A term the standard defines (术语和定义): what its premises kinds mean."""

    clause: str
    name_zh: str
    name_en: str
    definition_zh: str
    note_zh: str = ""


@dataclass(frozen=True, slots=True)
class Provision:
    """Normative text that is not cited as a hazard: a step of the judging order, an annex rule."""

    clause: str
    text_zh: str
    gist_en: str


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A situation the standard says must not be judged major (GB 35181-2025 4.2).

    It applies when the hazard's declared detail ``detail`` is true, unless the detail
    ``unless`` is true too (4.2 a: a revised technical standard, save where the law says
    otherwise). A situation no declared detail can express has ``detail=""`` and is
    carried for its text only.
    """

    clause: str
    text_zh: str
    gist_en: str
    detail: str = ""
    unless: str = ""

    def applies(self, details: Mapping[str, object]) -> bool:
        """True when the declared details put the hazard in this situation."""
        if not self.detail or details.get(self.detail) is not True:
            return False
        return not (self.unless and details.get(self.unless) is True)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One edition of one sector's determination standard."""

    sector: str
    standard: str
    document: str
    edition: str
    effective_from: date
    effective_to: date | None
    criteria: tuple[Criterion, ...]
    composite_rules: tuple[CompositeRule, ...] = field(default=())
    elements: tuple[Criterion, ...] = field(default=())
    """Elements that are not major hazards alone but count towards a composite rule."""
    source: str = ""
    """Where the text was taken from, and what of it is unverified."""
    findings: tuple[Criterion, ...] = field(default=())
    """Findings that decide whether a criterion's condition holds (GB 35181-2025 Annex A):
    cited beside the criterion, never a major hazard alone."""
    terms: tuple[Term, ...] = field(default=())
    provisions: tuple[Provision, ...] = field(default=())
    exclusions: tuple[Exclusion, ...] = field(default=())
    series: str = ""
    """The standard's number without its year (``GB 35181``). Editions of one series
    replace one another even when the title changes; empty means the document title."""

    @property
    def lineage(self) -> str:
        """What successive editions share: the series, or else the document title."""
        return self.series or self.document

    def codes(self) -> frozenset[str]:
        """Every citable code: direct criteria and composite rules."""
        return frozenset(c.code for c in self.criteria) | frozenset(
            r.code for r in self.composite_rules
        )

    def items(self) -> tuple[Criterion | CompositeRule, ...]:
        """Every citable entry: direct criteria, composite rules, elements and findings."""
        return (*self.criteria, *self.composite_rules, *self.elements, *self.findings)

    def get(self, code: str) -> Criterion | CompositeRule | None:
        for item in self.items():
            if item.code == code:
                return item
        return None

    def excluded_by(self, details: Mapping[str, object]) -> Exclusion | None:
        """The first exclusion the declared details put the hazard in, if any."""
        return next((e for e in self.exclusions if e.applies(details)), None)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )
