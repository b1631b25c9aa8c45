"""Posts per township: who held the government-leader duty of 城关镇 on day D, across
hand-overs, without 甘沟镇's appointment replacing it; the review names the township's
and the county's leaders; a township official's scope acts only inside the township."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.errors import NotFound, RuleViolated
from ledger.identity import Actor, Role
from ledger.responsibility import Duty
from ledger.scope import Scope
from projections.reads import Reads
from tests.conftest import FakeClock
from tests.support import GOVERNMENT, INSPECTOR

CST = timezone(timedelta(hours=8))
COUNTY, CHENGGUAN, GANGOU = "620826", "620826100", "620826107"
FACTORY = make_credit_code("91620826MA71TWNF0")
MILL = make_credit_code("91620826MA71TWNG0")

COUNTY_LEADER = Person("leader-county", "赵县长")
FIRST = Person("leader-cg-1", "钱镇长")
SECOND = Person("leader-cg-2", "孙镇长")
GANGOU_LEADER = Person("leader-gg-1", "李镇长")


def d(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=CST)


def _leader(ledger: HazardLedger, at: datetime, region: str, holder: Person) -> None:
    ledger.assign_responsibility(
        GOVERNMENT,
        at,
        duty=Duty.GOVERNMENT_LEADER,
        region_code=region,
        organisation=f"{region}人民政府",
        title="分管安全生产负责人",
        holder=holder,
    )


def _history(ledger: HazardLedger, clock: FakeClock) -> None:
    def at(when: datetime) -> datetime:
        clock.now = when + timedelta(minutes=10)
        return when

    for code, region, name in (
        (FACTORY, CHENGGUAN, "城关镇某家具厂"),
        (MILL, GANGOU, "甘沟镇某面粉厂"),
    ):
        ledger.register_enterprise(
            INSPECTOR,
            at(d(1, 5)),
            credit_code=code,
            name=name,
            region_code=region,
            sectors=["fire"],
            principal=Person(f"pp-{code}", "负责人"),
        )
    _leader(ledger, at(d(1, 6)), COUNTY, COUNTY_LEADER)
    _leader(ledger, at(d(1, 6, 10)), CHENGGUAN, FIRST)
    _leader(ledger, at(d(2, 1)), GANGOU, GANGOU_LEADER)  # after 城关镇's: replaces nothing
    _leader(ledger, at(d(4, 10)), CHENGGUAN, SECOND)  # the hand-over
    clock.now = d(6, 1)


@pytest.fixture
def history(ledger: HazardLedger, clock: FakeClock) -> HazardLedger:
    _history(ledger, clock)
    return ledger


@pytest.mark.parametrize(
    ("day", "holder"),
    [
        (d(1, 6, 9), None),
        (d(1, 20), FIRST),
        (d(4, 10, 8), FIRST),
        (d(4, 10), SECOND),
        (d(5, 1), SECOND),
    ],
)
def test_who_held_the_townships_duty_on_day_d(
    history: HazardLedger, day: datetime, holder: Person | None
) -> None:
    post = history.post(Duty.GOVERNMENT_LEADER, CHENGGUAN)
    assert post.holder_on(day) == holder
    assert history.post(Duty.GOVERNMENT_LEADER, GANGOU).holder_on(d(5, 1)) == GANGOU_LEADER
    assert history.post(Duty.GOVERNMENT_LEADER, COUNTY).holder_on(d(5, 1)) == COUNTY_LEADER


@pytest.mark.parametrize(("day", "township_leader"), [(d(3, 1), FIRST), (d(5, 1, 14), SECOND)])
def test_the_review_names_the_townships_and_the_countys_leader(
    history: HazardLedger, day: datetime, township_leader: Person
) -> None:
    report = Reads(history).review(FACTORY, day, scope=Scope.everything())
    leaders = {
        link["region_code"]: link["holder"]["name"]
        for link in report["responsibility_chain"]
        if link["link"] == "government_leader"
    }
    assert leaders == {CHENGGUAN: township_leader.name, COUNTY: COUNTY_LEADER.name}
    other = Reads(history).review(MILL, day, scope=Scope.everything())
    assert {
        link["region_code"]: link["holder"]["name"]
        for link in other["responsibility_chain"]
        if link["link"] == "government_leader"
    } == {GANGOU: GANGOU_LEADER.name, COUNTY: COUNTY_LEADER.name}


def test_an_unknown_township_is_refused_by_name_and_records_nothing(
    history: HazardLedger,
) -> None:
    before = history.recorder.max_notification_id()
    with pytest.raises(RuleViolated) as refused:
        _leader(history, d(5, 30), "620826199", COUNTY_LEADER)
    (violation,) = refused.value.violations
    assert (violation.rule, violation.field) == ("REGION_TOWNSHIP_UNKNOWN", "region_code")
    assert "620826199" in violation.message_zh and "620826199" in violation.message_en
    with pytest.raises(RuleViolated) as refused:
        history.register_enterprise(
            INSPECTOR,
            d(5, 30),
            credit_code=make_credit_code("91620826MA71TWNH0"),
            name="某企业",
            region_code="620826100999",
            sectors=["fire"],
            principal=Person("p-x", "某人"),
        )
    assert [v.rule for v in refused.value.violations] == ["REGION_VILLAGE_UNKNOWN"]
    assert history.recorder.max_notification_id() == before


def test_a_township_officials_scope_acts_inside_the_township_only(
    history: HazardLedger,
) -> None:
    official = Actor("insp-cg", "城关镇安监员", Role.INSPECTOR, "城关镇人民政府")
    township = Scope(region_prefix=CHENGGUAN)

    def inspect(code: str) -> object:
        return history.execute(
            c.RecordInspection(
                occurred_at=d(5, 30),
                enterprise_code=code,
                sector="fire",
                inspection_type="grid_patrol",
                team=("城关镇安监员",),
            ),
            official,
            township,
        )

    assert inspect(FACTORY)
    before = history.recorder.max_notification_id()
    with pytest.raises(NotFound):  # 甘沟镇's mill does not exist for 城关镇
        inspect(MILL)
    assert history.recorder.max_notification_id() == before
    reads = Reads(history)
    assert reads.enterprise(FACTORY, scope=township)["credit_code"] == FACTORY
    with pytest.raises(NotFound):
        reads.enterprise(MILL, scope=township)
    with pytest.raises(NotFound):
        reads.review(MILL, d(5, 1), scope=Scope(region_prefix=CHENGGUAN))
