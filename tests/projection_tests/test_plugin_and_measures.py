"""A plugin's read model, adapted from a plain spec; and the institutional measures list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

import pytest

from ledger.application import HazardLedger
from ledger.errors import RuleViolated
from ledger.read_model_spec import ReadModelSpec
from ledger.scope import Scope
from projections.queries import ReadModels
from projections.registry import all_projections
from tests.conftest import FakeClock
from tests.support import GOVERNMENT, INSPECTOR, register_restaurant, report_case

from .helpers import HistoryWriter, dump, follower, random_ops

EVERYTHING = Scope.everything()


def gas_without_alarm(
    event: Mapping[str, Any], current: Callable[[Any], dict[str, Any] | None]
) -> Iterable[Any]:
    """Restaurants' open gas hazards recorded with no leak alarm (a plugin's own model)."""
    if event["type"] == "HazardCase.Reported":
        if event["sector"] == "city_gas" and event["details"].get("leak_alarm_installed") is False:
            yield (
                "upsert",
                {
                    "case_id": event["aggregate_id"],
                    "enterprise_code": event["enterprise_code"],
                    "open": 1,
                },
            )
    elif event["type"] in ("HazardCase.Closed", "HazardCase.RectifiedOnSpot") and current(
        (event["aggregate_id"],)
    ):
        yield ("delete", (event["aggregate_id"],))


SPEC = ReadModelSpec(
    name="gas_without_alarm",
    version=1,
    columns=(("case_id", "TEXT"), ("enterprise_code", "TEXT"), ("open", "INTEGER")),
    key=("case_id",),
    fold=gas_without_alarm,
)


def test_plugin_read_model_follows_and_rebuilds_like_the_others(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    first = report_case(ledger, clock.now)
    second = report_case(ledger, clock.now)
    ledger.grade_hazard(INSPECTOR, clock.now, first, grade="general")
    f = follower(ledger, batch_size=2, projections=all_projections([SPEC]))
    f.catch_up()
    ledger.rectify_on_spot(INSPECTOR, clock.now, first, measures="更换金属管")
    writer = HistoryWriter(ledger, clock)
    for op in random_ops(5, 80):
        writer.play(op)
    f.catch_up()
    followed = dump(f)
    rows = followed["plugin_gas_without_alarm"]
    assert [r[0] for r in rows] == [str(second)]
    f.rebuild(["gas_without_alarm"])
    assert dump(f) == followed
    f.close()


def test_duplicate_read_model_names_are_refused() -> None:
    clash = ReadModelSpec(
        name="hazard_register",
        version=1,
        columns=(("k", "TEXT"),),
        key=("k",),
        fold=lambda e, c: (),
    )
    with pytest.raises(ValueError, match="hazard_register"):
        all_projections([clash])


def test_measures_list_with_derived_overdue(ledger: HazardLedger, clock: FakeClock) -> None:
    due = clock.now + timedelta(days=30)
    m1 = ledger.add_measure(
        GOVERNMENT,
        clock.now,
        title="建立燃气安全联合检查制度",
        category="institutional_measure",
        owner_department="县住建局",
        region_code="620826",
        due=due,
        timetable="3月制定，4月实施",
    )
    m2 = ledger.add_measure(
        GOVERNMENT,
        clock.now,
        title="餐饮场所燃气报警器安装",
        category="campaign_task",
        owner_department="县市场监管局",
        region_code="620802",
        due=due + timedelta(days=30),
        timetable="分两批完成",
    )
    clock.advance(days=1)
    ledger.report_measure_progress(GOVERNMENT, clock.now, m1, note="已起草")
    ledger.complete_measure(GOVERNMENT, clock.now, m2, summary="全部安装")
    f = follower(ledger)
    f.catch_up()
    f.close()
    models = ReadModels(ledger.store)
    rows = {
        r["measure_id"]: r
        for r in models.measures(valid_at=due + timedelta(days=1), scope=EVERYTHING)
    }
    assert rows[str(m1)]["status"] == "in_progress" and rows[str(m1)]["overdue"] is True
    assert rows[str(m2)]["status"] == "completed" and rows[str(m2)]["overdue"] is False
    assert [r["measure_id"] for r in models.measures("620826", scope=EVERYTHING)] == [str(m1)]
    models.close()


def test_bad_measures_are_refused_naming_the_field(ledger: HazardLedger, clock: FakeClock) -> None:
    with pytest.raises(RuleViolated) as refused:
        ledger.add_measure(
            GOVERNMENT,
            clock.now,
            title=" ",
            category="wish",
            owner_department="",
            region_code="6208",
            due=clock.now,
            timetable="",
        )
    fields = {v.field for v in refused.value.violations}
    assert fields == {"title", "category", "owner_department", "region_code", "due", "timetable"}
    assert all(v.message_zh and v.message_en for v in refused.value.violations)
    m = ledger.add_measure(
        GOVERNMENT,
        clock.now,
        title="制度",
        category="campaign_task",
        owner_department="县安委办",
        region_code="620826",
        due=clock.now + timedelta(days=1),
        timetable="一周内",
    )
    ledger.complete_measure(GOVERNMENT, clock.now, m, summary="完成")
    version = len(ledger.history(m))
    with pytest.raises(RuleViolated, match="MEASURE_ALREADY_COMPLETED"):
        ledger.report_measure_progress(GOVERNMENT, clock.now, m, note="再报")
    assert len(ledger.history(m)) == version  # nothing recorded


def test_plugin_folds_see_events_under_their_plain_names(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    from ledger.views import plain
    from projections.follower import PlainEvent

    register_restaurant(ledger, clock.now)
    case_id = report_case(ledger, clock.now)
    reported = ledger.history(case_id)[0]
    seen = PlainEvent(reported, 7)
    assert seen["type"] == "HazardCase.Reported"
    assert seen["aggregate_id"] == str(case_id) and seen["version"] == 1
    assert seen["position"] == 7
    assert seen["occurred_at"] == reported.occurred_at.isoformat()
    assert seen["details"] == plain(reported.details)
    for hidden in ("originator_id", "originator_version", "no_such_field"):
        with pytest.raises(KeyError):
            seen[hidden]
    assert "aggregate_id" in set(seen) and "originator_id" not in set(seen)
    assert len(seen) == len(set(seen))
