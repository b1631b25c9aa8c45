"""Every code of the domain has a Chinese and an English name in the one catalogue,
and times and rates are written one way."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ledger
from api.labels import GROUPS, beijing_minute, build, labels, percent
from ledger.accident import AccidentLevel
from ledger.audit import builtin_rules
from ledger.enforcement import ActionKind, ActionStatus
from ledger.errors import PluginError
from ledger.events import LedgerAggregate
from ledger.hazard import Grade, ListingLevel, Source, Status
from ledger.identity import Role
from ledger.inspection import InspectionType
from ledger.measure import MeasureCategory, MeasureStatus
from ledger.public_report import Channel, ReportStatus
from ledger.responsibility import Duty
from ledger.risk import RISK_COLOUR, RiskLevel
from plugins import Sectors
from plugins.spec import DetailField, SectorSpec, hookimpl

CJK = re.compile(r"[\u4e00-\u9fff]")

ENUMS: dict[str, type[StrEnum]] = {
    "status": Status,
    "grade": Grade,
    "source": Source,
    "listing_level": ListingLevel,
    "inspection_type": InspectionType,
    "kind": ActionKind,
    "action_status": ActionStatus,
    "duty": Duty,
    "role": Role,
    "measure_status": MeasureStatus,
    "measure_category": MeasureCategory,
    "risk_level": RiskLevel,
    "channel": Channel,
    "report_status": ReportStatus,
    "accident_level": AccidentLevel,
}


def _all_subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    sub: type
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _all_subclasses(sub)
    return found


def event_type_names() -> set[str]:
    """The name of every event type of every aggregate the domain defines."""
    for module in pkgutil.walk_packages(ledger.__path__, "ledger."):
        importlib.import_module(module.name)
    names = set()
    for aggregate in _all_subclasses(LedgerAggregate):
        if not aggregate.__module__.startswith("ledger."):
            continue
        for name, value in vars(aggregate).items():
            # ``Event`` and ``Created`` are the bases eventsourcing gives every aggregate
            if name in ("Event", "Created"):
                continue
            if isinstance(value, type) and issubclass(value, LedgerAggregate.Event):
                names.add(name)
    return names


@pytest.fixture(scope="module")
def sectors() -> Sectors:
    return Sectors.load()


def _named(group: str, code: str, sectors: Sectors) -> tuple[str, str]:
    zh = labels("zh", sectors).name(group, code)
    en = labels("en", sectors).name(group, code)
    return zh, en


@pytest.mark.parametrize("group", sorted(ENUMS))
def test_every_enum_value_has_a_chinese_and_an_english_name(group: str, sectors: Sectors) -> None:
    for member in ENUMS[group]:
        zh, en = _named(group, member.value, sectors)
        assert CJK.search(zh), (group, member, zh)
        assert en and en != zh and not CJK.search(en), (group, member, en)


def test_every_event_type_has_a_chinese_and_an_english_name(sectors: Sectors) -> None:
    names = event_type_names()
    assert {"Reported", "RectifiedOnSpot", "Issued", "Redacted"} <= names
    for name in sorted(names):
        zh, en = _named("event", name, sectors)
        assert CJK.search(zh), f"event {name} has no Chinese name (add it to EVENT_ZH)"
        assert en and en != name and not CJK.search(en), name


def test_every_loaded_sector_and_audit_rule_is_named(sectors: Sectors) -> None:
    assert sectors.specs
    for code in sectors.specs:
        zh, en = _named("sector", code, sectors)
        assert CJK.search(zh) and en and en != code, code
    for rule in (*builtin_rules(), *sectors.audit_rules):
        zh, en = _named("finding", rule.code, sectors)
        assert CJK.search(zh) and en != rule.code, rule.code
    for spec in sectors.specs.values():
        for detail in spec.details:
            zh, en = _named("detail", detail.name, sectors)
            assert CJK.search(zh) and en != detail.name, detail.name


def _named_apart(group: str, code: str, sectors: Sectors) -> None:
    """A Chinese name with Chinese characters and a distinct English one without."""
    zh, en = _named(group, code, sectors)
    assert CJK.search(zh), f"{group} {code!r} has no Chinese name: {zh!r}"
    assert en and en != zh and not CJK.search(en), f"{group} {code!r} has no English name"


def test_every_risk_colour_is_named(sectors: Sectors) -> None:
    for colour in RISK_COLOUR.values():
        _named_apart("risk_colour", colour, sectors)


def test_every_sector_names_its_categories_major_grade_and_detail_choices(
    sectors: Sectors,
) -> None:
    """Built-in sectors and the example plugin name every general-hazard category, their
    major grade and every choice of their detail fields, in both languages."""
    assert {"city_gas", "fire", "special_equipment", "ammonia_refrigeration"} <= set(sectors.specs)
    for code, spec in sectors.specs.items():
        _named_apart("major_grade", code, sectors)
        for category in spec.general_categories:
            _named_apart("general_category", category.code, sectors)
        for detail in spec.details:
            for choice in detail.choices:
                zh, en = _named("detail_choice", f"{detail.name}.{choice}", sectors)
                assert CJK.search(zh), (code, detail.name, choice, zh)
                assert en and not CJK.search(en), (code, detail.name, choice, en)
    names = labels("zh", sectors)
    assert names.name("detail_choice", "premises.restaurant") == "餐饮场所"
    assert labels("en", sectors).name("detail_choice", "premises_kind.宾馆") == "hotel"


def test_every_field_an_event_records_has_a_title(sectors: Sectors) -> None:
    """Whatever an event records (a device an order covers, the part of a site, a risk
    point's hazard source, an accident's deaths) has a title on the timeline."""
    event_type_names()  # imports every module of the domain
    common = {"originator_id", "originator_version", "timestamp", "originator_topic"}
    common |= {"actor", "occurred_at", "justification"}
    untitled = set()
    for aggregate in _all_subclasses(LedgerAggregate):
        if not aggregate.__module__.startswith("ledger."):
            continue
        for value in vars(aggregate).values():
            if isinstance(value, type) and issubclass(value, LedgerAggregate.Event):
                for name in getattr(value, "__dataclass_fields__", {}):
                    if name not in common:
                        zh, en = _named("field", name, sectors)
                        if not CJK.search(zh) or CJK.search(en):
                            untitled.add(f"{aggregate.__name__}.{value.__name__}.{name}")
    assert not untitled, sorted(untitled)


def test_a_plugin_without_choice_labels_still_loads_and_shows_its_choices() -> None:
    """``choice_labels`` is optional: a plugin written before it loads, and its choices
    are shown as themselves."""

    class Old:
        @hookimpl
        def ledger_sectors(self) -> list[SectorSpec]:
            detail = DetailField("kiln", "窑型", "kiln", kind="choice", choices=("rotary",))
            return [SectorSpec("cement", "水泥", "Cement", "工信", "MIIT", details=(detail,))]

    old = Sectors.load(only=["old"], load_entry_points=False, extra=[("old", Old())])
    assert labels("en", old).name("detail_choice", "kiln.rotary") == "rotary"
    described = old.describe()["sectors"][0]["details"][0]
    assert described["choice_labels"] == {"rotary": {"zh": "rotary", "en": "rotary"}}


def test_a_plugin_naming_a_choice_it_does_not_offer_is_refused() -> None:
    class Wrong:
        @hookimpl
        def ledger_sectors(self) -> list[SectorSpec]:
            detail = DetailField(
                "kiln",
                "窑型",
                "kiln",
                kind="choice",
                choices=("rotary",),
                choice_labels={"shaft": ("立窑", "shaft kiln")},
            )
            return [SectorSpec("cement", "水泥", "Cement", "工信", "MIIT", details=(detail,))]

    with pytest.raises(PluginError):
        Sectors.load(only=["wrong"], load_entry_points=False, extra=[("wrong", Wrong())])


def test_groups_are_the_same_in_both_languages(sectors: Sectors) -> None:
    zh, en = build("zh", sectors), build("en", sectors)
    assert tuple(zh.groups) == tuple(en.groups) == GROUPS
    for group in GROUPS:
        assert set(zh.groups[group]) == set(en.groups[group]), group
    assert zh.etag != en.etag


def test_unknown_codes_show_as_themselves_and_nothing_as_a_dash(sectors: Sectors) -> None:
    names = labels("zh", sectors)
    assert names.name("status", "no_such_status") == "no_such_status"
    assert names.name("status", None) == "—"
    assert names.name("status", Status.CLOSED) == "已销号"


moments = st.datetimes(
    min_value=datetime(1950, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=8))]),
)


@given(moments)
def test_times_are_beijing_time_to_the_minute(moment: datetime) -> None:
    expected = moment.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    assert beijing_minute(moment) == expected
    assert beijing_minute(moment.isoformat()) == expected


@given(st.floats(min_value=0, max_value=1))
def test_rates_are_one_percentage_format(rate: float) -> None:
    text = percent(rate)
    assert re.fullmatch(r"\d{1,3}\.\d%", text), text
    assert abs(float(text[:-1]) - rate * 100) <= 0.05 + 1e-9


def test_a_missing_rate_is_never_zero_percent() -> None:
    assert percent(None) != "0.0%"
    assert percent(0.9773) == "97.7%"
