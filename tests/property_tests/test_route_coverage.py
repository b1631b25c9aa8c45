"""No route escapes the properties: every GET and POST of the application is in the
property tables (or exempt with a reason), and the tables name no route that is gone."""

from __future__ import annotations

from api.app import Settings, create_app

from .routes import EXEMPT, READ_ROUTES, WRITE_ROUTES, app_routes


def test_every_route_is_in_a_property_table() -> None:
    app = create_app(Settings(store=None, follow=False))
    found = set(app_routes(app.routes))
    known = {("GET", p) for p in READ_ROUTES} | {("POST", p) for p in WRITE_ROUTES} | set(EXEMPT)
    unlisted = sorted(found - known)
    assert not unlisted, (
        "routes in no property table (add each to READ_ROUTES, WRITE_ROUTES or, with a "
        f"reason, EXEMPT in tests/property_tests/routes.py): {unlisted}"
    )


def test_the_tables_name_only_routes_that_exist() -> None:
    app = create_app(Settings(store=None, follow=False))
    found = set(app_routes(app.routes))
    tabled = {("GET", p) for p in READ_ROUTES} | {("POST", p) for p in WRITE_ROUTES}
    gone = sorted(tabled - found)
    assert not gone, f"property tables name routes the application no longer has: {gone}"


def test_the_walker_sees_included_routers() -> None:
    """The walker must find routes inside included routers, or the guard proves nothing."""
    app = create_app(Settings(store=None, follow=False))
    found = set(app_routes(app.routes))
    assert ("GET", "/hazards/{case_id}") in found
    assert ("POST", "/hazards/{case_id}/grade") in found
    assert len(found) > 30
