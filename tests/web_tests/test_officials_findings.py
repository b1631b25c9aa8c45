"""What a county official and a new user found wrong on the page, each checked in Chromium.

A yes/no question of a sector is left unanswered until answered (a default "是" once
slipped past the leak-alarm rule); the phone page asks a sector's own questions and keeps
a refused report, photo and all, for correction; the review reads the record as known at
the page's moment; the dashboard ranks townships, draws only complete months with one
tick per month, keeps names readable on a phone and asks once for a missing snapshot;
the register filters by found date and by listing; a historical case reads one proof
basis; every page names its icon.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import uvicorn

from api.app import Settings, create_app
from api.composition import load_configured_sectors
from api.users import User
from ledger.application import HazardLedger
from ledger.enterprise import Person
from ledger.identity import Actor, Role
from tests.conftest import FakeClock

from .conftest import FACTORY, Site, _free_port, screenshot, sign_in
from .test_case_life import Browser, Life, catch_up, png, submitted, timeline_of
from .test_new_steps import RESTAURANT

LEAK_ALARM = "[name='details.leak_alarm_installed']"


@pytest.fixture(scope="module")
def life(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Life]:
    """A restaurant under the city gas sector, served with the sectors' rules loaded, as
    ``ledger serve`` loads them."""
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=5)
    clock = FakeClock(start)
    store = str(Path(tmp_path_factory.mktemp("gas")) / "ledger.db")
    ledger = HazardLedger(store, clock=clock, sectors=load_configured_sectors())
    ledger.register_enterprise(
        Actor("reg-01", "登记员", Role.DEPARTMENT, "县住建局"),
        start - timedelta(days=1),
        credit_code=RESTAURANT,
        name="静宁县某餐饮店",
        region_code="620826",
        sectors=["city_gas"],
        principal=Person("p-r", "赵店长"),
    )
    app = create_app(Settings(store=store, clock=clock), ledger=ledger)
    users = app.state.services.users
    tokens = {
        "department": users.add(
            User("zj-wang", "王住建", Role.DEPARTMENT, "县住建局", "620826"), now=clock.now
        ),
        "inspector": users.add(
            User("insp2", "张建国", Role.INSPECTOR, "城关镇", "620826"), now=clock.now
        ),
    }
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield Life(
        f"http://127.0.0.1:{port}", clock, ledger, tokens, list(app.state.services.sectors.specs)
    )
    server.should_exit = True
    thread.join(timeout=10)
    ledger.close()


def test_report_form_leaves_a_yes_no_question_unanswered(browser: Any, life: Life) -> None:
    pages = Browser(browser, life, 1280)
    try:
        page = pages.as_role("department")
        page.goto(life.url + "/#/report")
        form = "[data-testid=form-report_hazard]"
        page.wait_for_selector(form)
        page.fill(f"{form} [name=enterprise_code]", RESTAURANT)
        page.select_option(f"{form} [name=sector]", "city_gas")
        page.fill(f"{form} [name=location]", "后厨")
        page.fill(f"{form} [name=description]", "燃气灶具连接软管过长")
        page.select_option(f"{form} [name='details.premises']", "restaurant")
        assert page.input_value(f"{form} {LEAK_ALARM}") == ""
        assert page.locator(f"{form} {LEAK_ALARM} option").first.inner_text() == "请选择"
        page.click(f"{form} button[type=submit]")
        page.wait_for_selector(f"{form} [data-field='details.leak_alarm_installed'] .field-error")
        assert "泄漏报警" in page.inner_text(f"{form} [data-field='details.leak_alarm_installed']")
        assert "#/case/" not in page.url
        page.select_option(f"{form} {LEAK_ALARM}", "false")
        page.click(f"{form} button[type=submit]")
        submitted(page)
        page.wait_for_url("**/#/case/*")
        case_id = page.url.rsplit("/", 1)[1]
        details = timeline_of(life, "department", case_id)[0]["changes"]["details"]
        assert details == {"premises": "restaurant", "leak_alarm_installed": False}
    finally:
        pages.close()


def test_phone_page_asks_the_sectors_questions_and_keeps_a_refused_report(
    browser: Any,
    life: Life,
) -> None:
    pages = Browser(browser, life, 390)
    try:
        page = pages.as_role("inspector")
        page.goto(life.url + "/field")
        page.wait_for_selector(
            "#quick select[name=sector] option[value=city_gas]", state="attached"
        )
        # nothing queued while a required field is empty; the form stays as filled
        page.fill("#quick [name=enterprise_code]", RESTAURANT)
        page.click("#quick button[type=submit]")
        page.wait_for_selector("[data-testid=quick-error]:visible")
        assert page.locator("[data-testid=pending]").count() == 0
        assert page.input_value("#quick [name=enterprise_code]") == RESTAURANT

        page.select_option("#quick [name=sector]", "city_gas")
        premises = page.locator("#quick [name='details.premises'] option").all_inner_texts()
        assert "餐饮场所" in premises and "restaurant" not in premises
        assert page.input_value(f"#quick {LEAK_ALARM}") == ""
        page.select_option("#quick [name='details.premises']", "restaurant")
        page.fill("#quick [name=location]", "后厨")
        page.fill("#quick [name=description]", "燃气管道穿越卧室")
        photo = png((90, 90, 20))
        page.set_input_files(
            "[data-testid=camera]", {"name": "pipe.png", "mimeType": "image/png", "buffer": photo}
        )
        page.click("#quick button[type=submit]")
        # refused by the sector's rule: kept with its reasons, offered for correction
        page.wait_for_selector("[data-testid=refused]")
        assert "泄漏报警" in page.inner_text("[data-testid=refused]")
        screenshot(page, "field-refused")
        page.click("[data-testid=fix]")
        assert page.input_value("#quick [name=location]") == "后厨"
        assert page.input_value("#quick [name='details.premises']") == "restaurant"
        assert page.is_visible("[data-testid=kept-photo]")
        assert "泄漏报警" in page.inner_text("[data-testid=quick-error]")
        page.select_option(f"#quick {LEAK_ALARM}", "false")
        page.click("#quick button[type=submit]")
        page.wait_for_selector("[data-testid=sent][data-case]")
        assert page.locator("[data-testid=refused]").count() == 0
        case_id = page.get_attribute("[data-testid=sent][data-case]", "data-case")
        reported = timeline_of(life, "inspector", str(case_id))[0]["changes"]
        assert reported["details"] == {"premises": "restaurant", "leak_alarm_installed": False}
        assert len(reported["evidence"]) == 1  # the photo of the refused report, not lost
    finally:
        pages.close()


def test_review_reads_the_record_as_known_at_the_pages_moment(page: Any, site: Site) -> None:
    sign_in(page, site, site.auditor_token)
    # Before the grading was recorded (11:00 UTC = 19:00 Beijing): no criterion known yet.
    page.fill("#asof", "2026-02-20T18:00")
    page.dispatch_event("#asof", "change")
    page.wait_for_selector("[data-testid=asof-banner]:visible")
    page.goto(f"{site.url}/#/review?enterprise={FACTORY}&incident_at=2026-03-05T14:00")
    body = page.frame_locator("[data-testid=review-frame]").locator("body")
    body.wait_for()
    assert page.input_value("[data-testid=review-known-at]") == "2026-02-20T18:00"
    text = body.inner_text()
    assert "静宁县某家具厂" in text
    assert "FIRE-5.2-c" not in text
    page.click("#asof-clear")
    page.goto(f"{site.url}/#/review?enterprise={FACTORY}&incident_at=2026-03-05T14:00&x=1")
    body = page.frame_locator("[data-testid=review-frame]").locator("body")
    body.wait_for()
    assert "FIRE-5.2-c" in body.inner_text()


def test_dashboard_ranks_townships_and_draws_complete_months(page: Any, site: Site) -> None:
    asked: list[dict[str, list[str]]] = []
    page.on(
        "request",
        lambda r: asked.append(parse_qs(urlparse(r.url).query)) if "/rankings" in r.url else None,
    )
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/dashboard?month=2026-02&region=620826")
    page.wait_for_selector("[data-testid=ranking-region] tbody tr")
    page.wait_for_selector("[data-testid=ranking] tbody tr")
    kinds = sorted({q["by"][0] for q in asked})
    assert kinds == ["department", "township"], kinds
    # The figures were counted on 2026-03-03: March is not drawn as a month, but said.
    page.wait_for_selector("[data-testid=trend-partial]")
    assert page.get_attribute("#trend", "data-months") == "2026-01,2026-02"
    assert "2026-03" in page.inner_text("[data-testid=trend-partial]")
    ticks = page.evaluate("document.querySelector('#trend').plot.axes[0]._values")
    assert ticks == ["2026-01", "2026-02"]


def test_phone_tables_keep_names_readable(browser: Any, site: Site) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, timezone_id="Asia/Shanghai", locale="zh-CN"
    )
    try:
        page = context.new_page()
        sign_in(page, site, site.auditor_token)
        page.goto(f"{site.url}/#/dashboard?month=2026-02&region=620826")
        cell = page.locator("[data-testid=ranking] tbody tr td:nth-child(2)").first
        cell.wait_for()
        assert "县消防救援大队" in cell.inner_text()
        width, size = cell.evaluate(
            "c => [c.getBoundingClientRect().width, parseFloat(getComputedStyle(c).fontSize)]"
        )
        assert width >= 4 * size, (width, size)  # not one character per line
        screenshot(page, "dashboard-phone")
    finally:
        context.close()


def test_dashboard_as_of_asks_once_for_a_snapshot(page: Any, site: Site) -> None:
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/dashboard?month=2026-02&region=620826")
    page.wait_for_selector("[data-testid=kpis] .kpi")
    page.fill("#asof", "2026-02-26T12:00")
    page.dispatch_event("#asof", "change")
    page.wait_for_selector("[data-testid=build-snapshot]")
    page.wait_for_function("!document.querySelector('#ranking').textContent.includes('…')")
    assert page.locator("[data-testid=build-snapshot]").count() == 1
    page.click("[data-testid=build-snapshot]")
    page.wait_for_selector("[data-testid=kpis] .kpi", timeout=30_000)
    assert page.locator("[data-testid=build-snapshot]").count() == 0
    page.click("#asof-clear")


def test_historical_case_reads_one_proof_basis(page: Any, site: Site) -> None:
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/case/{site.case_id}")
    page.wait_for_selector("[data-testid=event] >> nth=2")
    page.fill("#asof", "2026-02-20T18:00")
    page.dispatch_event("#asof", "change")
    page.wait_for_function("document.querySelectorAll('[data-testid=event]').length === 1")
    page.wait_for_selector("[data-testid=proof].ok")
    assert "已签名检查点" in page.inner_text("[data-testid=proof]")
    page.click("#asof-clear")


def test_register_filters_by_found_date_and_listing(page: Any, site: Site) -> None:
    official = Actor("fire-01", "刘消防", Role.DEPARTMENT, "县消防救援大队")
    site.ledger.list_for_supervision(
        official, site.clock.now - timedelta(minutes=30), site.case_id,
        level="county", authority="静宁县安全生产委员会办公室",
    )  # fmt: skip
    catch_up(site.ledger)
    sign_in(page, site, site.auditor_token)
    page.goto(f"{site.url}/#/register?sector=fire")
    page.wait_for_selector("[data-testid=register] tbody tr >> nth=1")

    def rows_after(query: str) -> list[str]:
        page.evaluate("document.querySelector('#reg').dataset.old = 'yes'")
        page.goto(f"{site.url}/#/register?{query}")
        page.wait_for_function(
            "(r => r && !r.dataset.old && !r.textContent.includes('…'))"
            "(document.querySelector('#reg'))"
        )
        return [
            str(a.get_attribute("href")).rsplit("/", 1)[1]
            for a in page.locator("[data-testid=register] tbody tr td:first-child a").all()
        ]

    # The first case was found on 2026-02-20, the late one on 2026-02-22 (Beijing days).
    page.fill("[data-testid=found-from]", "2026-02-21")
    page.click("#reg-form button:not([type])")
    page.wait_for_url("**found_from=2026-02-21**")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=register] tbody tr').length === 1"
    )
    assert page.locator(f"a[href='#/case/{site.late_case_id}']").count() == 1
    assert rows_after("found_from=2026-02-20&found_to=2026-02-20") == [str(site.case_id)]
    assert rows_after("found_to=2026-02-21") == [str(site.case_id)]
    page.goto(f"{site.url}/#/register?sector=fire")
    page.wait_for_selector("[data-testid=register] tbody tr >> nth=1")
    page.check("[data-testid=listed-filter]")
    page.click("#reg-form button:not([type])")
    page.wait_for_url("**listed=true**")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=register] tbody tr').length === 1"
    )
    assert page.locator(f"a[href='#/case/{site.case_id}']").count() == 1
    assert "县级" in page.inner_text("[data-testid=listed-row]")
    screenshot(page, "register-listed")


def test_every_page_names_its_icon(page: Any, site: Site) -> None:
    for path in ("/", "/field", "/verify"):
        page.goto(site.url + path)
        href = page.get_attribute("link[rel=icon]", "href")
        assert href, path
        with urllib.request.urlopen(site.url + href, timeout=10) as answer:
            assert answer.status == 200
            assert answer.headers["content-type"].startswith("image/")
