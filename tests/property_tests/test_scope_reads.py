"""Scope: every read route, for every role × scope, shows nothing outside the viewer's
jurisdiction, pages are full after filtering, cursors reveal nothing, and an id outside
the scope is answered exactly like an id nobody ever used.

Expectations come from ``world.Facts`` (what the script recorded) and ``world.sees`` (the
scope rule written out here), never from the code under test.
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from typing import Any
from uuid import UUID, uuid5

import orjson
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from api.users import User
from ledger.codes import make_credit_code
from ledger.identity import Role

from .harness import World, answer, masked
from .requests import MONTHS, REGIONS, Request, requests_for
from .routes import READ_ROUTES
from .world import (
    NAMESPACE,
    SECTORS,
    VIEWERS,
    Facts,
    actor,
    day_of,
    month_of,
    sees,
    sees_enterprise,
    sees_placed,
)

pytestmark = pytest.mark.filterwarnings(
    # hypothesis measures the repr of the session fixtures when it reports an example
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PICK = st.integers(0, 10_000)
ANY_VIEWER = st.sampled_from(sorted(VIEWERS))

ID_ROUTES = sorted(path for path, spec in READ_ROUTES.items() if spec.names)
LIST_ROUTES = sorted(path for path, spec in READ_ROUTES.items() if not spec.names)

#: Ids nobody ever used, one per kind (fixed, so that failures replay).
RANDOM_UUID = str(uuid5(NAMESPACE, "never/used"))
RANDOM_CODE = make_credit_code("91620826MA79RNDM0")


def leaks(body: Any, viewer: User, facts: Facts) -> list[str]:
    """Ids of cases, actions, inspections and enterprises in ``body`` that ``viewer``
    may not see (searched in the whole serialised body, in any field)."""
    text = orjson.dumps(body).decode() if not isinstance(body, str) else body
    out = []
    for things in (facts.cases, facts.actions, facts.inspections):
        for thing_id, thing in things.items():
            if not sees_placed(viewer, thing) and (str(thing_id) in text or thing_id.hex in text):
                out.append(f"{thing_id} ({thing.region}/{thing.sector}/{thing.enterprise})")
    for code, fact in facts.enterprises.items():
        if not sees_enterprise(viewer, fact) and code in text:
            out.append(f"enterprise {code} ({fact.region})")
    return out


def kind_of(route: str) -> str:
    return READ_ROUTES[route].names


def _id_in(request: Request) -> str:
    if request.route == "/review":
        return str(request.params["enterprise"])
    return request.path.split("/")[2]


def _visible(viewer: User, facts: Facts, kind: str, thing: str) -> bool:
    if kind == "enterprise":
        return sees_enterprise(viewer, facts.enterprises[thing])
    table = {"case": facts.cases, "inspection": facts.inspections, "action": facts.actions}
    return sees_placed(viewer, table[kind][UUID(thing)])


@pytest.mark.parametrize("route", ID_ROUTES)
@settings(SETTINGS, max_examples=80)  # cheap reads; the viewer × id space is ~100
@given(viewer=ANY_VIEWER, pick=PICK)
def test_an_out_of_scope_id_is_answered_like_a_random_one(
    world: World, route: str, viewer: str, pick: int
) -> None:
    choices = requests_for(route, world.history)
    request = choices[pick % len(choices)]
    thing = _id_in(request)
    user = VIEWERS[viewer]
    real = answer(world.served.get(viewer, request.path, **request.params))
    if _visible(user, world.facts, kind_of(route), thing):
        assert not leaks(real[1], user, world.facts), (
            f"{request} as {viewer} shows out-of-scope ids: {leaks(real[1], user, world.facts)}"
        )
        return
    fake = RANDOM_CODE if kind_of(route) == "enterprise" else RANDOM_UUID
    path = request.path.replace(thing, fake)
    params = {k: (fake if v == thing else v) for k, v in request.params.items()}
    random = answer(world.served.get(viewer, path, **params))
    assert masked(real, {thing: "<id>"}) == masked(random, {fake: "<id>"}), (
        f"{request} as {viewer}: out of scope answers {real[0]} {str(real[1])[:160]}, "
        f"a random id answers {random[0]} {str(random[1])[:160]}"
    )


@pytest.mark.parametrize("route", LIST_ROUTES)
@SETTINGS
@given(viewer=ANY_VIEWER, pick=PICK)
def test_lists_and_figures_show_nothing_out_of_scope(
    world: World, route: str, viewer: str, pick: int
) -> None:
    choices = requests_for(route, world.history)
    request = choices[pick % len(choices)]
    user = VIEWERS[viewer]
    status, body = answer(world.served.get(viewer, request.path, **request.params))
    found = leaks(body, user, world.facts)
    assert not found, f"{request} as {viewer} answers {status} with out-of-scope ids: {found}"
    if status != 200:
        return
    if route == "/reports/monthly":
        check_monthly(world.facts, user, request, body)
    elif route == "/statistics/trend":
        check_trend(world.facts, user, request, body)
    elif route == "/rankings":
        check_rankings(world.facts, user, request, body)
    elif route == "/reports/campaign/sources":
        check_campaign_sources(world.facts, user, request, body)
    elif route == "/inspections":
        check_inspections(world.facts, user, request, body)
    elif route == "/measures":
        for item in body["items"]:
            assert str(item["region_code"]).startswith(user.region_prefix), (
                f"{request} as {viewer}: measure of region {item['region_code']}"
            )


def check_inspections(facts: Facts, user: User, request: Request, body: Any) -> None:
    """Exactly the inspections of those days the viewer sees (and, when asked, that
    inspector recorded): none missing, none extra."""
    first = request.params["date"]
    last = request.params.get("to") or first
    inspector = request.params.get("inspector")
    expected = {
        str(i.id)
        for i in facts.inspections.values()
        if sees_placed(user, i)
        and first <= day_of(i.occurred_at) <= last
        and (inspector is None or actor("inspector", i.region).id == inspector)
    }
    shown = [row["inspection_id"] for row in body]
    assert len(shown) == len(set(shown)) and set(shown) == expected, (
        f"{request} as {user.username}: shows {sorted(shown)}, expected {sorted(expected)}"
    )


def _narrowed(user: User, asked: str | None) -> tuple[str, str]:
    return user.region_prefix, asked or ""


def found_in(facts: Facts, user: User, asked: str | None, month: str) -> Counter[str]:
    """Hazards found in ``month`` per sector that ``user`` may count, in ``asked``."""
    mine, wanted = _narrowed(user, asked)
    return Counter(
        c.sector
        for c in facts.cases.values()
        if sees_placed(user, c)
        and c.region.startswith(mine)
        and c.region.startswith(wanted)
        and month_of(c.occurred_at) == month
    )


def check_monthly(facts: Facts, user: User, request: Request, body: dict[str, Any]) -> None:
    expected = found_in(facts, user, request.params.get("region"), request.params["month"])
    shown = {row["sector"]: row["hazards_found"] for row in body["sectors"]}
    outside = sorted(s for s in shown if user.sectors and s not in user.sectors)
    assert not outside, f"{request} as {user.username}: sectors {outside} shown"
    for sector, count in shown.items():
        assert count == expected.get(sector, 0), (
            f"{request} as {user.username}: {sector} hazards_found {count}, in scope "
            f"{expected.get(sector, 0)}"
        )
    for key in ("total", "totals"):
        total = body.get(key)
        if total is not None:
            assert total["hazards_found"] == sum(expected.values()), (
                f"{request} as {user.username}: {key}.hazards_found "
                f"{total['hazards_found']}, in scope {sum(expected.values())}"
            )


CAMPAIGN_MONTHS = {"2026-03": ("2026-03",), "2026-Q2": ("2026-04", "2026-05", "2026-06")}


def check_campaign_sources(
    facts: Facts, user: User, request: Request, body: dict[str, Any]
) -> None:
    """The campaign's hazards per sector are those in scope found in the period, and the
    cumulative ones those found from 1 March (``since``) to the period's end."""
    region = request.params.get("region")
    months = CAMPAIGN_MONTHS[request.params["period"]]
    expected: Counter[str] = Counter()
    for month in months:
        expected += found_in(facts, user, region, month)
    since: Counter[str] = Counter()
    for month in dict.fromkeys(("2026-03", *months)):
        since += found_in(facts, user, region, month)
    for shown, wanted, what in (
        (body["rows"], expected, "period"),
        (body["cumulative"]["rows"], since, "cumulative"),
    ):
        got = {row["sector"]: row["hazards_found"] for row in shown}
        assert got == dict(wanted), f"{request} as {user.username}: {what} {got}, in scope {wanted}"
    assert body["total"]["hazards_found"] == sum(expected.values())


