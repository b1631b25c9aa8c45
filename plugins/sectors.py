"""The loaded sectors: every plugin's contributions, checked once, and per-command judgment.

``Sectors`` is what the ledger, the API and the CLI hold. It calls each plugin's hooks
one plugin at a time (never pluggy's combined call), so that a plugin that raises or
returns the wrong type is named in the error, and so that a command is judged only by
the plugin that owns its sector. The checks every sector shares — a known sector, the
declared detail fields, criterion codes against the catalogue in force — are made here,
from the plugins' declarations, so every sector refuses in the same words.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any, TypeVar

import pluggy

from ledger.audit.model import AuditRule
from ledger.audit.rules import SectorPolicy
from ledger.commands import Command, GradeHazard, ReportHazard
from ledger.errors import PluginError, Violation
from ledger.events import LedgerAggregate
from ledger.read_model_spec import ReadModelSpec

from .catalogue import Catalogue, CompositeRule, Criterion
from .manager import PluginInfo, build_plugin_manager
from .spec import SECTOR_CODE, DetailField, Facts, ReportColumn, SectorSpec, Suggestion

T = TypeVar("T")

#: Standards take effect on Chinese calendar days.
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")

HOOKS = (
    "ledger_sectors",
    "ledger_catalogues",
    "ledger_validate",
    "ledger_suggest_criteria",
    "ledger_audit_rules",
    "ledger_read_models",
    "ledger_report_columns",
)


def business_day(moment: datetime | None) -> date | None:
    """The Chinese calendar day of a business time (the day a standard is judged by)."""
    return None if moment is None else moment.astimezone(CHINA).date()


def applicable(catalogues: Iterable[Catalogue], day: date | None) -> list[Catalogue]:
    """The catalogues a grade on ``day`` is judged by.

    Those in force that day; and for a document with no edition in force, its latest
    edition that ended before the day. That covers the gap between a standard's
    successor taking effect and the successor's text being installed (fire: GB
    35181-2025 replaced the 2017 edition on 2025-11-01): officials must still be able
    to grade, and the grade records the edition it was judged by, so the gap stays
    visible to any later review. ``day=None`` means every catalogue.
    """
    catalogues = list(catalogues)
    if day is None:
        return catalogues
    chosen = [c for c in catalogues if c.in_force_on(day)]
    covered = {c.lineage for c in chosen}
    latest: dict[str, Catalogue] = {}
    for c in catalogues:
        if c.lineage in covered or c.effective_to is None or c.effective_to >= day:
            continue
        if c.lineage not in latest or c.effective_to > latest[c.lineage].effective_to:  # type: ignore[operator]
            latest[c.lineage] = c
    return chosen + list(latest.values())


def _call(plugin: str, hook: str, function: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return function(**kwargs)
    except Exception as e:
        raise PluginError(
            plugin,
            f"钩子 {hook} 出错：{type(e).__name__}: {e}",
            f"hook {hook} raised {type(e).__name__}: {e}",
        ) from e


def _items(plugin: str, hook: str, result: object, kind: type[T] | tuple[type, ...]) -> list[T]:
    """The hook's result as a list of ``kind``, or ``PluginError`` naming what was wrong."""
    if not isinstance(result, list | tuple):
        raise PluginError(
            plugin,
            f"钩子 {hook} 应返回列表或元组，实际返回 {type(result).__name__}",
            f"hook {hook} must return a list or tuple, got {type(result).__name__}",
        )
    for item in result:
        if not isinstance(item, kind):
            wanted = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise PluginError(
                plugin,
                f"钩子 {hook} 应返回 {wanted}，实际含有 {type(item).__name__}",
                f"hook {hook} must return {wanted} items, got {type(item).__name__}",
            )
    return list(result)


def _violation(rule: str, field: str, zh: str, en: str) -> Violation:
    return Violation(rule, field, zh, en)


