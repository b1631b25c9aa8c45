"""The national store answers for a province exactly as the province answers itself:
the same register rows, the same county ranking, the same campaign table, when the
national question is narrowed to the province's prefix."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from api.composition import Ledger
from api.federation import NationalFeed, NationalStore
from ledger.scope import Scope
from projections.campaign import Period
from projections.reads import Reads
from tests.conftest import FakeClock
from tests.support import INSPECTOR, register_restaurant

from .test_national_register import register_workshop, report_case

pytestmark = pytest.mark.postgres


def test_each_province_gets_the_same_answers_from_the_nation(
    provinces: dict[str, Ledger], feed: NationalFeed, national: NationalStore, clock: FakeClock
) -> None:
    gansu, guangdong = provinces["62"], provinces["44"]
    register_restaurant(gansu.ledger, clock.now)
    workshop = register_workshop(guangdong, clock)
    for i in range(7):
        report_case(gansu.ledger, clock.now - timedelta(minutes=i))
        if i % 2:
            case = report_case(guangdong.ledger, clock.now - timedelta(minutes=i), workshop)
            guangdong.ledger.grade_hazard(
                INSPECTOR, clock.now - timedelta(minutes=i), case, grade="general"
            )
    feed.feed_once()
    nation = national.reads(gansu.sectors)
    month = clock.now.strftime("%Y-%m")
    period = Period(date(clock.now.year, 1, 1), date(clock.now.year + 1, 1, 1))
    for code, province in provinces.items():
        follower = province.follower()
        try:
            follower.catch_up()
        finally:
            follower.close()
        own = Reads(province.ledger)
        everything, narrowed = Scope.everything(), Scope(region_prefix=code)
        at = clock.now
        assert (
            nation.register(scope=narrowed, valid_at=at, limit=100).items
            == own.register(scope=everything, valid_at=at, limit=100).items
        )
        assert nation.rankings(None, month, scope=narrowed, valid_at=at) == own.rankings(
            None, month, scope=everything, valid_at=at
        )
        assert nation.campaign(
            "sources", code, period, scope=narrowed, valid_at=at
        ) == own.campaign("sources", code, period, scope=everything, valid_at=at)
