"""The sector plugin contract: the hooks a sector implements and the values they return.

A sector (行业领域) — hazardous chemicals, city gas, construction, fire, special
equipment, or one a third party adds — is a pluggy plugin: a module or object whose
functions carry ``@hookimpl`` and have the names below. The built-in sectors in
``plugins.builtin`` are written exactly like a third-party one.

Every hook is pure: no I/O, no clock, no randomness. The ledger calls them while
deciding whether to record a command and while replaying history, so an impure hook
would make the same history validate or project differently on another day. Hooks
that describe the sector (``ledger_sectors``, ``ledger_catalogues``,
``ledger_audit_rules``, ``ledger_read_models``, ``ledger_report_columns``) are called
once, when the plugin manager is loaded; ``ledger_validate`` and
``ledger_suggest_criteria`` are called per command, and only for the sectors the
plugin itself registered, so a plugin cannot refuse or approve another sector's work.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pluggy

from ledger.audit.rules import ListingRule
from ledger.errors import Violation

from .catalogue import Catalogue

if TYPE_CHECKING:
    from ledger.audit.model import AuditRule
    from ledger.commands import Command
    from ledger.events import LedgerAggregate
    from ledger.read_model_spec import ReadModelSpec

PROJECT = "hazard_ledger"
ENTRY_POINT_GROUP = "hazard_ledger.sectors"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

SECTOR_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


@dataclass(frozen=True, slots=True)
class DetailField:
    """One sector-specific fact a hazard report carries in its ``details``.

    The ledger checks presence, type, choice and format itself, from this description,
    so every sector's refusals read alike; ``example`` is a valid value, used by the
    workbook template, the documentation and the conformance tests.
    """

    name: str
    label_zh: str
    label_en: str
    kind: str = "text"
    """``text``, ``bool``, ``number`` or ``choice``."""
    required: bool = True
    choices: tuple[str, ...] = ()
    pattern: str = ""
    """A regular expression a ``text`` value must match in full."""
    rule_zh: str = ""
    rule_en: str = ""
    """What ``pattern`` means, in words an official understands."""
    example: Any = None
    choice_labels: Mapping[str, tuple[str, str]] = field(default_factory=dict, hash=False)
    """What people call each of ``choices``: choice → (Chinese, English). Optional, so
    plugins written before it keep loading; a choice without a name is shown as itself.
    The values recorded are always the choices, never their names."""

    def choice_name(self, choice: str) -> tuple[str, str]:
        """The (Chinese, English) names of one of the choices; the choice itself when
        the plugin names it nowhere."""
        return self.choice_labels.get(choice, (choice, choice))


@dataclass(frozen=True, slots=True)
class GeneralCategory:
    """A category of general hazard (一般隐患类别) officials of the sector use.

    A general grade carries one, so that like hazards are counted together and a
    recurring general hazard is found (AUD-RECURRING compares categories). ``code`` is
    stable and recorded in the grade (``GAS-G03``); it must not be a criterion code.
    """

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class SectorSpec:
    """A sector as the ledger knows it: who regulates it and what its hazards carry."""

    code: str
    """Stable identifier recorded in every event (``city_gas``); never renamed."""
    name_zh: str
    name_en: str
    department_zh: str
    department_en: str
    details: tuple[DetailField, ...] = ()
    general_deadline_days: int = 30
    """Default rectification period for a general hazard (一般隐患), in days."""
    major_deadline_days: int = 90
    """Default rectification period for a major hazard (重大隐患), in days."""
    has_devices: bool = False
    """Whether inspections count devices checked (special equipment does)."""
    major_grade_zh: str = "重大事故隐患"
    """The sector's own name for its major grade (fire: 重大火灾隐患), used in messages,
    reviews and exports."""
    major_grade_en: str = "major accident hazard"
    general_categories: tuple[GeneralCategory, ...] = ()
    """The general-hazard categories a general grade of the sector may carry."""
    listing: ListingRule = field(default_factory=ListingRule)
    """When the sector's major hazards must be listed for supervision (挂牌督办)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A criterion a hazard's facts appear to match: advice to the grader, never a grade."""

    code: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True, slots=True)
class ReportColumn:
    """An extra column for the sector's rows in exported reports (the hazard register).

    The value is ``details[key]``; booleans print as 是/否 (Yes/No).
    """

    sector: str
    key: str
    title_zh: str
    title_en: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What a grading suggestion may look at: the hazard as reported."""

    sector: str
    location: str
    description: str
    details: Mapping[str, Any] = field(default_factory=dict)


class SectorHooks:
    """The hook specifications (``hazard_ledger`` project)."""

    @hookspec
    def ledger_sectors(self) -> Sequence[SectorSpec]:
        """Register the sectors this plugin provides.

        Why: the ledger refuses hazards of a sector nobody registered, and a sector
        code may be claimed by one plugin only — the code is recorded in every event
        and must keep meaning the same thing for as long as the ledger is kept.
        """
        return ()

    @hookspec
    def ledger_catalogues(self) -> Sequence[Catalogue]:
        """The sector's criterion catalogues (重大事故隐患判定标准), every edition.

        Why: a hazard graded major must cite criteria of the catalogue in force on the
        day it was graded, and keeps the edition it was graded under after the
        standard changes. Catalogues may only name sectors this plugin registered.
        """
        return ()

    @hookspec
    def ledger_validate(
        self, command: Command, sector: str, subject: LedgerAggregate | None
    ) -> Sequence[Violation]:
        """Judge a command of one of this plugin's sectors before it is recorded.

        Why: each sector has identifiers and facts of its own (a special-equipment
        hazard names its device, a construction hazard its permit). ``command`` is one
        of the command classes of ``ledger.commands`` (tell them apart by type:
        ``isinstance(command, ReportHazard)``); ``sector`` is the sector judging it and
        ``subject`` the record it acts on (None when it creates one). Declare only the
        arguments you use. Return the violations, each naming the field and the rule in
        Chinese and English; an empty sequence accepts. Any violation refuses the whole
        command and nothing is recorded.
        """
        return ()

    @hookspec
    def ledger_suggest_criteria(self, facts: Facts) -> Sequence[Suggestion]:
        """Criteria of the sector's catalogue that a reported hazard's facts match.

        Why: graders look up the standard by hand today, and a missed match is how a
        major hazard ends up graded general. Suggestions are advice shown to the
        grader, never recorded as a grade.
        """
        return ()

    @hookspec
    def ledger_audit_rules(self) -> Sequence[AuditRule]:
        """Audit rules of the sector, run by the accountability review with the built-ins.

        Why: some duties exist only in one sector (a gas supplier's duty to inspect
        its users' installations), and the review must find failures of them too.
        """
        return ()

    @hookspec
    def ledger_read_models(self) -> Sequence[ReadModelSpec]:
        """Read models of the sector: a table and a pure fold over plain events.

        Why: sector officials keep lists of their own (devices, permits); the
        projection follower keeps them exactly once and rebuilds them like the
        built-in read models.
        """
        return ()

    @hookspec
    def ledger_report_columns(self) -> Sequence[ReportColumn]:
        """Extra columns the sector's rows carry in exported reports.

        Why: a sector's officials expect its identifiers (registration codes, permit
        numbers) beside each hazard in the register they file.
        """
        return ()