class Sectors:
    """The sectors a ledger knows, from the plugins loaded into one plugin manager."""

    def __init__(self, pm: pluggy.PluginManager, infos: Mapping[str, PluginInfo]) -> None:
        self.pm = pm
        self.infos: dict[str, PluginInfo] = dict(infos)
        self.specs: dict[str, SectorSpec] = {}
        self.owner: dict[str, str] = {}
        self.catalogues: dict[str, tuple[Catalogue, ...]] = {}
        self._audit_rules: tuple[AuditRule, ...] = ()
        self.read_models: tuple[ReadModelSpec, ...] = ()
        self.report_columns: tuple[ReportColumn, ...] = ()
        self.hooks: dict[str, list[str]] = {name: [] for name in self.infos}
        self._validate: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {}
        self._suggest: dict[str, Callable[..., Any]] = {}
        self._collect()

    @classmethod
    def load(
        cls,
        *,
        only: Collection[str] | None = None,
        load_entry_points: bool = True,
        extra: Sequence[tuple[str, object]] = (),
    ) -> Sectors:
        """Build a plugin manager (see ``build_plugin_manager``) and check what it offers."""
        pm, infos = build_plugin_manager(
            only=only, load_entry_points=load_entry_points, extra=extra
        )
        return cls(pm, infos)

    # ---- loading ----------------------------------------------------------------------

    @property
    def audit_rules(self) -> tuple[AuditRule, ...]:
        """The plugins' audit rules, in registration order."""
        return self._audit_rules

    def _impls(self, hook: str) -> list[tuple[str, Callable[..., Any]]]:
        caller = getattr(self.pm.hook, hook)
        # get_hookimpls() lists in registration order (pluggy *calls* them in reverse).
        return [(impl.plugin_name, impl.function) for impl in caller.get_hookimpls()]

    def _collect(self) -> None:
        for hook in HOOKS:
            for plugin, _ in self._impls(hook):
                self.hooks.setdefault(plugin, []).append(hook)
        for plugin, function in self._impls("ledger_sectors"):
            result = _call(plugin, "ledger_sectors", function)
            for spec in _items(plugin, "ledger_sectors", result, SectorSpec):
                self._add_sector(plugin, spec)
        for plugin, function in self._impls("ledger_catalogues"):
            result = _call(plugin, "ledger_catalogues", function)
            for catalogue in _items(plugin, "ledger_catalogues", result, Catalogue):
                self._own(plugin, catalogue.sector, "ledger_catalogues")
                self._add_catalogue(plugin, catalogue)
        rules: list[AuditRule] = []
        for plugin, function in self._impls("ledger_audit_rules"):
            result = _call(plugin, "ledger_audit_rules", function)
            rules += _items(plugin, "ledger_audit_rules", result, AuditRule)
        self._audit_rules = tuple(rules)
        models: list[ReadModelSpec] = []
        for plugin, function in self._impls("ledger_read_models"):
            result = _call(plugin, "ledger_read_models", function)
            models += _items(plugin, "ledger_read_models", result, ReadModelSpec)
        self.read_models = tuple(models)
        columns: list[ReportColumn] = []
        for plugin, function in self._impls("ledger_report_columns"):
            result = _call(plugin, "ledger_report_columns", function)
            for column in _items(plugin, "ledger_report_columns", result, ReportColumn):
                self._own(plugin, column.sector, "ledger_report_columns")
                columns.append(column)
        self.report_columns = tuple(columns)
        self._validate = {
            impl.plugin_name: (impl.function, tuple(impl.argnames))
            for impl in self.pm.hook.ledger_validate.get_hookimpls()
        }
        self._suggest = dict(self._impls("ledger_suggest_criteria"))

    def _add_sector(self, plugin: str, spec: SectorSpec) -> None:
        if not SECTOR_CODE.match(spec.code):
            raise PluginError(
                plugin,
                f"行业代码“{spec.code}”不合规：须为小写字母开头的小写字母、数字或下划线，2–40 位",
                f"sector code {spec.code!r} must be 2-40 lowercase letters, digits or "
                "underscores, starting with a letter",
            )
        if spec.code in self.specs:
            raise PluginError(
                plugin,
                f"行业代码“{spec.code}”已由插件 {self.owner[spec.code]} 登记，不能重复登记",
                f"sector code {spec.code!r} is already registered by plugin "
                f"{self.owner[spec.code]}",
            )
        for detail in spec.details:
            if detail.kind not in ("text", "bool", "number", "choice"):
                raise PluginError(
                    plugin,
                    f"字段 {detail.name} 的类型“{detail.kind}”未知",
                    f"detail {detail.name} has unknown kind {detail.kind!r}",
                )
            named = set(detail.choice_labels)
            if not named <= set(detail.choices) or not all(
                len(pair) == 2 and all(isinstance(n, str) and n.strip() for n in pair)
                for pair in detail.choice_labels.values()
            ):
                raise PluginError(
                    plugin,
                    f"字段 {detail.name} 的选项名称须只为其选项命名，且中英文名称均不能为空",
                    f"detail {detail.name} names choices it does not offer, or a choice "
                    "without both a Chinese and an English name",
                )
        codes = [c.code for c in spec.general_categories]
        if len(set(codes)) != len(codes) or not all(c.strip() for c in codes):
            raise PluginError(
                plugin,
                f"行业“{spec.code}”的一般隐患类别代码须非空且不重复",
                f"sector {spec.code!r} declares blank or duplicate general-hazard category codes",
            )
        self.specs[spec.code] = spec
        self.owner[spec.code] = plugin

    def _own(self, plugin: str, sector: str, hook: str) -> None:
        if self.owner.get(sector) != plugin:
            raise PluginError(
                plugin,
                f"钩子 {hook} 提到的行业“{sector}”不是本插件登记的行业",
                f"hook {hook} names sector {sector!r}, which this plugin did not register",
            )

    def _add_catalogue(self, plugin: str, catalogue: Catalogue) -> None:
        existing = self.catalogues.get(catalogue.sector, ())
        for other in existing:
            if (other.standard, other.document, other.edition) == (
                catalogue.standard,
                catalogue.document,
                catalogue.edition,
            ):
                raise PluginError(
                    plugin,
                    f"判定标准 {catalogue.standard}（{catalogue.edition}）登记了两次",
                    f"catalogue {catalogue.standard} ({catalogue.edition}) is registered twice",
                )
        self.catalogues[catalogue.sector] = (*existing, catalogue)

    # ---- judging commands -------------------------------------------------------------

    def validate(
        self, command: Command, *, sector: str, subject: LedgerAggregate | None = None
    ) -> list[Violation]:
        """Every violation of the shared sector rules and of the owning plugin's rules.

        ``sector`` is the sector whose rules judge the command; ``subject`` the record it
        acts on (None for a command that creates one). The plugin's hook is given the
        arguments it declares of ``command``, ``sector`` and ``subject``.
        """
        if not sector:
            return []
        spec = self.specs.get(sector)
        if spec is None:
            if subject is not None:
                # A case recorded under a sector whose plugin is not loaded here: its
                # history stays workable; only new records need a known sector.
                return []
            return [
                _violation(
                    "SECTOR_UNKNOWN",
                    "sector",
                    f"行业领域“{sector}”未登记；已登记：{', '.join(sorted(self.specs))}",
                    f"sector {sector!r} is not registered; known: {', '.join(sorted(self.specs))}",
                )
            ]
        violations: list[Violation] = []
        if isinstance(command, ReportHazard):
            violations += self._check_details(spec, command.details)
        if isinstance(command, GradeHazard):
            violations += self._check_criteria(command, sector)
            violations += _check_category(spec, command)
        plugin = self.owner[sector]
        if plugin in self._validate:
            function, argnames = self._validate[plugin]
            given = {"command": command, "sector": sector, "subject": subject}
            result = _call(
                plugin,
                "ledger_validate",
                function,
                **{name: given[name] for name in argnames if name in given},
            )
            violations += _items(plugin, "ledger_validate", result, Violation)
        return violations

    def _check_details(self, spec: SectorSpec, details: Mapping[str, Any]) -> list[Violation]:
        found: list[Violation] = []
        for detail in spec.details:
            value = details.get(detail.name)
            where = f"details.{detail.name}"
            if value is None or (isinstance(value, str) and not value.strip()):
                if detail.required:
                    found.append(
                        _violation(
                            "DETAIL_REQUIRED",
                            where,
                            f"{spec.name_zh}隐患必须填写“{detail.label_zh}”",
                            f"a {spec.name_en} hazard must state its {detail.label_en}",
                        )
                    )
                continue
            problem = _detail_problem(detail, value)
            if problem is not None:
                found.append(_violation(problem[0], where, problem[1], problem[2]))
        return found

    def _check_criteria(self, command: GradeHazard, sector: str) -> list[Violation]:
        codes = tuple(c.strip() for c in command.criteria if c.strip())
        if not codes:
            return []  # the hazard's own state machine refuses a major grade without any
        day = business_day(command.occurred_at)
        edition = command.catalogue_edition
        candidates, refusal = self._candidates(sector, edition, day)
        if refusal is not None:
            return [refusal]
        known: dict[str, Criterion | CompositeRule] = {}
        for catalogue in candidates:
            for item in catalogue.items():
                known.setdefault(item.code, item)
        unknown = [c for c in codes if c not in known]
        if unknown:
            named = dict.fromkeys((c.standard, c.edition) for c in candidates)
            zh = "、".join(f"{s}（{e}）" for s, e in named) or "任何判定标准"
            en = ", ".join(f"{s} ({e})" for s, e in named) or "any catalogue"
            other = _other_editions(self.catalogues.get(sector, ()), candidates, unknown)
            return [
                _violation(
                    "CRITERION_UNKNOWN",
                    "criteria",
                    f"判定依据 {', '.join(unknown)} 不在{zh}中{other[0]}",
                    f"criteria {', '.join(unknown)} are not items of {en}{other[1]}",
                )
            ]
        if command.grade != "major":
            return self._general_citing_major(sector, codes, known)
        rules = [known[c] for c in codes if isinstance(known[c], CompositeRule)]
        direct = [c for c in codes if any(c == x.code for cat in candidates for x in cat.criteria)]
        found: list[Violation] = []
        for rule in rules:
            assert isinstance(rule, CompositeRule)
            if not rule.is_met(codes):
                cited = len(set(codes) & set(rule.elements))
                found.append(
                    _violation(
                        "COMPOSITE_NOT_MET",
                        "criteria",
                        f"综合判定规则 {rule.code} 须引用至少 {rule.threshold} 项综合判定要素，"
                        f"实际引用 {cited} 项",
                        f"composite rule {rule.code} needs at least {rule.threshold} of its "
                        f"elements cited, got {cited}",
                    )
                )
        if not direct and not rules:
            found.append(
                _violation(
                    "COMPOSITE_RULE_REQUIRED",
                    "criteria",
                    "综合判定要素单独不构成重大隐患：须同时引用其满足的综合判定规则",
                    "composite elements alone do not make a major hazard: cite the "
                    "composite rule they meet",
                )
            )
        return found

    def _candidates(
        self, sector: str, edition: object, day: date | None
    ) -> tuple[list[Catalogue], Violation | None]:
        catalogues = self.catalogues.get(sector, ())
        if edition:
            chosen = [c for c in catalogues if edition in (c.standard, c.edition)]
            if not chosen:
                editions = ", ".join(f"{c.standard} ({c.edition})" for c in catalogues) or "-"
                return [], _violation(
                    "CATALOGUE_EDITION_UNKNOWN",
                    "catalogue_edition",
                    f"判定标准版本“{edition}”不属于该行业；可选：{editions}",
                    f"catalogue edition {edition!r} is not one of this sector's: {editions}",
                )
            if day is not None and not any(c.in_force_on(day) for c in chosen):
                return [], _violation(
                    "CATALOGUE_NOT_IN_FORCE",
                    "catalogue_edition",
                    f"判定标准“{edition}”在 {day} 不在施行期内",
                    f"catalogue {edition!r} was not in force on {day}",
                )
            return [c for c in chosen if day is None or c.in_force_on(day)], None
        return applicable(catalogues, day), None

    def _general_citing_major(
        self, sector: str, codes: Sequence[str], known: Mapping[str, Criterion | CompositeRule]
    ) -> list[Violation]:
        """A general grade citing a criterion (or composite rule) of the determination
        standard contradicts itself: each such item defines a major hazard. Composite
        elements alone are no major hazard, so a general grade may cite them."""
        elements = {e.code for c in self.catalogues.get(sector, ()) for e in c.elements}
        major = [known[c] for c in codes if c not in elements]
        if not major:
            return []
        name_zh, name_en = self.major_grade_name(sector)
        quoted_zh = "；".join(f"{m.code}“{m.text_zh.rstrip('；;。')}”" for m in major)
        quoted_en = "; ".join(f"{m.code} ({m.gist_en})" for m in major)
        return [
            _violation(
                "GENERAL_CITES_MAJOR_CRITERION",
                "criteria",
                f"定为一般隐患却引用了{name_zh}判定条款：{quoted_zh}。符合该条款即为{name_zh}，"
                "请定为重大，或删去该条款并选择一般隐患类别",
                f"graded general but cites {name_en} criteria: {quoted_en}. Meeting such a "
                "criterion makes the hazard major: grade it major, or drop the criterion "
                "and give a general-hazard category",
            )
        ]

    def policy(self, sector: str) -> SectorPolicy:
        """What the audit rules need of ``sector``: its major grade's name and listing rule
        (the national default for a sector no loaded plugin registered)."""
        spec = self.specs.get(sector)
        if spec is None:
            return SectorPolicy()
        return SectorPolicy(spec.major_grade_zh, spec.major_grade_en, spec.listing)

    def major_grade_name(self, sector: str) -> tuple[str, str]:
        """The sector's own name for its major grade, in Chinese and English."""
        policy = self.policy(sector)
        return policy.major_grade_zh, policy.major_grade_en

    def edition_for(self, sector: str, criteria: Sequence[str], on: datetime) -> str | None:
        """The standard (edition) in force on ``on`` that holds the first cited criterion.

        The ledger records it with the grade when the grader did not name one, so the
        hazard keeps the edition it was graded under after the standard changes.
        """
        if not criteria:
            return None
        for catalogue in applicable(self.catalogues.get(sector, ()), business_day(on)):
            if catalogue.get(criteria[0]) is not None:
                return catalogue.standard
        return None

    def suggest(self, facts: Facts, on: datetime | None = None) -> list[Suggestion]:
        """The owning plugin's grading suggestions, limited to codes in force on ``on``."""
        plugin = self.owner.get(facts.sector)
        function = self._suggest.get(plugin or "")
        if plugin is None or function is None:
            return []
        result = _call(plugin, "ledger_suggest_criteria", function, facts=facts)
        suggestions = _items(plugin, "ledger_suggest_criteria", result, Suggestion)
        valid = {
            code
            for c in applicable(self.catalogues.get(facts.sector, ()), business_day(on))
            for code in c.codes()
        }
        return [s for s in suggestions if s.code in valid]

    # ---- describing -------------------------------------------------------------------

    def names_zh(self) -> dict[str, str]:
        """Each sector's Chinese name, by code."""
        return {code: spec.name_zh for code, spec in self.specs.items()}

    def describe(self) -> dict[str, Any]:
        """Plugins and sectors as plain data, for ``ledger plugins`` and ``GET /plugins``."""
        sectors = []
        for code, spec in self.specs.items():
            plugin = self.owner[code]
            sectors.append(
                {
                    "code": code,
                    "name_zh": spec.name_zh,
                    "name_en": spec.name_en,
                    "department": spec.department_zh,
                    "department_en": spec.department_en,
                    "plugin": plugin,
                    "plugin_version": self.infos[plugin].version if plugin in self.infos else "",
                    "general_deadline_days": spec.general_deadline_days,
                    "major_deadline_days": spec.major_deadline_days,
                    "has_devices": spec.has_devices,
                    "major_grade_zh": spec.major_grade_zh,
                    "major_grade_en": spec.major_grade_en,
                    "listing": {
                        "required": spec.listing.required,
                        "grace_days": spec.listing.grace_days,
                        "basis_zh": spec.listing.basis_zh,
                        "basis_en": spec.listing.basis_en,
                    },
                    "general_categories": [
                        {"code": g.code, "name_zh": g.name_zh, "name_en": g.name_en}
                        for g in spec.general_categories
                    ],
                    "details": [
                        {
                            "name": d.name,
                            "label_zh": d.label_zh,
                            "label_en": d.label_en,
                            "kind": d.kind,
                            "required": d.required,
                            "choices": list(d.choices),
                            "choice_labels": {
                                c: {"zh": d.choice_name(c)[0], "en": d.choice_name(c)[1]}
                                for c in d.choices
                            },
                        }
                        for d in spec.details
                    ],
                    "catalogues": [_describe_catalogue(c) for c in self.catalogues.get(code, ())],
                }
            )
        plugins = [
            {
                "name": info.name,
                "version": info.version,
                "origin": info.origin,
                "hooks": self.hooks.get(info.name, []),
                "sectors": [c for c, p in self.owner.items() if p == info.name],
            }
            for info in self.infos.values()
        ]
        return {"plugins": plugins, "sectors": sectors}


