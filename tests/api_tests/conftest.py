"""An API client on a fresh ledger (both stores) with one user per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import Settings, create_app
from api.users import User
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.identity import Role
from plugins import Sectors
from tests.conftest import FakeClock

COUNTY = "620826"
OTHER_COUNTY = "620825"
RESTAURANT = make_credit_code("92620826MA71RKTA0")
FACTORY = make_credit_code("91620826MA72FCTY0")
FAR_AWAY = make_credit_code("91620825MA73FARA0")

USERS = {
    "inspector": User("insp", "张建国", Role.INSPECTOR, "城关镇", COUNTY),
    "department": User(
        "dept", "李明", Role.DEPARTMENT, "县住建局", COUNTY, frozenset({"city_gas"})
    ),
    "department2": User("dept2", "周强", Role.DEPARTMENT, "县住建局", COUNTY),
    "government": User("gov", "陈芳", Role.GOVERNMENT, "县安委办", COUNTY),
    "auditor": User("aud", "孙审", Role.AUDITOR, "市纪委监委", "6208"),
    "admin": User("admin", "管理员", Role.ADMIN, "信息中心", ""),
    "enterprise": User("ent", "王五", Role.ENTERPRISE, "", COUNTY, frozenset(), RESTAURANT),
    "other_enterprise": User("ent2", "赵六", Role.ENTERPRISE, "", COUNTY, frozenset(), FACTORY),
    "far_inspector": User("insp2", "吴远", Role.INSPECTOR, "庄浪县", OTHER_COUNTY),
}


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]
    clock: FakeClock
    ledger: HazardLedger

    def headers(self, who: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}", **extra}

    def post(self, who: str, path: str, body: dict[str, Any], **headers: str) -> Any:
        return self.client.post(path, json=body, headers=self.headers(who, **headers))

    def get(self, who: str, path: str, **headers: str) -> Any:
        return self.client.get(path, headers=self.headers(who, **headers))

    def now(self, **delta: float) -> str:
        return (self.clock.now + timedelta(**delta)).isoformat()


@pytest.fixture
def api(store_url: str, clock: FakeClock) -> Iterator[Api]:
    ledger = HazardLedger(store_url, clock=clock, sectors=Sectors.load(load_entry_points=False))
    app = create_app(Settings(store=store_url, clock=clock), ledger=ledger)
    with TestClient(app) as client:
        users = app.state.services.users
        tokens = {key: users.add(user, now=clock.now) for key, user in USERS.items()}
        api = Api(client, tokens, clock, ledger)
        for code, name, region, sectors in (
            (RESTAURANT, "城关镇某餐馆", COUNTY, ["city_gas"]),
            (FACTORY, "某家具厂", COUNTY, ["fire", "city_gas"]),
            (FAR_AWAY, "庄浪县某厂", OTHER_COUNTY, ["city_gas"]),
        ):
            r = api.post(
                "admin",
                "/enterprises",
                {
                    "occurred_at": api.now(),
                    "credit_code": code,
                    "name": name,
                    "region_code": region,
                    "sectors": sectors,
                    "principal": {"id": f"p-{code[-4:]}", "name": "负责人"},
                },
            )
            assert r.status_code == 201, r.text
        yield api
    ledger.close()


def hazard_body(api: Api, code: str = RESTAURANT, source: str = "grid_patrol") -> dict[str, Any]:
    return {
        "occurred_at": api.now(),
        "enterprise_code": code,
        "sector": "city_gas",
        "location": "后厨",
        "description": "燃气软管穿墙敷设",
        "source": source,
        "details": {"premises": "restaurant", "leak_alarm_installed": False},
    }


def report(api: Api, who: str = "inspector", code: str = RESTAURANT) -> str:
    r = api.post(who, "/hazards", hazard_body(api, code))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])