def check_trend(facts: Facts, user: User, request: Request, body: dict[str, Any]) -> None:
    for row in body["months"]:
        expected = sum(found_in(facts, user, request.params.get("region"), row["month"]).values())
        assert row["hazards_found"] == expected, (
            f"{request} as {user.username}: {row['month']} hazards_found "
            f"{row['hazards_found']}, in scope {expected}"
        )


def check_rankings(facts: Facts, user: User, request: Request, body: dict[str, Any]) -> None:
    expected = sum(
        found_in(facts, user, request.params.get("region"), request.params["month"]).values()
    )
    counted = sum(int(row.get("hazards_found", 0)) for row in body["rows"])
    assert counted <= expected, (
        f"{request} as {user.username}: rows count {counted} hazards found, in scope {expected}"
    )
    if request.params.get("by") in ("region", "township"):
        for row in body["rows"]:
            assert str(row["unit"]).startswith(user.region_prefix), (
                f"{request} as {user.username}: region {row['unit']} ranked"
            )


def _cursor_texts(cursor: str) -> list[str]:
    texts = [cursor]
    for candidate in (cursor, cursor + "=" * (-len(cursor) % 4)):
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                texts.append(decode(candidate).decode("utf-8", "replace"))
            except (binascii.Error, ValueError):
                continue
    return texts


