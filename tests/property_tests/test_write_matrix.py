"""Writes: for every POST route and every id (or scope-deciding value) its path or body
names, for every role × scope, a value outside the writer's scope is refused exactly like
an id nobody ever used (same status, same body) and records nothing; and on every command
route a stale ``If-Match`` is refused as a conflict and records nothing.

Runs on ``write_world``, a second copy of the history, so that a wrongly accepted command
cannot disturb the read properties.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from api.users import User

from .harness import World, answer, masked
from .routes import WRITE_ROUTES
from .test_scope_reads import RANDOM_CODE, RANDOM_UUID
from .world import (
    ANDING,
    FACTORY,
    JINGNING,
    SECTORS,
    VIEWERS,
    Facts,
    fixed_id,
    sees,
    sees_enterprise,
    sees_placed,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

SLOTS = sorted((route, slot) for route, spec in WRITE_ROUTES.items() for slot in spec.slots)
RANDOM_REGION = "659001"


def body_for(route: str, world: World) -> dict[str, Any]:
    """A body the route would accept for an in-scope target (scope aside)."""
    now = world.served.clock.now
    at = (now - timedelta(hours=1)).isoformat()
    later = (now + timedelta(days=20)).isoformat()
    person = {"id": "p-matrix", "name": "测试负责人"}
    bodies: dict[str, dict[str, Any]] = {
        "/enterprises": {
            "credit_code": "91620826MA7MTRX00",
            "name": "矩阵测试企业",
            "region_code": JINGNING,
            "sectors": ["fire"],
            "principal": person,
        },
        "/enterprises/{credit_code}/principal": {"principal": person},
        "/responsibilities": {
            "duty": "department_official",
            "region_code": JINGNING,
            "sector": "fire",
            "organisation": "县消防救援大队",
            "title": "分管负责人",
            "holder": person,
        },
        "/inspections": {
            "enterprise_code": FACTORY,
            "sector": "fire",
            "inspection_type": "routine",
            "team": ["张建国"],
        },
        "/hazards": {
            "enterprise_code": FACTORY,
            "sector": "fire",
            "location": "仓库",
            "description": "电气线路私拉乱接",
            "source": "grid_patrol",
        },
        "/hazards/{case_id}/grade": {"grade": "general"},
        "/hazards/{case_id}/rectify-on-spot": {"measures": "当场整改"},
        "/hazards/{case_id}/assign": {
            "department": "主管部门",
            "deadline": later,
            "requirements": "限期整改",
        },
        "/hazards/{case_id}/plan": {
            "plan": {
                "goal_and_tasks": "消除隐患",
                "methods_and_measures": "整改",
                "funds_and_materials": "自筹",
                "organisation_and_people": "负责人牵头",
                "time_limit_and_requirements": "期限内完成",
                "safety_and_emergency": "专人值守",
            }
        },
        "/hazards/{case_id}/interim-controls": {"controls": "设置警戒"},
        "/hazards/{case_id}/extend": {
            "new_deadline": later,
            "reason": "设备到货延迟",
            "approver": "县住建局",
        },
        "/hazards/{case_id}/list": {"level": "county", "authority": "县安委办"},
        "/hazards/{case_id}/delist": {},
        "/hazards/{case_id}/escalate": {"level": "city", "reason": "逾期未改"},
        "/hazards/{case_id}/rectification": {
            "measures": "已整改",
            "completed_at": at,
        },
        "/hazards/{case_id}/assessment": {"summary": "评估合格"},
        "/hazards/{case_id}/verify": {"accepted": True, "opinion": "合格"},
        "/hazards/{case_id}/close": {},
        "/hazards/{case_id}/reopen": {"reason": "复现"},
        "/hazards/{case_id}/dismiss": {"reason": "现场核查为传感器误报"},
        "/enforcement": {
            "kind": "warning_letter",
            "document_number": "矩阵〔2026〕001号",
            "enterprise_code": FACTORY,
            "sector": "fire",
            "department": "县消防救援大队",
            "legal_basis": "《中华人民共和国安全生产法》",
        },
        "/enforcement/{action_id}/execute": {"note": "已执行"},
        "/enforcement/{action_id}/lift": {"reason": "整改合格"},
        "/enforcement/{action_id}/revoke": {"reason": "撤销"},
        "/enforcement/{action_id}/observed-activity": {"description": "被责令停用的设备仍在运行"},
        "/accidents": {
            "enterprise_code": FACTORY,
            "sector": "fire",
            "place": "成品仓库",
            "description": "仓库起火",
            "deaths": 1,
            "direct_loss": "1200000.00",
        },
    }
    return {"occurred_at": at, **bodies[route]}


def _fill(route: str, value: str) -> str:
    return route.replace(route[route.index("{") : route.index("}") + 1], value)


def _hidden(user: User, facts: Facts, slot: str) -> list[str]:
    """Values for ``slot`` that exist but lie outside ``user``'s scope."""
    name = slot.split(":", 1)[1]
    if name in ("case_id", "case_ids"):
        return [str(i) for i, c in facts.cases.items() if not sees_placed(user, c)]
    if name == "inspection_id":
        return [str(i) for i, c in facts.inspections.items() if not sees_placed(user, c)]
    if name == "action_id":
        return [str(i) for i, c in facts.actions.items() if not sees_placed(user, c)]
    if name in ("credit_code", "enterprise_code"):
        return [c for c, e in facts.enterprises.items() if not sees_enterprise(user, e)]
    if name == "region_code":
        return [r for r in (JINGNING, ANDING, "620825") if not r.startswith(user.region_prefix)]
    return []


