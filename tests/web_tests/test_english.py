"""In English the pages show no Chinese but the data's own; in Chinese, their wording.

The seeded data (enterprise, places, descriptions, people, departments) is Chinese and
stays so in either language; everything else on the dashboard, the register, a case
page with every step form the inspector may open, and the report form with every
sector's own fields must be English after ``?lang=en``. Every text a page asked for must
be in i18n.js's table of its language (the page says a missing one on the console).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import Site, screenshot, sign_in

#: CJK ideographs, CJK punctuation and full-width forms.
CJK = re.compile("[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

#: What the seed records and the users' own names: data, shown as recorded.
DATA = [
    "静宁县某家具厂",
    "成品仓库",
    "安全出口被货物堵塞",
    "县消防救援大队",
    "清理安全出口",
    "车间",
    "灭火器过期",
    "纸质记录补录",
    "张建国",
    "刘消防",
    "孙审",
    "马厂长",
    "城关镇",
    "市纪委监委",
    "静宁县",  # the county of region 620826, a ranking's unit
    "安全出口",  # the description's words a criterion suggestion quotes
]

#: Every text of the page a reader sees: text nodes (hidden ones too: they show later),
#: the words in attributes, the window's title. The language switch names the other
#: language in that language (中文) and is left out.
_TEXTS = """() => {
  const out = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const p = n.parentElement;
    if (p && (p.closest("script, style") || p.id === "lang")) continue;
    out.push(n.textContent);
  }
  for (const el of document.querySelectorAll("[placeholder], [title], [alt], [aria-label]")) {
    for (const a of ["placeholder", "title", "alt", "aria-label"]) {
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
  }
  return out;
}"""


def chinese_left(page: Any) -> list[str]:
    """The texts on ``page`` with Chinese in them once the data's values are taken out."""
    left = []
    for text in page.evaluate(_TEXTS):
        for value in sorted(DATA, key=len, reverse=True):
            text = text.replace(value, " ")
        if CJK.search(text):
            left.append(" ".join(text.split()))
    return left


@pytest.fixture
def watched(page: Any) -> Iterator[tuple[Any, list[str]]]:
    """The page and the i18n warnings it gives (a text missing from a table)."""
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if "i18n:" in m.text else None)
    page.on("pageerror", lambda e: warnings.append(f"error: {e}"))
    yield page, warnings


def open_english(page: Any, site: Site, hash_: str, token: str | None = None) -> None:
    sign_in(page, site, token)
    page.goto(f"{site.url}/?lang=en#{hash_}")
    page.wait_for_function("document.documentElement.lang === 'en'")


def test_dashboard_in_english(watched: tuple[Any, list[str]], site: Site) -> None:
    page, warnings = watched
    open_english(page, site, "/dashboard?month=2026-02&region=620826", site.auditor_token)
    page.wait_for_selector("[data-testid=kpis] .kpi")
    page.wait_for_selector("#trend canvas, #trend .u-wrap")
    page.wait_for_function(
        "document.querySelector('#ranking').children.length"
        " && document.querySelector('#ranking-region').children.length"
    )
    page.wait_for_selector("[data-testid=campaign-accidents]")
    page.wait_for_function(
        "[...document.querySelectorAll('#campaign-tables [data-table]')]"
        ".every((b) => b.querySelector('table, .error'))"
    )
    assert "Ranking of departments" in page.inner_text("#view")
    assert page.inner_text("#lang") == "中文"
    screenshot(page, "dashboard-en")
    assert chinese_left(page) == []
    assert warnings == []


def test_register_in_english(watched: tuple[Any, list[str]], site: Site) -> None:
    page, warnings = watched
    open_english(page, site, "/register?sector=fire", site.auditor_token)
    page.wait_for_selector("[data-testid=register] tbody tr >> nth=1")
    page.wait_for_selector("[data-testid=total]:has-text('2 in total')")
    assert page.inner_text("[data-testid=late-row]") == "Late entry"
    screenshot(page, "register-en")
    assert chinese_left(page) == []
    assert warnings == []


def test_case_page_and_its_step_forms_in_english(
    watched: tuple[Any, list[str]], site: Site
) -> None:
    page, warnings = watched
    sign_in(page, site)
    for case_id in (site.case_id, site.late_case_id):
        page.goto(f"{site.url}/?lang=en&case={case_id}#/case/{case_id}")
        page.wait_for_selector(f"h1:has-text('{str(case_id)[:8]}')")
        page.wait_for_selector("[data-testid=event]")
        page.wait_for_selector("[data-testid=proof]")
        page.wait_for_selector("#step-form form")
        page.wait_for_function(
            "!document.querySelector('#findings').textContent.includes('Loading')"
        )
        steps = page.eval_on_selector_all("#step-select option", "os => os.map((o) => o.value)")
        assert len(steps) >= 3
        for step in steps:
            page.select_option("#step-select", step)
            page.wait_for_selector(f"#step-form form[data-cmd={step}]")
            assert chinese_left(page) == [], step
    screenshot(page, "case-en")
    assert warnings == []


def test_report_form_in_english_with_every_sectors_fields(
    watched: tuple[Any, list[str]], site: Site
) -> None:
    page, warnings = watched
    open_english(page, site, "/report")
    page.wait_for_selector("[data-testid=form-report_hazard]")
    assert page.inner_text("h1") == "Report a hazard"
    sectors = page.eval_on_selector_all(
        "[name=sector] option", "os => os.map((o) => o.value).filter(Boolean)"
    )
    assert len(sectors) >= 5
    with_details = 0
    for sector in sectors:
        page.select_option("[name=sector]", sector)
        with_details += page.locator("#details [data-field]").count() > 0
        assert chinese_left(page) == [], sector
    assert with_details >= 1
    screenshot(page, "report-en")
    assert warnings == []


def test_phone_and_verify_pages_in_english(watched: tuple[Any, list[str]], site: Site) -> None:
    page, warnings = watched
    sign_in(page, site)
    page.goto(f"{site.url}/field?lang=en")
    page.wait_for_selector("#quick [name=sector] option >> nth=2", state="attached")
    page.wait_for_selector("[data-testid=net]:has-text('online')")
    assert chinese_left(page) == []
    page.goto(f"{site.url}/verify?lang=en")
    page.wait_for_selector("[data-testid=camera]:has-text('Scan')")
    assert chinese_left(page) == []
    assert warnings == []


def test_chinese_stays_the_default_and_the_switch_brings_it_back(
    watched: tuple[Any, list[str]], site: Site
) -> None:
    page, warnings = watched
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/dashboard?month=2026-02&region=620826")
    page.wait_for_selector("[data-testid=kpis] .kpi")
    text = page.inner_text("#view")
    assert "乡镇（区域）排名" in text and "部门排名" in text
    assert page.inner_text("#lang") == "EN"
    page.goto(f"{site.url}/?lang=en#/register")
    page.wait_for_selector("[data-testid=export]:has-text('Export all (CSV)')")
    page.click("#lang")
    page.wait_for_selector("[data-testid=export]:has-text('导出全部（CSV）')")
    page.wait_for_selector("[data-testid=total]:has-text('共 2 条')")
    assert "lang=" not in page.url
    assert warnings == []
