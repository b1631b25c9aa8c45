"""The one catalogue of labels: every code a person reads, named in Chinese or English.

The page (``GET /labels``), the CLI and the exported workbooks all look names up here,
so a status is called the same thing on screen, in a terminal and in a spreadsheet, and
switching to English switches all of them. The domain's codes are built in
(``api.labels.domain``); sector names, their major-grade names, general-hazard
categories, detail fields and the names of their choices, and audit-finding titles come
from the sector plugins that are loaded, so a new sector is named without touching this
module.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

import orjson

from ledger.audit import builtin_rules
from plugins import Sectors

from ..composition import load_configured_sectors
from . import domain
from .domain import Pair
from .formatting import NOTHING

Lang = Literal["zh", "en"]

#: Every group of the catalogue, in the order it is served.
GROUPS = (
    "sector",
    "status",
    "grade",
    "source",
    "mode",
    "listing_level",
    "inspection_type",
    "kind",
    "action_status",
    "duty",
    "role",
    "event",
    "measure_status",
    "measure_category",
    "severity",
    "plan",
    "finding",
    "detail",
    "field",
    "risk_level",
    "risk_colour",
    "hazard_source_level",
    "channel",
    "report_status",
    "accident_level",
    "general_category",
    "major_grade",
    "detail_choice",
)


def language(value: str | None) -> Lang:
    """``en``, ``en-US`` … → English; anything else (or nothing) → Chinese, the default."""
    return "en" if value and value.strip().lower().startswith("en") else "zh"


def pairs(sectors: Sectors | None) -> dict[str, dict[str, Pair]]:
    """Every group as code → (Chinese, English)."""
    sector_names: dict[str, Pair] = {}
    details: dict[str, Pair] = {}
    choices: dict[str, Pair] = {}
    categories: dict[str, Pair] = {}
    major_grades: dict[str, Pair] = {}
    findings: dict[str, Pair] = {}
    rules = list(builtin_rules())
    if sectors is not None:
        sector_names = {code: (s.name_zh, s.name_en) for code, s in sectors.specs.items()}
        for code, spec in sectors.specs.items():
            major_grades[code] = (spec.major_grade_zh, spec.major_grade_en)
            for category in spec.general_categories:
                categories.setdefault(category.code, (category.name_zh, category.name_en))
            for detail in spec.details:
                details.setdefault(detail.name, (detail.label_zh, detail.label_en))
                for choice in detail.choices:
                    # keyed ``detail.choice``: a choice is named within its field
                    choices.setdefault(f"{detail.name}.{choice}", detail.choice_name(choice))
        rules.extend(sectors.audit_rules)
    for rule in rules:
        findings[rule.code] = (rule.title_zh, rule.title_en)
    built: dict[str, dict[str, Pair]] = {
        "sector": sector_names,
        "status": domain.STATUS,
        "grade": domain.GRADE,
        "source": domain.SOURCE,
        "mode": domain.MODE,
        "listing_level": domain.LISTING_LEVEL,
        "inspection_type": domain.INSPECTION_TYPE,
        "kind": domain.KIND,
        "action_status": domain.ACTION_STATUS,
        "duty": domain.DUTY,
        "role": domain.ROLE,
        "event": domain.events(),
        "measure_status": domain.MEASURE_STATUS,
        "measure_category": domain.MEASURE_CATEGORY,
        "severity": domain.SEVERITY,
        "plan": domain.PLAN_PART,
        "finding": findings,
        "detail": details,
        "field": domain.FIELD,
        "risk_level": domain.RISK_LEVEL,
        "risk_colour": domain.RISK_COLOUR,
        "hazard_source_level": domain.HAZARD_SOURCE_LEVEL,
        "channel": domain.CHANNEL,
        "report_status": domain.REPORT_STATUS,
        "accident_level": domain.ACCIDENT_LEVEL,
        "general_category": categories,
        "major_grade": major_grades,
        "detail_choice": choices,
    }
    return {group: dict(built[group]) for group in GROUPS}


@dataclass(frozen=True)
class Labels:
    """The catalogue in one language."""

    lang: Lang
    groups: Mapping[str, Mapping[str, str]]
    etag: str = field(default="")
    """A hash of the served catalogue, for HTTP caching."""

    def name(self, group: str, code: object) -> str:
        """What people call ``code``; an unknown code is shown as itself (so nothing is
        hidden), an empty one as ``—``."""
        if code is None or code == "":
            return NOTHING
        key = code.value if isinstance(code, Enum) else str(code)
        return self.groups.get(group, {}).get(key, key)

    def event(self, name: str, aggregate: str = "") -> str:
        """An event type's name (``RectifiedOnSpot`` → 当场整改); ``aggregate`` (the
        class name) tells apart events of one name on several aggregates."""
        qualified = self.groups.get("event", {}).get(f"{aggregate}.{name}")
        return qualified or self.name("event", name)

    def field(self, name: str) -> str:
        """A field's title (``found_at`` → 发现时间)."""
        return self.name("field", name)

    @property
    def colon(self) -> str:
        """Between a label and its value: full-width in Chinese."""
        return ": " if self.lang == "en" else "："

    def text(self, zh: str, en: str) -> str:
        """One of two texts the caller wrote, in this catalogue's language."""
        return en if self.lang == "en" else zh

    def value(self, key: str, value: Any) -> str:
        """A field's value as people read it (see ``api.labels.values.show``)."""
        from .values import show  # values builds on this class

        return show(self, key, value)

    def as_json(self) -> dict[str, Any]:
        """The catalogue as served to the page."""
        return {"lang": self.lang, "labels": {g: dict(v) for g, v in self.groups.items()}}


def build(lang: str | None = "zh", sectors: Sectors | None = None) -> Labels:
    """The catalogue in a language, with these sectors' names (none when None)."""
    chosen = language(lang)
    index = 1 if chosen == "en" else 0
    groups = {
        group: {code: pair[index] for code, pair in entries.items()}
        for group, entries in pairs(sectors).items()
    }
    body = orjson.dumps({"lang": chosen, "labels": groups}, option=orjson.OPT_SORT_KEYS)
    return Labels(chosen, groups, hashlib.sha256(body).hexdigest()[:32])


@functools.lru_cache(maxsize=32)
def _cached(lang: Lang, sectors: Sectors | None) -> Labels:
    return build(lang, sectors)


def labels(lang: str | None = "zh", sectors: Sectors | None = None) -> Labels:
    """The catalogue for ``lang``; without ``sectors``, those installed (the composition
    root's default selection). Built once per language and sector selection."""
    if sectors is None:
        sectors = load_configured_sectors(None)
    return _cached(language(lang), sectors)
