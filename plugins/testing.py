"""A conformance test case for sector plugins: subclass it in one line.

    from plugins.authoring import SectorPluginConformance
    import my_sector

    class TestMySector(SectorPluginConformance):
        plugin = my_sector

It checks what the ledger relies on and cannot check at run time: that the catalogues
are whole and consistent, that every refusal reads in Chinese and English and names
its field, that the hooks are pure (same answer twice; no clock, no randomness, no
files, no network: ``plugins.purity``), and that the plugin's read models fold to the
same tables all at once, in small batches and a second time (``plugins.memory_fold``).
It stands on ``ledger`` alone, like the plugin it tests. Requires pytest (it is a test
case, not runtime code).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

import pytest

from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.commands import Command, GradeHazard, ReportHazard
from ledger.enterprise import Person
from ledger.errors import RuleViolated, Violation
from ledger.identity import Actor, Role

from .catalogue import Catalogue
from .memory_fold import Logged, fold_in_memory
from .purity import watching
from .sectors import HOOKS, Sectors
from .spec import Facts, SectorSpec

CJK = re.compile(r"[\u4e00-\u9fff]")
RULE = re.compile(r"^[A-Z][A-Z0-9_]+$")
OFFICIAL = Actor("conformance-official", "测试员", Role.INSPECTOR, "620826")


class SampleClock:
    """The sample ledger's recording clock: stands still until ``tick`` moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> datetime:
        self.now += timedelta(minutes=5)
        return self.now


class ImpureHook(AssertionError):
    """A hook reached for the clock, randomness, a file or the network."""


def _shape(value: Any, depth: int = 0) -> Any:
    """A comparable picture of a hook's answer: equal answers give equal pictures, even
    when the plugin builds new objects (an audit rule instance) on every call."""
    if depth > 6:
        return repr(type(value))
    if isinstance(value, list | tuple):
        return tuple(_shape(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _shape(v, depth + 1)) for k, v in value.items()))
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if hasattr(value, "__dict__") or hasattr(value, "__slots__"):
        names = sorted(
            set(getattr(value, "__dict__", {}))
            | {n for c in type(value).__mro__ for n in getattr(c, "__slots__", ())}
        )
        return (
            type(value).__qualname__,
            tuple((n, _shape(getattr(value, n, None), depth + 1)) for n in names),
        )
    return value


def _bilingual(v: Violation) -> list[str]:
    problems = []
    if not RULE.match(v.rule):
        problems.append(f"rule {v.rule!r} is not an UPPER_SNAKE code")
    if not v.field:
        problems.append(f"{v.rule}: names no field")
    if not CJK.search(v.message_zh):
        problems.append(f"{v.rule}: message_zh has no Chinese: {v.message_zh!r}")
    if not re.search(r"[A-Za-z]{3}", v.message_en) or v.message_en == v.message_zh:
        problems.append(f"{v.rule}: message_en is empty or not English: {v.message_en!r}")
    return problems