def load_sectors(only: Collection[str] | None = None) -> Sectors:
    """The sectors of this installation: every plugin, or those named in ``only``.

    Without ``only``, ``$LEDGER_PLUGINS`` (comma-separated plugin names) restricts what
    is loaded, so a deployment can pin its plugins without changing code.
    """
    if only is None and (named := os.environ.get("LEDGER_PLUGINS", "").strip()):
        only = [n.strip() for n in named.split(",") if n.strip()]
    return Sectors.load(only=only)


def _other_editions(
    catalogues: Iterable[Catalogue], candidates: Sequence[Catalogue], codes: Sequence[str]
) -> tuple[str, str]:
    """Where cited codes unknown to the applicable editions come from, and when that
    edition was in force: a grader citing a replaced standard learns why it is refused."""
    zh: list[str] = []
    en: list[str] = []
    for c in catalogues:
        if c in candidates:
            continue
        held = ", ".join(code for code in codes if c.get(code) is not None)
        if held:
            until = c.effective_to.isoformat() if c.effective_to else ""
            zh.append(f"{held} 属于 {c.standard}（施行期 {c.effective_from} 至 {until or '今'}）")
            en.append(f"{held} belong to {c.standard} ({c.effective_from} to {until or 'now'})")
    if not zh:
        return "", ""
    return (
        "；" + "；".join(zh) + "，不适用于该业务时间",
        "; " + "; ".join(en) + ", not in force at that business time",
    )


