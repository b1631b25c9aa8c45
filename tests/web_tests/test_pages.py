"""End to end in Chromium: sign in, read a case, see late entries, travel in time."""

from __future__ import annotations

from typing import Any

from .conftest import Site, screenshot, sign_in


def test_sign_in_rejects_a_bad_token(page: Any, site: Site) -> None:
    page.goto(site.url + "/")
    page.fill("#token", "hl_not-a-token")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#login-error:visible")
    assert "无效" in page.inner_text("#login-error")
    screenshot(page, "login")


def test_case_timeline_with_late_entry_highlighted(page: Any, site: Site) -> None:
    sign_in(page, site)
    page.goto(f"{site.url}/#/case/{site.late_case_id}")
    page.wait_for_selector("[data-testid=event]")
    event = page.locator("[data-testid=event]").first
    assert event.get_attribute("data-late") == "true"
    assert "补录" in page.inner_text("[data-testid=late-flag]")
    assert "纸质记录补录" in page.inner_text("[data-testid=timeline]")
    screenshot(page, "case-late-entry")

    page.goto(f"{site.url}/#/case/{site.case_id}")
    page.wait_for_selector("[data-testid=event] >> nth=2")
    assert page.locator("[data-testid=event]").count() == 3
    assert page.get_attribute("[data-testid=case-status]", "data-status") == "assigned"
    assert "FIRE-5.2-c" in page.inner_text("[data-testid=case-state]")
    screenshot(page, "case")


def test_as_of_switch_shows_the_ledger_as_it_was_known(page: Any, site: Site) -> None:
    sign_in(page, site)
    page.goto(f"{site.url}/#/case/{site.case_id}")
    page.wait_for_selector("[data-testid=event] >> nth=2")
    # One hour after the report (09:00 UTC), before the grading was recorded (11:00 UTC);
    # the page runs in Beijing time, UTC+8.
    page.fill("#asof", "2026-02-20T18:00")
    page.dispatch_event("#asof", "change")
    page.wait_for_selector("[data-testid=asof-banner]:visible")
    page.wait_for_function("document.querySelectorAll('[data-testid=event]').length === 1")
    assert page.get_attribute("[data-testid=case-status]", "data-status") == "reported"
    screenshot(page, "case-as-of")
    page.click("#asof-clear")
    page.wait_for_function("document.querySelectorAll('[data-testid=event]').length === 3")


def test_english_switch(page: Any, site: Site) -> None:
    sign_in(page, site)
    page.goto(f"{site.url}/#/case/{site.late_case_id}")
    page.wait_for_selector("[data-testid=late-flag]")
    page.click("#lang")
    page.wait_for_selector("[data-testid=late-flag]:has-text('Late entry')")
    assert "Hazard case" in page.inner_text("h1")


def test_outside_scope_looks_like_not_found(page: Any, site: Site) -> None:
    sign_in(page, site)
    page.goto(f"{site.url}/#/case/00000000-0000-0000-0000-000000000000")
    page.wait_for_selector("[data-testid=not-found]")


def test_proofs_shown_and_bundle_downloaded(page: Any, site: Site, tmp_path: Any) -> None:
    from ledger.integrity.bundle import verify_bundle

    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/case/{site.case_id}")
    page.wait_for_selector("[data-testid=proof].ok >> nth=2")
    assert "已证明" in page.inner_text("[data-testid=proof] >> nth=0")
    with page.expect_download() as info:
        page.click("[data-testid=bundle]")
    target = tmp_path / "bundle.json"
    info.value.save_as(target)
    outcome = verify_bundle(target.read_bytes())
    assert outcome.ok and outcome.events == 3


def test_accountability_review_on_screen(page: Any, site: Site) -> None:
    from .conftest import FACTORY

    sign_in(page, site, site.auditor_token)
    # The incident: 10 days after the hazard was assigned (Beijing time in the page).
    page.goto(f"{site.url}/#/review?enterprise={FACTORY}&incident_at=2026-03-05T14:00")
    frame = page.frame_locator("[data-testid=review-frame]")
    body = frame.locator("body")
    body.wait_for()
    text = body.inner_text()
    assert "静宁县某家具厂" in text
    assert "FIRE-5.2-c" in text
    screenshot(page, "review")


def test_find_a_case_in_the_register_and_open_it(page: Any, site: Site) -> None:
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/register?q=&sector=fire")
    page.wait_for_selector("[data-testid=register] tbody tr")
    rows = page.locator("[data-testid=register] tbody tr")
    assert rows.count() == 2
    screenshot(page, "register")
    page.click(f"[data-testid=register] a[href='#/case/{site.late_case_id}']")
    page.wait_for_selector("[data-testid=late-flag]")
    assert page.url.endswith(f"#/case/{site.late_case_id}")


def test_dashboard_shows_figures_and_ranking(page: Any, site: Site) -> None:
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/dashboard?month=2026-02&region=620826")
    page.wait_for_selector("[data-testid=kpis] .kpi")
    assert page.locator("[data-testid=kpis] .kpi b").first.inner_text() == "2"
    page.wait_for_selector("#trend canvas, #trend .u-wrap")
    screenshot(page, "dashboard")


def test_plugins_page_lists_sectors_and_catalogues(page: Any, site: Site) -> None:
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/plugins")
    page.wait_for_selector("[data-testid=sector]")
    cards = page.locator("[data-testid=sector]")
    assert cards.count() >= 5
    text = page.locator("#pl").inner_text()
    for expected in ("特种设备", "GB 45067-2024", "建质规〔2024〕5号", "GB 35181-2017"):
        assert expected in text
    screenshot(page, "plugins")


def test_register_as_of_builds_a_snapshot_on_request(page: Any, site: Site) -> None:
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/register?q=&sector=fire")
    page.wait_for_selector("[data-testid=register] tbody tr")
    assert page.locator("[data-testid=register] tbody tr").count() == 2
    # Before the late entry was recorded (2026-03-03 10:00 UTC), only the first case was known.
    page.fill("#asof", "2026-02-25T12:00")
    page.dispatch_event("#asof", "change")
    page.wait_for_selector("[data-testid=build-snapshot]")
    screenshot(page, "register-snapshot-missing")
    page.click("[data-testid=build-snapshot]")
    page.wait_for_selector("[data-testid=register] tbody tr", timeout=30_000)
    assert page.locator("[data-testid=register] tbody tr").count() == 1
    assert page.locator(f"[data-testid=register] a[href='#/case/{site.case_id}']").count() == 1
    screenshot(page, "register-as-of")
    page.click("#asof-clear")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=register] tbody tr').length === 2"
    )
