"""A role that may not perform a read is refused 403 whatever its parameters: the
permission is decided before the query is validated (``api.security.permitted``), so a
422 never tells such a user how a route it may not use wants to be called."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.identity import Role
from ledger.permissions import READ_STATISTICS, REVIEW, allowed
from tests.property_tests.routes import READ_ROUTES

from .conftest import USERS, Api

#: Reads decided by a named action of the permission table, with that action.
GUARDED: dict[str, str] = {
    "/reports/monthly": READ_STATISTICS,
    "/statistics/trend": READ_STATISTICS,
    "/rankings": READ_STATISTICS,
    "/measures": READ_STATISTICS,
    "/snapshots": READ_STATISTICS,
    "/review": REVIEW,
    **{path: READ_STATISTICS for path in READ_ROUTES if path.startswith("/reports/campaign/")},
}
#: Read-model routes every role reads, each within its own scope.
SCOPED_ONLY = {
    "/register",
    "/register/count",
    "/register/export",
    "/risk-points",
    "/public-reports",
    "/inspections",
}
REFUSED_ROLES = sorted(
    who for who, user in USERS.items() if not allowed(user.role, READ_STATISTICS)
)
GARBAGE = st.one_of(
    st.text(max_size=12), st.sampled_from(["", "2026-13", "9999-99", "-1", "by", "x" * 300])
)


def test_every_read_model_route_is_either_guarded_or_scoped_only() -> None:
    read_models = {path for path, spec in READ_ROUTES.items() if spec.read_model}
    assert read_models - set(GUARDED) <= SCOPED_ONLY, "a new read: guarded or scoped only?"
    assert REFUSED_ROLES == ["enterprise", "other_enterprise"]
    assert all(not allowed(Role.ENTERPRISE, action) for action in GUARDED.values())


def _parameters(api: Api, path: str) -> list[str]:
    operation: dict[str, Any] = api.client.get("/openapi.json").json()["paths"][path]["get"]
    return [p["name"] for p in operation.get("parameters", ()) if p["in"] == "query"]


@pytest.mark.parametrize("path", sorted(GUARDED))
def test_a_role_without_the_permission_gets_403_whatever_the_parameters(
    api: Api, path: str
) -> None:
    names = _parameters(api, path)
    assert names or path == "/snapshots", path

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        who=st.sampled_from(REFUSED_ROLES),
        params=st.dictionaries(st.sampled_from(names or ["x"]), GARBAGE),
    )
    def refused(who: str, params: dict[str, str]) -> None:
        r = api.client.get(path, params=params, headers=api.headers(who))
        assert r.status_code == 403, f"GET {path} {params} as {who}: {r.status_code} {r.text}"

    refused()


@pytest.mark.parametrize("path", ["/rankings", "/reports/monthly"])
def test_a_permitted_role_still_gets_the_parameters_judged(api: Api, path: str) -> None:
    r = api.client.get(path, params={"month": "2026-13x"}, headers=api.headers("auditor"))
    assert r.status_code == 422, r.text