def _check_category(spec: SectorSpec, command: GradeHazard) -> list[Violation]:
    """A general grade's category must be one the sector declares (the state machine
    refuses a category on a major grade)."""
    category = (command.category or "").strip()
    if not category or command.grade != "general":
        return []
    known = {g.code: g for g in spec.general_categories}
    if category in known:
        return []
    listed_zh = "、".join(f"{g.code} {g.name_zh}" for g in spec.general_categories) or "（无）"
    listed_en = ", ".join(g.code for g in spec.general_categories) or "(none)"
    return [
        _violation(
            "CATEGORY_UNKNOWN",
            "category",
            f"“{category}”不是{spec.name_zh}的一般隐患类别；可选：{listed_zh}",
            f"{category!r} is not a general-hazard category of {spec.name_en}; known: {listed_en}",
        )
    ]


def _describe_catalogue(c: Catalogue) -> dict[str, Any]:
    return {
        "standard": c.standard,
        "document": c.document,
        "edition": c.edition,
        "effective_from": c.effective_from.isoformat(),
        "effective_to": c.effective_to.isoformat() if c.effective_to else None,
        "count": len(c.criteria),
        "composite_rules": len(c.composite_rules),
        "elements": len(c.elements),
        "unverified": sum(1 for x in c.items() if not x.verified),
    }


