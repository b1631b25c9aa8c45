"""The service against its own OpenAPI document: no server error, no schema breach.

schemathesis generates requests (valid and invalid) for every operation from the
document the app publishes and sends them with a valid token. The fuzz regression set
for issue 18 (``test_no_server_error_on_any_route``) sends them as a writer and as a
reader of statistics and holds every route to one property, never a 5xx, reporting every
route that breaks it at once; the conformance test checks status, content type and body
as documented. Both are bounded (a few dozen examples per route) to stay fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import Settings, create_app
from api.problems import MEDIA_TYPE
from api.users import User
from ledger.application import HazardLedger
from ledger.identity import Role
from tests.conftest import FakeClock

from .conftest import RESTAURANT


@pytest.fixture(scope="module")
def fuzz_target(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Any, dict[str, str]]]:
    from datetime import UTC, datetime

    clock = FakeClock(datetime(2026, 3, 3, 9, tzinfo=UTC))
    path = Path(tmp_path_factory.mktemp("fuzz")) / "ledger.db"
    ledger = HazardLedger(str(path), clock=clock)
    app = create_app(Settings(store=str(path), clock=clock), ledger=ledger)
    users = app.state.services.users
    tokens = {
        "inspector": users.add(
            User("fuzz-insp", "模糊测试", Role.INSPECTOR, "县局", "620826"), now=clock.now
        ),
        "government": users.add(
            User("fuzz-gov", "模糊统计", Role.GOVERNMENT, "县安委办", "620826"), now=clock.now
        ),
    }
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
    yield app, tokens
    ledger.close()


def _run(operation: Any, headers: dict[str, str], examples: int, checks: dict[str, Any]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, **checks)

    check()


def _fuzz(app: Any, tokens: dict[str, str], examples: int, **checks: Any) -> list[str]:
    """Fuzz every operation as every user in ``tokens``; the failures, one line each."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [cast(Any, result).ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20  # every route is in the document
    failures: list[str] = []
    for operation in operations:
        for who, token in tokens.items():
            try:
                _run(operation, {"Authorization": f"Bearer {token}"}, examples, checks)
            # schemathesis raises its failures as a BaseExceptionGroup; every route's
            # failure is reported, not only the first.
            except (Exception, BaseExceptionGroup) as failure:
                first = str(failure).strip().splitlines()[:12]
                failures.append(f"{operation.label} as {who}: " + " | ".join(first))
    return failures


def no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """Never a 5xx, except a 503 problem: a state the service names and documents (a
    read model being built, no trusted key configured), not a failure of the request."""
    if response.status_code == 503 and response.headers.get("content-type") == [MEDIA_TYPE]:
        return None
    return not_a_server_error(ctx, response, case)


def test_no_server_error_on_any_route(fuzz_target: tuple[Any, dict[str, str]]) -> None:
    app, tokens = fuzz_target
    failures = _fuzz(app, tokens, examples=20, checks=[no_server_error])
    assert failures == [], "\n".join(failures)


def test_responses_match_schema(fuzz_target: tuple[Any, dict[str, str]]) -> None:
    # Schema-valid requests may still break a domain rule (a 422 problem that records
    # nothing), so "positive data acceptance" is not a property here.
    app, tokens = fuzz_target
    failures = _fuzz(
        app,
        {"inspector": tokens["inspector"]},
        examples=20,
        checks=[no_server_error],
        excluded_checks=[positive_data_acceptance, not_a_server_error],
    )
    assert failures == [], "\n".join(failures)