def _in_scope_target(user: User, facts: Facts) -> tuple[str, str] | None:
    """An enterprise and one of its sectors the user may act on, for the other fields."""
    for code, e in sorted(facts.enterprises.items()):
        for sector in e.sectors:
            if sees(user, region=e.region, sector=sector, enterprise=code):
                return code, sector
    return None


def _request(route: str, slot: str, value: str, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    where, name = slot.split(":", 1)
    if where == "path":
        return _fill(route, value), body
    if name == "case_ids":
        return route, {**body, name: [value]}
    return route, {**body, name: value}


@pytest.mark.parametrize(("route", "slot"), [s for s in SLOTS if "sector" not in s[1]])
@SETTINGS
@given(viewer=st.sampled_from(sorted(VIEWERS)), pick=st.integers(0, 10_000))
def test_an_out_of_scope_id_is_refused_like_a_random_one_and_records_nothing(
    write_world: World, route: str, slot: str, viewer: str, pick: int
) -> None:
    world = write_world
    user = VIEWERS[viewer]
    hidden = _hidden(user, world.facts, slot)
    assume(hidden)
    value = hidden[pick % len(hidden)]
    body = body_for(route, world)
    if "enterprise_code" in body and slot != "body:enterprise_code":
        target = _in_scope_target(user, world.facts)
        assume(target is not None)
        assert target is not None
        body["enterprise_code"], body["sector"] = target
    if slot == "body:region_code" and "sector" in body and user.sectors:
        body["sector"] = sorted(user.sectors)[0]
    if slot == "body:region_code" and "sectors" in body and user.sectors:
        body["sectors"] = sorted(user.sectors)
    fake = {
        "body:enterprise_code": RANDOM_CODE,
        "path:credit_code": RANDOM_CODE,
        "body:region_code": RANDOM_REGION,
    }.get(slot, RANDOM_UUID)
    before = world.served.event_count()
    path, real_body = _request(route, slot, value, body)
    real = answer(world.served.post(viewer, path, real_body))
    recorded = world.served.event_count() - before
    fake_path, fake_body = _request(route, slot, fake, body)
    random = answer(world.served.post(viewer, fake_path, fake_body))
    where = f"POST {route} {slot}={value} as {viewer}"
    assert recorded == 0, f"{where}: accepted ({real[0]}), recorded {recorded} events"
    assert world.served.event_count() == before, f"{where}: the random id recorded events"
    assert masked(real, {value: "<id>"}) == masked(random, {fake: "<id>"}), (
        f"{where}: answers {real[0]} {str(real[1])[:160]}; a random id answers "
        f"{random[0]} {str(random[1])[:160]}"
    )


@pytest.mark.parametrize(("route", "slot"), [s for s in SLOTS if "sector" in s[1]])
@SETTINGS
@given(viewer=st.sampled_from(sorted(VIEWERS)), pick=st.integers(0, 10_000))
def test_a_sector_outside_the_writers_scope_is_refused_and_records_nothing(
    write_world: World, route: str, slot: str, viewer: str, pick: int
) -> None:
    """A body naming an enterprise the writer sees, in a sector the writer does not."""
    world = write_world
    user = VIEWERS[viewer]
    assume(bool(user.sectors))
    outside = [s for s in SECTORS if s not in user.sectors]
    sector = outside[pick % len(outside)]
    body = body_for(route, world)
    if "enterprise_code" in body:
        shared = [
            code
            for code, e in sorted(world.facts.enterprises.items())
            if sector in e.sectors and sees_enterprise(user, e)
        ]
        assume(shared)
        body["enterprise_code"] = shared[0]
    if "region_code" in body:
        body["region_code"] = user.region_prefix.ljust(6, "0")[:6] or JINGNING
    if slot == "body:sectors":
        body["sectors"] = [sector]
    else:
        body["sector"] = sector
    before = world.served.event_count()
    status, _ = answer(world.served.post(viewer, route, body))
    recorded = world.served.event_count() - before
    assert recorded == 0 and status >= 400, (
        f"POST {route} {slot}={sector} ({body.get('enterprise_code') or body.get('region_code')})"
        f" as {viewer}: answered {status}, recorded {recorded} events"
    )


#: For each command route on an existing aggregate: the target and a writer whose role
#: may issue the command and whose scope holds the target (the open chemicals case of the
#: two-sector factory, the factory itself, the executed penalty).
OPEN_CASE = str(fixed_id("case", "家具厂混存"))
PENALTY = str(fixed_id("action", "家具厂罚款"))
WRITERS = {
    "grade": "insp_jingning",
    "rectify-on-spot": "insp_jingning",
    "assign": "insp_jingning",
    "verify": "insp_jingning",
    "plan": "ent_factory",
    "interim-controls": "ent_factory",
    "rectification": "ent_factory",
    "assessment": "ent_factory",
    "extend": "gov_6208",
    "list": "gov_6208",
    "delist": "gov_6208",
    "escalate": "gov_6208",
    "reopen": "gov_6208",
    "dismiss": "insp_jingning",
    "close": "dept_chem_62",
    "principal": "gov_6208",
    "execute": "insp_jingning",
    "lift": "gov_6208",
    "revoke": "gov_6208",
    "observed-activity": "insp_jingning",
}
VERSIONED = sorted(route for route, spec in WRITE_ROUTES.items() if spec.versioned)


@pytest.mark.parametrize("route", VERSIONED)
def test_a_stale_if_match_is_refused_on_every_command_route(write_world: World, route: str) -> None:
    world = write_world
    target = (
        FACTORY if "{credit_code}" in route else PENALTY if "{action_id}" in route else OPEN_CASE
    )
    writer = WRITERS[route.rsplit("/", 1)[1]]
    path = _fill(route, target)
    current = _version(world, writer, route, target)
    assert current > 1, f"{path}: the target should have moved past version 1"
    before = world.served.event_count()
    r = world.served.post(writer, path, body_for(route, world), **{"If-Match": f'"{current - 1}"'})
    recorded = world.served.event_count() - before
    assert recorded == 0 and r.status_code in (409, 412), (
        f'POST {path} as {writer} with If-Match "{current - 1}" (current {current}): '
        f"answered {r.status_code} {r.text[:160]}, recorded {recorded} events"
    )


def _version(world: World, viewer: str, route: str, target: str) -> int:
    if "{credit_code}" in route:
        return int(world.served.ledger.enterprise(target).version)
    if "{action_id}" in route:
        return int(world.served.ledger.action(UUID(target)).version)
    return int(world.served.ledger.case(UUID(target)).version)