def _detail_problem(detail: DetailField, value: object) -> tuple[str, str, str] | None:
    """(rule, zh, en) when ``value`` breaks the field's declared kind, choice or format."""
    if detail.kind == "bool" and not isinstance(value, bool):
        return (
            "DETAIL_TYPE",
            f"“{detail.label_zh}”只能填是或否",
            f"{detail.label_en} must be true or false",
        )
    if detail.kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return (
            "DETAIL_TYPE",
            f"“{detail.label_zh}”必须是数字",
            f"{detail.label_en} must be a number",
        )
    if detail.kind == "choice" and value not in detail.choices:
        return (
            "DETAIL_CHOICE",
            f"“{detail.label_zh}”只能是：{'、'.join(detail.choices)}",
            f"{detail.label_en} must be one of: {', '.join(detail.choices)}",
        )
    if detail.kind == "text":
        if not isinstance(value, str):
            return (
                "DETAIL_TYPE",
                f"“{detail.label_zh}”必须是文字",
                f"{detail.label_en} must be text",
            )
        if detail.pattern and not re.fullmatch(detail.pattern, value.strip()):
            return (
                "DETAIL_FORMAT",
                f"“{detail.label_zh}”格式不符：{detail.rule_zh or detail.pattern}",
                f"{detail.label_en} has the wrong format: {detail.rule_en or detail.pattern}",
            )
    return None