class SectorPluginConformance:
    """What every sector plugin must satisfy. Set ``plugin`` (and ``name`` if it differs
    from the module's last dotted part)."""

    plugin: ClassVar[Any]
    name: ClassVar[str] = ""

    # ---- helpers ----------------------------------------------------------------------

    @classmethod
    def plugin_name(cls) -> str:
        return (
            cls.name
            or getattr(cls.plugin, "__name__", type(cls.plugin).__name__).rsplit(".", 1)[-1]
        )

    @classmethod
    def sectors_under_test(cls) -> Sectors:
        """The plugin loaded on its own: no other sector, no installed entry points."""
        name = cls.plugin_name()
        builtin = getattr(cls.plugin, "__name__", "") == f"plugins.builtin.{name}"
        return Sectors.load(
            only=[name],
            load_entry_points=False,
            extra=() if builtin else [(name, cls.plugin)],
        )

    @pytest.fixture
    def sectors(self) -> Sectors:
        return self.sectors_under_test()

    def own_sectors(self, sectors: Sectors) -> list[SectorSpec]:
        return [s for code, s in sectors.specs.items() if sectors.owner[code] == self.plugin_name()]

    @staticmethod
    def example_details(spec: SectorSpec) -> dict[str, Any]:
        return {d.name: d.example for d in spec.details if d.example is not None}

    @staticmethod
    def in_force(sectors: Sectors, sector: str, day: datetime) -> Catalogue | None:
        local = day.astimezone(UTC).date()
        for catalogue in sectors.catalogues.get(sector, ()):
            if catalogue.in_force_on(local) and catalogue.criteria:
                return catalogue
        return None

    # ---- the checks -------------------------------------------------------------------

    def test_registers_a_sector(self, sectors: Sectors) -> None:
        assert self.own_sectors(sectors), "the plugin registers no sector"
        for spec in self.own_sectors(sectors):
            assert CJK.search(spec.name_zh) and spec.name_en, spec
            assert CJK.search(spec.department_zh) and spec.department_en, spec
            assert 0 < spec.general_deadline_days <= spec.major_deadline_days, spec
            for detail in spec.details:
                assert CJK.search(detail.label_zh) and detail.label_en, detail
                if detail.required:
                    assert detail.example is not None, f"{detail.name} needs an example"

    def test_catalogues_are_whole(self, sectors: Sectors) -> None:
        for spec in self.own_sectors(sectors):
            for catalogue in sectors.catalogues.get(spec.code, ()):
                items = catalogue.items()
                codes = [i.code for i in items]
                assert len(codes) == len(set(codes)), f"{catalogue.standard}: duplicate codes"
                assert catalogue.criteria or catalogue.composite_rules, catalogue.standard
                assert catalogue.standard and catalogue.document and catalogue.edition
                if catalogue.effective_to is not None:
                    assert catalogue.effective_from <= catalogue.effective_to
                for item in items:
                    assert CJK.search(item.text_zh), f"{item.code}: text_zh"
                    assert item.gist_en and not CJK.search(item.gist_en), f"{item.code}: gist_en"
                    assert item.clause, f"{item.code}: clause"
                elements = {e.code for e in catalogue.elements}
                for rule in catalogue.composite_rules:
                    assert set(rule.elements) <= elements, f"{rule.code}: unknown elements"
                    assert rule.threshold >= 1, rule.code

    def test_editions_of_one_document_do_not_overlap(self, sectors: Sectors) -> None:
        for spec in self.own_sectors(sectors):
            by_document: dict[str, list[Catalogue]] = {}
            for c in sectors.catalogues.get(spec.code, ()):
                by_document.setdefault(c.lineage, []).append(c)
            for editions in by_document.values():
                editions.sort(key=lambda c: c.effective_from)
                for older, newer in itertools.pairwise(editions):
                    assert older.effective_to is not None, older.standard
                    assert older.effective_to < newer.effective_from, newer.standard

    def test_example_details_are_accepted(self, sectors: Sectors) -> None:
        for spec in self.own_sectors(sectors):
            command = self.report_command(spec, self.example_details(spec))
            assert self.judge(sectors, command, spec.code) == [], spec.code

    def test_refusals_name_field_and_rule_in_both_languages(self, sectors: Sectors) -> None:
        for spec in self.own_sectors(sectors):
            probes = [
                self.report_command(spec, {}),
                self.report_command(spec, {d.name: 12345 for d in spec.details}),
                self.grade_command(spec, ("NO-SUCH-CRITERION",)),
            ]
            found: list[Violation] = []
            for probe in probes:
                found += self.judge(sectors, probe, spec.code)
            assert found, f"{spec.code}: a criterion that does not exist was accepted"
            problems = [p for v in found for p in _bilingual(v)]
            assert not problems, problems
            required = {f"details.{d.name}" for d in spec.details if d.required}
            missing = {v.field for v in self.judge(sectors, probes[0], spec.code)}
            assert required <= missing, f"{spec.code}: missing details not all refused"

    def test_hooks_are_pure(self, sectors: Sectors) -> None:
        self.check_hooks_are_pure(sectors)

    def test_read_models_fold_identically(self, sectors: Sectors, tmp_path: Path) -> None:
        if not sectors.read_models:
            pytest.skip("the plugin contributes no read model")
        self.check_read_models(sectors, tmp_path)

    # ---- what the checks do, callable on their own ------------------------------------

    def check_hooks_are_pure(self, sectors: Sectors) -> None:
        """Call every hook of the plugin twice while watching what it calls.

        Raises ``ImpureHook`` naming the hook, the call and its line; ``AssertionError``
        when the two answers differ.
        """
        name = self.plugin_name()
        calls: list[tuple[str, dict[str, Any]]] = [
            ("ledger_sectors", {}),
            ("ledger_catalogues", {}),
            ("ledger_audit_rules", {}),
            ("ledger_read_models", {}),
            ("ledger_report_columns", {}),
        ]
        for spec in self.own_sectors(sectors):
            details = self.example_details(spec)
            calls += [
                ("ledger_validate", self._judged(spec, self.report_command(spec, details))),
                ("ledger_validate", self._judged(spec, self.report_command(spec, {}))),
                (
                    "ledger_suggest_criteria",
                    {"facts": Facts(spec.code, "现场", "安全出口堵塞，报警装置失效", details)},
                ),
            ]
        for hook, kwargs in calls:
            assert hook in HOOKS
            for impl in getattr(sectors.pm.hook, hook).get_hookimpls():
                if impl.plugin_name != name:
                    continue
                given = {k: v for k, v in kwargs.items() if k in impl.argnames}
                with watching() as impure:
                    first = impl.function(**given)
                    second = impl.function(**given)
                if impure:
                    raise ImpureHook(
                        f"hook {hook} called {impure[0]}; hooks must be pure "
                        "(no clock, randomness, files or network)"
                    )
                assert _shape(first) == _shape(second), f"{hook} answered differently twice"

    def check_read_models(self, sectors: Sectors, tmp_path: Path) -> None:
        """Record a sample history, then fold the plugin's read models over its events:
        all at once, again, and three events at a time must give the same tables
        (``FoldProblem`` when a fold writes what its table cannot hold)."""
        ledger = self.open_ledger(sectors, tmp_path / "conformance.db")
        try:
            self.record_sample(ledger, sectors)
            events = self._events(ledger)
        finally:
            ledger.close()
        models = sectors.read_models
        at_once = fold_in_memory(models, events)
        assert fold_in_memory(models, events) == at_once, (
            "folding the same events a second time gave other tables (state kept between runs?)"
        )
        assert fold_in_memory(models, events, batch_size=3) == at_once, (
            "folding in batches of 3 gave other tables than folding all events at once"
        )
        assert any(at_once.values()), "the sample history left every plugin table empty"

    # ---- for a plugin's own tests: a ledger, an enterprise, commands ------------------

    official: ClassVar[Actor] = OFFICIAL
    """Who records the sample history: an inspector of county 620826 (the permission
    table lets inspectors register enterprises, report and grade)."""

    @pytest.fixture
    def ledger(self, sectors: Sectors, tmp_path: Path) -> Iterator[HazardLedger]:
        """A new ledger (SQLite, in the test's directory) knowing only this plugin."""
        ledger = self.open_ledger(sectors, tmp_path / "ledger.db")
        yield ledger
        ledger.close()

    @staticmethod
    def open_ledger(sectors: Sectors, path: Path) -> HazardLedger:
        """A ledger at ``path`` whose clock stands two days back and moves by ``tick``."""
        clock = SampleClock(datetime.now(tz=UTC) - timedelta(days=2))
        return HazardLedger(str(path), clock=clock, sectors=sectors)

    @staticmethod
    def tick(ledger: HazardLedger) -> datetime:
        """Move the sample ledger's clock five minutes on; the new business time."""
        clock = ledger.clock
        assert isinstance(clock, SampleClock), "tick() needs a ledger from open_ledger()"
        return clock.tick()

    def sample_enterprise(self, ledger: HazardLedger, sector: str, n: int = 0) -> str:
        """Register enterprise number ``n`` of ``sector``; its credit code."""
        code = make_credit_code(f"91620826MA7{n:06d}"[:17])
        ledger.register_enterprise(
            self.official,
            self.tick(ledger),
            credit_code=code,
            name=f"{sector}样本单位{n}",
            region_code="620826",
            sectors=[sector],
            principal=Person("p-1", "王五"),
        )
        return code

    def report(
        self,
        ledger: HazardLedger,
        enterprise_code: str,
        sector: str,
        details: Mapping[str, Any],
        *,
        location: str = "现场",
        description: str = "样本隐患",
    ) -> UUID:
        """Report a hazard of ``sector`` at the enterprise; the new case's id."""
        return ledger.report_hazard(
            self.official,
            self.tick(ledger),
            enterprise_code=enterprise_code,
            sector=sector,
            location=location,
            description=description,
            source="routine_inspection",
            details=dict(details),
        )

    def grade(
        self, ledger: HazardLedger, case: UUID, grade: str, criteria: Sequence[str] = ()
    ) -> None:
        """Grade the case (``major`` needs criteria of the catalogue in force)."""
        ledger.grade_hazard(
            self.official, self.tick(ledger), case, grade=grade, criteria=list(criteria)
        )

    def record_sample(self, ledger: HazardLedger, sectors: Sectors) -> None:
        """Per sector of the plugin: an enterprise and three hazards with its example
        details, the first graded major where a criterion in force accepts it."""
        for n, spec in enumerate(self.own_sectors(sectors)):
            code = self.sample_enterprise(ledger, spec.code, n)
            for i in range(3):
                case = self.report(
                    ledger, code, spec.code, self.example_details(spec), location=f"现场{i}"
                )
                catalogue = self.in_force(sectors, spec.code, ledger.clock())
                if i == 0 and catalogue is not None and self._grade_major(ledger, case, catalogue):
                    continue
                self.grade(ledger, case, "general")

    def _grade_major(self, ledger: HazardLedger, case: UUID, catalogue: Catalogue) -> bool:
        """Grade ``case`` major under the first criterion the plugin accepts for it."""
        for criterion in catalogue.criteria:
            try:
                self.grade(ledger, case, "major", [criterion.code])
            except RuleViolated:
                continue
            return True
        return False

    # ---- commands as a validator sees them --------------------------------------------

    @staticmethod
    def judge(sectors: Sectors, command: Command, sector: str) -> list[Violation]:
        """Every violation of ``command`` by ``sector``'s rules: the checks all sectors
        share and the plugin's own."""
        return list(sectors.validate(command, sector=sector))

    @staticmethod
    def report_command(spec: SectorSpec, details: Mapping[str, Any]) -> Command:
        """A new hazard report of the sector, as ``ledger_validate`` receives it."""
        return ReportHazard(
            occurred_at=datetime.now(tz=UTC),
            enterprise_code="",
            sector=spec.code,
            location="现场",
            description="安全出口堵塞",
            source="routine_inspection",
            details=dict(details),
        )

    @staticmethod
    def grade_command(
        spec: SectorSpec,
        criteria: Sequence[str],
        *,
        edition: str | None = None,
        on: datetime | None = None,
    ) -> Command:
        """A major grade citing ``criteria`` (under ``edition``, on ``on``: default now)."""
        return GradeHazard(
            occurred_at=on or datetime.now(tz=UTC),
            case_id=UUID(int=0),
            grade="major",
            criteria=tuple(criteria),
            catalogue_edition=edition,
        )

    @staticmethod
    def _judged(spec: SectorSpec, command: Command) -> dict[str, Any]:
        """The arguments ``ledger_validate`` is given for a new record of the sector."""
        return {"command": command, "sector": spec.code, "subject": None}

    @staticmethod
    def _events(ledger: HazardLedger) -> list[Logged]:
        """Every event of the ledger's log with its position, in order."""
        found: list[Logged] = []
        start = 0
        while notes := ledger.recorder.select_notifications(start, 500, inclusive_of_start=False):
            found += [(n.id, ledger.mapper.to_domain_event(n)) for n in notes]
            start = notes[-1].id
        return found
