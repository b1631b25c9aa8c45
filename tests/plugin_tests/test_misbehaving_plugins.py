"""A plugin that raises, returns the wrong type, claims a taken code or misspells a hook
is refused with a message naming it; nothing is recorded on its behalf."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from ledger.application import HazardLedger
from ledger.commands import Command
from ledger.errors import PluginError, Violation
from plugins import Sectors, SectorSpec, hookimpl
from plugins.spec import DetailField
from tests.conftest import FakeClock
from tests.support import INSPECTOR, RESTAURANT_CODE, register_restaurant


def plugin(**hooks: Any) -> object:
    """A plugin object whose attributes are the given hook implementations."""
    return SimpleNamespace(**{name: hookimpl(fn) for name, fn in hooks.items()})


def sector(code: str = "mining") -> Any:
    spec = SectorSpec(code, "矿山", "Mining", "矿山安全监管部门", "Mine safety authority")
    return lambda: (spec,)


def load(*plugins: tuple[str, object], builtins: Sequence[str] = ()) -> Sectors:
    return Sectors.load(
        only=[*builtins, *(n for n, _ in plugins)], load_entry_points=False, extra=plugins
    )


def test_a_well_behaved_plugin_loads() -> None:
    sectors = load(("mining", plugin(ledger_sectors=sector())))
    assert list(sectors.specs) == ["mining"]
    assert sectors.owner["mining"] == "mining"
    assert sectors.hooks["mining"] == ["ledger_sectors"]


def test_a_plugin_that_raises_at_load_is_refused_by_name() -> None:
    def broken() -> Sequence[SectorSpec]:
        raise KeyError("boom")

    with pytest.raises(PluginError) as caught:
        load(("broken", plugin(ledger_sectors=broken)))
    assert caught.value.plugin == "broken"
    assert "ledger_sectors" in caught.value.message_en
    assert "KeyError" in caught.value.message_zh


@pytest.mark.parametrize(
    "result",
    [
        "mining",
        None,
        {"code": "mining"},
        [SectorSpec("mining", "矿山", "Mining", "部门", "dept"), "extra"],
    ],
)
def test_a_plugin_returning_the_wrong_type_is_refused(result: object) -> None:
    with pytest.raises(PluginError, match="must return") as caught:
        load(("wrong", plugin(ledger_sectors=lambda: result)))
    assert caught.value.plugin == "wrong"
    assert "钩子 ledger_sectors" in caught.value.message_zh


def test_a_plugin_claiming_a_built_in_sector_code_is_refused() -> None:
    with pytest.raises(PluginError) as caught:
        load(("impostor", plugin(ledger_sectors=sector("fire"))), builtins=["fire"])
    assert caught.value.plugin == "impostor"
    assert "already registered by plugin fire" in caught.value.message_en


def test_a_plugin_claiming_a_bad_sector_code_is_refused() -> None:
    with pytest.raises(PluginError, match="sector code"):
        load(("odd", plugin(ledger_sectors=sector("Mining Sector"))))


def test_a_misspelt_hook_fails_at_start_up() -> None:
    with pytest.raises(PluginError) as caught:
        load(("typo", plugin(ledger_sectors=sector(), ledger_validat=lambda command: ())))
    assert caught.value.plugin == "typo"
    assert "ledger_validat" in caught.value.message_en


def test_a_hook_with_wrong_arguments_is_refused() -> None:
    with pytest.raises(PluginError, match="does not match the spec"):
        load(("args", plugin(ledger_sectors=sector(), ledger_validate=lambda cmd, extra: ())))


def test_a_plugin_name_used_twice_is_refused() -> None:
    with pytest.raises(PluginError, match="already taken"):
        load(("fire", plugin(ledger_sectors=sector())), builtins=["fire"])


def test_catalogues_and_columns_only_for_own_sectors() -> None:
    from plugins.builtin.catalogues.fire import FIRE_2017

    with pytest.raises(PluginError, match="did not register"):
        load(("thief", plugin(ledger_sectors=sector(), ledger_catalogues=lambda: (FIRE_2017,))))


def test_only_loads_the_named_plugins_and_refuses_unknown_names() -> None:
    sectors = Sectors.load(only=["fire"], load_entry_points=False)
    assert list(sectors.specs) == ["fire"]
    with pytest.raises(PluginError, match="not installed"):
        Sectors.load(only=["fire", "no_such_plugin"], load_entry_points=False)


# ---- at command time ------------------------------------------------------------------


@pytest.fixture
def mining_ledger(store_url: str, clock: FakeClock) -> Iterator[tuple[HazardLedger, list[Any]]]:
    """A ledger whose only extra sector is 'mining', judged by a swappable function."""
    behaviour: list[Any] = [lambda command: ()]
    spec = SectorSpec(
        "mining",
        "矿山",
        "Mining",
        "矿山安全监管部门",
        "Mine safety authority",
        details=(DetailField("shaft", "井筒编号", "shaft number", example="1"),),
    )
    sectors = load(
        (
            "mining",
            plugin(
                ledger_sectors=lambda: (spec,),
                ledger_validate=lambda command: behaviour[0](command),
            ),
        ),
        builtins=["city_gas"],
    )
    app = HazardLedger(store_url, clock=clock, sectors=sectors)
    register_restaurant(app, clock.advance(minutes=1))
    yield app, behaviour
    app.close()


def report(app: HazardLedger, clock: FakeClock, **details: Any) -> Any:
    return app.report_hazard(
        INSPECTOR,
        clock.advance(minutes=1),
        enterprise_code=RESTAURANT_CODE,
        sector="mining",
        location="井下",
        description="通风设施失效",
        source="routine_inspection",
        details=details,
    )


def head(app: HazardLedger) -> int:
    return app.recorder.max_notification_id() or 0


def test_a_plugin_that_raises_on_a_command_refuses_it_and_records_nothing(
    mining_ledger: tuple[HazardLedger, list[Any]], clock: FakeClock
) -> None:
    app, behaviour = mining_ledger

    def explode(command: Command) -> Sequence[Violation]:
        raise RuntimeError("database of shafts unavailable")

    behaviour[0] = explode
    before = head(app)
    with pytest.raises(PluginError) as caught:
        report(app, clock, shaft="1")
    assert caught.value.plugin == "mining"
    assert "RuntimeError" in caught.value.message_en
    assert head(app) == before


def test_a_plugin_returning_garbage_on_a_command_records_nothing(
    mining_ledger: tuple[HazardLedger, list[Any]], clock: FakeClock
) -> None:
    app, behaviour = mining_ledger
    behaviour[0] = lambda command: ["not a violation"]
    before = head(app)
    with pytest.raises(PluginError, match="must return Violation"):
        report(app, clock, shaft="1")
    assert head(app) == before


def test_plugin_violations_reach_the_caller_intact(
    mining_ledger: tuple[HazardLedger, list[Any]], clock: FakeClock
) -> None:
    from ledger.errors import RuleViolated

    app, behaviour = mining_ledger
    mine_rule = Violation("SHAFT_CLOSED", "details.shaft", "井筒已封闭", "the shaft is sealed")
    behaviour[0] = lambda command: (mine_rule,)
    before = head(app)
    with pytest.raises(RuleViolated) as caught:
        report(app, clock, shaft="1")
    assert caught.value.violations == (mine_rule,)
    assert head(app) == before


def test_a_plugin_is_only_asked_about_its_own_sectors(
    mining_ledger: tuple[HazardLedger, list[Any]], clock: FakeClock
) -> None:
    app, behaviour = mining_ledger
    seen: list[str] = []

    def refuse_everything(command: Command, sector: str) -> Sequence[Violation]:
        seen.append(sector)
        return (Violation("NO", "sector", "一律拒绝", "refuses everything"),)

    behaviour[0] = refuse_everything
    app.report_hazard(
        INSPECTOR,
        clock.advance(minutes=1),
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        location="后厨",
        description="燃气软管老化",
        source="routine_inspection",
        details={"premises": "restaurant", "leak_alarm_installed": True},
    )
    assert seen == []


def test_an_unregistered_sector_is_refused_for_new_records(
    mining_ledger: tuple[HazardLedger, list[Any]], clock: FakeClock
) -> None:
    from ledger.errors import RuleViolated

    app, _ = mining_ledger
    before = head(app)
    with pytest.raises(RuleViolated) as caught:
        app.report_hazard(
            INSPECTOR,
            clock.advance(minutes=1),
            enterprise_code=RESTAURANT_CODE,
            sector="fishing",
            location="码头",
            description="救生衣缺失",
            source="routine_inspection",
        )
    (violation,) = caught.value.violations
    assert (violation.rule, violation.field) == ("SECTOR_UNKNOWN", "sector")
    assert "mining" in violation.message_en and "未登记" in violation.message_zh
    assert head(app) == before