REGISTER = given(
    viewer=ANY_VIEWER,
    sector=st.sampled_from((None, *SECTORS)),
    region=st.sampled_from(REGIONS),
    limit=st.integers(1, 4),
)


def walk_register(
    world: World, viewer: str, sector: str | None, region: str | None, limit: int
) -> tuple[str, set[str], list[tuple[list[str], str | None]]]:
    """Every page of the register (items, next cursor), and the in-scope cases."""
    user = VIEWERS[viewer]
    facts = world.facts
    mine, wanted = _narrowed(user, region)
    expected = {
        str(c.id)
        for c in facts.cases.values()
        if sees_placed(user, c)
        and c.region.startswith(mine)
        and c.region.startswith(wanted)
        and (sector is None or c.sector == sector)
    }
    where = f"/register?sector={sector}&region={region}&limit={limit} as {viewer}"
    pages: list[tuple[list[str], str | None]] = []
    cursor: str | None = None
    for _ in range(len(facts.cases) + 2):
        r = world.served.get(
            viewer, "/register", sector=sector, region=region, limit=limit, cursor=cursor
        )
        assert r.status_code == 200, f"{where}: {r.status_code} {r.text[:200]}"
        page = r.json()
        cursor = page.get("next_cursor")
        pages.append(([str(item["case_id"]) for item in page["items"]], cursor))
        if not cursor:
            break
    return where, expected, pages


@SETTINGS
@REGISTER
def test_register_pages_are_full_after_filtering(
    world: World, viewer: str, sector: str | None, region: str | None, limit: int
) -> None:
    where, expected, pages = walk_register(world, viewer, sector, region, limit)
    seen: list[str] = []
    for number, (ids, _) in enumerate(pages):
        remaining = len(expected - set(seen))
        assert len(ids) == min(limit, remaining), (
            f"{where}: page {number} has {len(ids)} items, {min(limit, remaining)} in scope remain"
        )
        seen += ids
    assert sorted(seen) == sorted(expected), (
        f"{where}: walked {len(seen)} cases, {len(expected)} in scope "
        f"(missing {sorted(expected - set(seen))[:3]}, extra {sorted(set(seen) - expected)[:3]})"
    )


@SETTINGS
@REGISTER
def test_register_pages_and_cursors_reveal_nothing_out_of_scope(
    world: World, viewer: str, sector: str | None, region: str | None, limit: int
) -> None:
    where, _, pages = walk_register(world, viewer, sector, region, limit)
    user = VIEWERS[viewer]
    for number, (ids, cursor) in enumerate(pages):
        assert not leaks(ids, user, world.facts), f"{where}: page {number} shows {ids}"
        if cursor:
            hidden = [
                str(c.id)
                for c in world.facts.cases.values()
                if not sees_placed(user, c)
                and any(str(c.id) in t or c.id.hex in t for t in _cursor_texts(cursor))
            ]
            assert not hidden, f"{where}: page {number}'s cursor names out-of-scope {hidden}"


def test_every_official_sees_some_figures(world: World) -> None:
    """The figures checks above would pass vacuously on empty answers: make sure the
    officials' reports are not empty where their scope has hazards."""
    for key in ("gov_6208", "auditor_62", "admin"):
        r = world.served.get(key, "/reports/monthly", month=MONTHS[0], region="62")
        if r.status_code == 200:
            break
    assert r.status_code == 200, r.text
    assert any(row["hazards_found"] for row in r.json()["sectors"]), r.text
    enterprise_user = VIEWERS["ent_factory"]
    assert enterprise_user.role is Role.ENTERPRISE
    assert sees(
        enterprise_user, region="620826", sector="fire", enterprise=enterprise_user.enterprise_code
    )
