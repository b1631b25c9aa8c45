"""The service against its own OpenAPI document: no server error, no schema breach.

schemathesis generates requests (valid and invalid) for every operation from the
document the app publishes, sends them with a valid token, and checks every response:
never a 5xx, and status, content type and body as documented.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import Settings, create_app
from api.users import User
from ledger.application import HazardLedger
from ledger.identity import Role
from tests.conftest import FakeClock

from .conftest import RESTAURANT


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    from datetime import UTC, datetime

    clock = FakeClock(datetime(2026, 3, 3, 9, tzinfo=UTC))
    path = Path(tmp_path_factory.mktemp("fuzz")) / "ledger.db"
    ledger = HazardLedger(str(path), clock=clock)
    app = create_app(Settings(store=str(path), clock=clock), ledger=ledger)
    token = app.state.services.users.add(
        User("fuzz-insp", "模糊测试", Role.INSPECTOR, "县局", "620826"), now=clock.now
    )
    from ledger.enterprise import Person
    from ledger.identity import Actor

    ledger.register_enterprise(
        Actor("setup", "初始化", Role.ADMIN),
        clock.now,
        credit_code=RESTAURANT,
        name="餐馆",
        region_code="620826",
        sectors=["city_gas"],
        principal=Person("p", "负责人"),
    )
    from projections.follower import Follower
    from projections.registry import all_projections

    follower = Follower(ledger, all_projections())  # a serving process keeps these current
    follower.catch_up()
    follower.close()
    yield app, token
    ledger.close()


def test_no_server_errors_and_responses_match_schema(fuzz_target: tuple[Any, str]) -> None:
    app, token = fuzz_target
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20  # every route is in the document

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            # Schema-valid requests may still break a domain rule (a 422 problem that
            # records nothing), so "positive data acceptance" is not a property here.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()
