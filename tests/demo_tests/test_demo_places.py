"""The demo county looks like 静宁县: enterprises in every one of its 25 townships, and
each hazard found where that kind of enterprise has such a place."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.utils import get_topic

from api.demo.generator import CountyYear
from ledger.application import HazardLedger
from ledger.division_lists import TOWNSHIPS
from ledger.enterprise import Enterprise
from ledger.hazard import HazardCase

#: Places an enterprise of a kind does not have (its name ends with the kind).
IMPLAUSIBLE = {
    "燃气公司门站": {"后厨", "储瓶间"},
    "液化气站": {"后厨", "调压箱"},
    "电梯使用单位": {"锅炉", "起重机"},
    "锅炉房": {"电梯", "起重机"},
    "起重机械使用单位": {"电梯", "锅炉"},
    "加油站": {"控制室"},
    "网吧": {"仓库"},
}
#: What a city-gas enterprise of a kind is, as its hazards' 场所类型 says.
GAS_PREMISES = {
    "餐馆": "restaurant",
    "火锅店": "restaurant",
    "液化气站": "cylinder_outlet",
    "燃气公司门站": "station",
}


def _events(ledger: HazardLedger, cls: Any) -> Iterator[Any]:
    for n in ledger.recorder.select_notifications(None, 100_000, topics=[get_topic(cls)]):
        yield ledger.mapper.to_domain_event(n)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HazardLedger]:
    path: Path = tmp_path_factory.mktemp("places") / "county.db"
    moment = [datetime(2026, 1, 1, tzinfo=UTC)]
    ledger = HazardLedger(str(path), clock=lambda: moment[0])
    CountyYear(
        ledger,
        lambda t: moment.__setitem__(0, t),
        hazards=600,
        until=datetime(2026, 8, 1, tzinfo=UTC),
    ).run()
    yield ledger
    ledger.close()


def test_enterprises_sit_in_every_township(county: HazardLedger) -> None:
    regions = {e.region_code for e in _events(county, Enterprise.Registered)}
    assert regions == {code for code in TOWNSHIPS if code.startswith("620826")}


def test_hazards_are_found_where_the_enterprise_has_such_a_place(county: HazardLedger) -> None:
    names = {e.credit_code: e.name for e in _events(county, Enterprise.Registered)}
    seen = 0
    for report in _events(county, HazardCase.Reported):
        name = names[report.enterprise_code]
        for kind, places in IMPLAUSIBLE.items():
            if name.endswith(kind):
                seen += 1
                assert report.location not in places, (name, report.location)
        for kind, premises in GAS_PREMISES.items():
            if name.endswith(kind) and report.sector == "city_gas":
                assert report.details["premises"] == premises, (name, report.details)
    assert seen > 20
