"""The campaign's tables on the dashboard, in Chromium: all five for the dashboard's region
and period, named in Chinese from the label catalogue, never an internal code."""

from __future__ import annotations

import re
from typing import Any

from .conftest import Site, screenshot, sign_in

TABLES = ("sources", "listings", "enforcement", "effort", "accidents")
#: Codes the API answers with, which a person must never read on the page.
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b(?:fire|city_gas|penalty|county|major)\b")


def test_dashboard_shows_the_campaign_tables_without_codes(page: Any, site: Site) -> None:
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/dashboard?month=2026-02&region=620826")
    for table in TABLES:
        page.wait_for_selector(f"[data-testid=campaign-{table}]")
    sources = page.locator("[data-testid=campaign-sources]")
    assert "排查隐患" in sources.inner_text()
    fire = sources.locator("tbody tr", has_text="消防")
    assert fire.count() == 1
    assert fire.locator("td").nth(1).inner_text() == "2"  # the two fire hazards of February
    assert "合计" in sources.inner_text()
    text = page.locator("#campaign-tables").inner_text()
    assert "检查执法力量统计表" in text and "出动人次" in text
    assert not CODE.findall(text), CODE.findall(text)

    page.select_option("[data-testid=campaign-period]", "year")
    page.wait_for_selector("#campaign-tables h2:text-matches('· 2026$')")
    page.wait_for_selector("[data-testid=campaign-sources]")
    screenshot(page, "campaign-tables")


def test_the_tables_leave_with_the_dashboard(page: Any, site: Site) -> None:
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/dashboard?month=2026-02&region=620826")
    page.wait_for_selector("[data-testid=campaign-sources]")
    page.goto(f"{site.url}/#/plugins")
    page.wait_for_selector("#campaign-tables", state="hidden")
