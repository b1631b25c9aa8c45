"""A hazard recorded in a province appears in the national register, fed from the
province's log into the national store; the national answers keep the viewer's scope.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import psycopg
import pytest

from api.composition import Ledger, load_configured_sectors, read_models
from api.federation import NationalFeed, NationalStore, Province
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.scope import Scope
from projections.queries import ReadModelMissing
from tests.conftest import FakeClock, postgres_dsn
from tests.support import INSPECTOR, RESTAURANT_CODE, register_restaurant

pytestmark = pytest.mark.postgres

SHENZHEN_WORKSHOP = make_credit_code("92440305MA5DQ7RX1")


def register_workshop(app: Ledger, clock: FakeClock) -> str:
    app.ledger.register_enterprise(
        INSPECTOR,
        clock.now,
        credit_code=SHENZHEN_WORKSHOP,
        name="深圳市南山区某某五金加工厂",
        region_code="440305",
        sectors=["city_gas"],
        principal=Person("p-044", "赵六"),
    )
    return SHENZHEN_WORKSHOP


def report_case(app: HazardLedger, at: datetime, code: str = RESTAURANT_CODE) -> UUID:
    """A gas hazard as the city-gas sector plugin wants it stated (the premises)."""
    return app.report_hazard(
        INSPECTOR,
        at,
        enterprise_code=code,
        sector="city_gas",
        location="后厨",
        description="燃气软管穿墙敷设，未安装可燃气体泄漏报警装置",
        source="grid_patrol",
        details={"premises": "restaurant", "leak_alarm_installed": False},
    )


def national_case_ids(national: NationalStore, scope: Scope) -> set[str]:
    page = national.reads().register(scope=scope, limit=100)
    return {str(item["case_id"]) for item in page.items}


def test_a_hazard_recorded_in_a_province_appears_in_the_national_register(
    provinces: dict[str, Ledger], feed: NationalFeed, national: NationalStore, clock: FakeClock
) -> None:
    gansu, guangdong = provinces["62"].ledger, provinces["44"]
    register_restaurant(gansu, clock.now)
    in_gansu = report_case(gansu, clock.now)
    in_guangdong = report_case(guangdong.ledger, clock.now, register_workshop(guangdong, clock))

    figures = {f.province: f for f in feed.feed_once()}

    assert national_case_ids(national, Scope.everything()) == {str(in_gansu), str(in_guangdong)}
    assert figures["62"].events > 0 and figures["62"].lag_events == 0
    assert [s["lag_events"] for s in national.sources()] == [0, 0]
    # A provincial official's national view is still their province.
    assert national_case_ids(national, Scope(region_prefix="44")) == {str(in_guangdong)}

    clock.advance(days=1)
    later = report_case(gansu, clock.now)
    assert str(later) not in national_case_ids(national, Scope.everything())
    figures = {f.province: f for f in feed.feed_once()}
    assert str(later) in national_case_ids(national, Scope(region_prefix="62"))
    assert figures["44"].events == 0 and figures["62"].events > 0
    count = national.reads().register_count(scope=Scope.everything())
    assert count == 3


def test_national_rankings_count_every_province(
    provinces: dict[str, Ledger], feed: NationalFeed, national: NationalStore, clock: FakeClock
) -> None:
    gansu, guangdong = provinces["62"], provinces["44"]
    register_restaurant(gansu.ledger, clock.now)
    report_case(gansu.ledger, clock.now)
    report_case(gansu.ledger, clock.now + timedelta(minutes=1))
    report_case(guangdong.ledger, clock.now, register_workshop(guangdong, clock))
    feed.feed_once()

    month = clock.now.strftime("%Y-%m")
    ranking = national.reads().rankings(None, month, scope=Scope.everything())
    found = {row["unit"]: row["hazards_found"] for row in ranking}
    assert found == {"620826": 2, "440305": 1}  # the counties of both provinces, ranked together


def test_the_feed_writes_nothing_to_the_provinces(
    provinces: dict[str, Ledger],
    province_urls: dict[str, str],
    feed: NationalFeed,
    run_prefix: str,
    clock: FakeClock,
) -> None:
    """The provincial store is only read: its read models stay the province's own."""
    register_restaurant(provinces["62"].ledger, clock.now)
    report_case(provinces["62"].ledger, clock.now)
    feed.feed_once()
    dsn = postgres_dsn()
    assert dsn is not None
    with psycopg.connect(dsn) as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name = 'projection_tracking'",
            (f"{run_prefix}ledger_62",),
        ).fetchall()
    assert tables == []


def test_a_province_that_cannot_be_read_does_not_stop_the_others(
    provinces: dict[str, Ledger],
    province_urls: dict[str, str],
    national: NationalStore,
    clock: FakeClock,
) -> None:
    register_restaurant(provinces["62"].ledger, clock.now)
    case = report_case(provinces["62"].ledger, clock.now)
    down = Province("44", "postgresql://postgres@127.0.0.1:1/ledger?schema=prov_44")
    models = read_models(load_configured_sectors())
    feed = NationalFeed(national, [down, Province("62", province_urls["62"])], models)
    try:
        figures = {f.province: f for f in feed.feed_once()}
    finally:
        feed.close()
    assert figures["44"].error and figures["44"].events == 0
    assert figures["62"].error is None
    assert national_case_ids(national, Scope.everything()) == {str(case)}


def test_the_nation_never_answers_from_a_mix_of_model_versions(
    provinces: dict[str, Ledger], feed: NationalFeed, national: NationalStore, clock: FakeClock
) -> None:
    """A province left at another version of a model (its replica was down while the
    others were rebuilt), whose tables have another shape, is kept out of the views (a
    UNION of both shapes cannot even be created) and the model is missing nationally
    until it is current, not half answered."""
    register_restaurant(provinces["62"].ledger, clock.now)
    report_case(provinces["62"].ledger, clock.now)
    feed.feed_once()
    assert national.reads().register_count(scope=Scope.everything()) == 1
    dsn = postgres_dsn()
    assert dsn is not None
    national.drop_views(feed.projections)  # as the feed does while models are rebuilt
    stale = national.schema_of("44")
    with psycopg.connect(dsn, autocommit=True) as conn:  # its tables of another shape
        conn.execute(
            f'UPDATE "{stale}".projection_tracking '
            "SET version = version - 1 WHERE name = 'hazard_register'"
        )
        conn.execute(f'ALTER TABLE "{stale}".hazard_register DROP COLUMN grade')
    national.refresh_views(["62", "44"], feed.projections)
    with pytest.raises(ReadModelMissing):
        national.reads().register_count(scope=Scope.everything())
