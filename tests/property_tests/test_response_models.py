"""Every read answers what its OpenAPI document says: each GET route of the generated
history's requests (every route of ``READ_ROUTES``, on both stores, as an official who
sees everything and as an enterprise) is validated against the model the route
documents for 200, whose fields are all declared (``extra="forbid"``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api_tests.documented import check_answer, documented_models

from .harness import World
from .requests import requests_for
from .routes import READ_ROUTES

#: The same answers the property tests compare, from the viewers that see most.
VIEWERS = ("admin", "gov_6208", "ent_restaurant")
#: Routes the generated history answers with no JSON: text or CSV, or, without a
#: signing key, no checkpoint (tests/api_tests/test_response_models.py has a key).
NOT_JSON_HERE = (
    "/checkpoint",
    "/register/export",
    "/checkpoints/latest",
    "/hazards/{case_id}/bundle",
)
SYSTEM_ROUTES = ("/me", "/plugins", "/snapshots", "/labels", "/health", "/users")


@pytest.mark.parametrize("route", sorted(READ_ROUTES))
def test_read_answers_fit_their_documented_model(world: World, route: str) -> None:
    served = world.served
    models = documented_models(served.app)
    checked = 0
    for request in requests_for(route, world.history)[:24]:
        for who in VIEWERS:
            response = served.get(who, request.path, **request.params)
            if response.status_code != 200:
                continue
            if not response.headers["content-type"].startswith("application/json"):
                continue
            check_answer(models, route, response.json())
            checked += 1
    if route not in NOT_JSON_HERE:
        assert checked, f"no JSON answer of GET {route} was checked"


@pytest.mark.parametrize("route", SYSTEM_ROUTES)
def test_system_answers_fit_their_documented_model(world: World, route: str) -> None:
    served = world.served
    models = documented_models(served.app)
    for who in VIEWERS:
        response = served.get(who, route)
        if response.status_code == 200:
            body: Any = response.json()
            check_answer(models, route, body)
