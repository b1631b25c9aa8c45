"""The review over HTTP: the scenario 4 report, its formats, and who may run it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import Settings, create_app
from api.users import User
from ledger.application import HazardLedger
from ledger.identity import Role

from ..conftest import FakeClock
from . import scenario
from .scenario import FACTORY_CODE

USERS = {
    "auditor": User("aud", "孙审", Role.AUDITOR, "市纪委监委", "6208"),
    "far_auditor": User("aud2", "吴远", Role.AUDITOR, "庄浪县纪委监委", "620825"),
    "enterprise": User("ent", "赵德胜", Role.ENTERPRISE, "", "620826", frozenset(), FACTORY_CODE),
}


@pytest.fixture
def client(store_url: str, clock: FakeClock) -> Iterator[tuple[TestClient, dict[str, str]]]:
    ledger = HazardLedger(store_url, clock=clock)
    scenario.build(ledger, clock)
    app = create_app(Settings(store=store_url, clock=clock), ledger=ledger)
    with TestClient(app) as c:
        users = app.state.services.users
        tokens = {k: users.add(u, now=clock.now) for k, u in USERS.items()}
        yield c, tokens
    ledger.close()


def get(client: tuple[TestClient, dict[str, str]], who: str, **params: str):  # type: ignore[no-untyped-def]
    c, tokens = client
    query = {"enterprise": FACTORY_CODE, "incident_at": "2026-05-01T14:00:00+00:00", **params}
    return c.get("/review", params=query, headers={"Authorization": f"Bearer {tokens[who]}"})


def test_auditor_gets_the_report_in_each_format(client) -> None:  # type: ignore[no-untyped-def]
    r = get(client, "auditor")
    assert r.status_code == 200, r.text
    assert {f["rule"] for f in r.json()["findings"]} == {
        "AUD-SELF-VERIFY",
        "AUD-RECORDED-AFTER-INCIDENT",
    }
    html = get(client, "auditor", format="html", lang="en")
    assert html.headers["content-type"].startswith("text/html")
    assert "closed it on 2026-04-27" in html.text
    md = get(client, "auditor", format="md")
    assert "事故责任倒查报告" in md.text


def test_outside_the_jurisdiction_or_as_the_enterprise(client) -> None:  # type: ignore[no-untyped-def]
    assert get(client, "far_auditor").status_code == 404
    assert get(client, "enterprise").status_code == 403


def test_incident_time_needs_a_zone(client) -> None:  # type: ignore[no-untyped-def]
    r = get(client, "auditor", incident_at="2026-05-01T14:00:00")
    assert r.status_code == 422
