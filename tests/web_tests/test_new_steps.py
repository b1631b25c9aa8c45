"""The domain's newer steps, recorded only through the web page, each by its role.

An enterprise manages a general hazard of its own self-inspection to the end (reports it
with a photo, grades it general with its sector's category, rectifies it on the spot
with a photo, which closes it) without any official's sign-off; the timeline says the closure
was self-managed, in words, never as a field name. A department receives a public
report, verifies it and finds it unfounded with its reasons; opening the reporter's
identity is offered only to the roles the API allows, says that it is logged, and is
counted on the report. An accident is recorded and the review starts from it.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.app import Settings, create_app
from api.users import User
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.identity import Actor, Role
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock

from .conftest import _free_port, screenshot
from .test_case_life import (
    Browser,
    Life,
    attach_photo,
    catch_up,
    internal_codes,
    shown_field_names,
    submitted,
    take_step,
    visible_codes,
)

RESTAURANT = make_credit_code("91620826MA72GA810")


@pytest.fixture(scope="module")
def life(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Life]:
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=5)
    clock = FakeClock(start)
    store = str(Path(tmp_path_factory.mktemp("steps")) / "ledger.db")
    ledger = HazardLedger(store, clock=clock)
    keys = Path(tmp_path_factory.mktemp("keys"))
    create_keys(keys)
    ledger.integrity.use_key_directory(keys)
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
    now = clock.now
    tokens = {
        "enterprise": users.add(
            User(
                "gas-ent", "赵安全", Role.ENTERPRISE, "静宁县某餐饮店", "", frozenset(), RESTAURANT
            ),
            now=now,
        ),
        "department": users.add(
            User("zj-wang", "王住建", Role.DEPARTMENT, "县住建局", "620826"), now=now
        ),
        "inspector": users.add(
            User("insp2", "张建国", Role.INSPECTOR, "城关镇", "620826"), now=now
        ),
    }
    sectors = list(app.state.services.sectors.specs)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield Life(f"http://127.0.0.1:{port}", clock, ledger, tokens, sectors)
    server.should_exit = True
    thread.join(timeout=10)
    ledger.close()


def _get(life: Life, role: str, path: str) -> Any:
    request = urllib.request.Request(
        life.url + path, headers={"Authorization": f"Bearer {life.tokens[role]}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_enterprise_closes_its_own_general_hazard(browser: Any, life: Life, width: int) -> None:
    tag = "desktop" if width > 500 else "phone"
    pages = Browser(browser, life, width)
    try:
        page = pages.as_role("enterprise")
        page.goto(life.url + "/#/report")
        form = "[data-testid=form-report_hazard]"
        page.wait_for_selector(form)
        page.fill(f"{form} [name=enterprise_code]", RESTAURANT)
        page.select_option(f"{form} [name=sector]", "city_gas")
        page.fill(f"{form} [name=location]", "后厨")
        page.fill(f"{form} [name=description]", "燃气软管老化开裂")
        for select in page.locator(f"{form} #details select").all():
            select.select_option(index=1)
        attach_photo(page, form, "hose.png")
        page.click(f"{form} button[type=submit]")
        submitted(page)
        page.wait_for_url("**/#/case/*")
        case_id = page.url.rsplit("/", 1)[1]
        page.wait_for_selector("[data-testid=event]")

        # Grade general: the enterprise is offered no major grade, and the sector's
        # categories by name.
        page.select_option("[data-testid=step-select]", "grade_hazard")
        grade = "[data-testid=form-grade_hazard]"
        page.wait_for_selector(grade)
        grades = page.locator(f"{grade} [name=grade] option").all_inner_texts()
        assert len(grades) == 2 and grades[1].startswith("一般"), grades
        assert page.locator(f"{grade} [name=criteria]").count() == 0
        categories = page.locator(f"{grade} [name=category] option").all_inner_texts()
        assert "可燃气体泄漏报警与切断装置" in categories
        page.select_option(f"{grade} [name=category]", "GAS-G02")
        take_step(page, "grade_hazard")

        page.select_option("[data-testid=step-select]", "rectify_on_spot")
        rectify = "[data-testid=form-rectify_on_spot]"
        page.wait_for_selector(rectify)
        attach_photo(page, rectify, "new-hose.png")
        # 立查立改 by the enterprise closes its own general hazard at once (16号令 Art. 15).
        take_step(page, "rectify_on_spot", {"measures": "更换为金属波纹管并加装卡箍"})
        assert page.get_attribute("[data-testid=case-status]", "data-status") == "closed"
        page.wait_for_selector("[data-testid=evidence-photo] >> nth=1")
        timeline = page.inner_text("[data-testid=timeline]")
        assert "企业自主管理" in timeline and "可燃气体泄漏报警与切断装置" in timeline
        events = _get(life, "enterprise", f"/hazards/{case_id}/timeline")
        closed = [e for e in events if e["event"] == "RectifiedOnSpot"]
        assert closed and closed[0]["changes"].get("self_managed") is True
        codes = internal_codes(life.sectors, shown_field_names(events))
        assert visible_codes(page, codes) == []
        screenshot(page, f"self-managed-{tag}")
        assert life.outside == []
    finally:
        pages.close()


def test_a_public_report_found_unfounded_and_the_reporter_protected(
    browser: Any, life: Life
) -> None:
    pages = Browser(browser, life, 1280)
    try:
        department = pages.as_role("department")
        department.click("[data-testid=nav-public-reports]")
        receive = "[data-testid=form-receive_public_report]"
        department.wait_for_selector(receive)
        department.fill(f"{receive} [name=enterprise_code]", RESTAURANT)
        department.select_option(f"{receive} [name=sector]", "city_gas")
        department.select_option(f"{receive} [name=channel]", "hotline")
        department.fill(f"{receive} [name=content]", "饭店后厨燃气瓶放在地下室使用")
        department.fill(f"{receive} [name=reporter_name]", "李举报")
        department.fill(f"{receive} [name=reporter_phone]", "13800000000")
        department.click(f"{receive} button[type=submit]")
        department.wait_for_selector("[data-testid=report-status][data-status=received]")
        assert "李举报" not in department.inner_text("#view")
        life.clock.advance(hours=1)

        def step(cmd: str, fields: dict[str, str], status: str) -> None:
            department.select_option("[data-testid=record-step]", cmd)
            form = f"[data-testid=form-{cmd}]"
            department.wait_for_selector(form)
            for name, value in fields.items():
                department.fill(f"{form} [name={name}]", value)
            department.click(f"{form} button[type=submit]")
            department.wait_for_selector(
                f"[data-testid=report-status][data-status={status}], .field-error, "
                ".form-error:not([hidden])"
            )
            errors = department.locator(".form-error:not([hidden]), .field-error")
            assert errors.count() == 0, errors.all_inner_texts()

        step(
            "verify_public_report",
            {"findings": "现场核查：燃气瓶在一层厨房，地下室未见"},
            "verified",
        )
        life.clock.advance(hours=1)
        step(
            "find_report_unfounded", {"reasons": "经现场核查，未发现地下室使用燃气瓶"}, "unfounded"
        )
        assert "未发现地下室使用燃气瓶" in department.inner_text("[data-testid=report-reasons]")

        # The receiving department may open the identity; the page says it is logged.
        notice = department.locator("[data-testid=reveal-notice]")
        assert "记录" in notice.inner_text()
        reveal = "[data-testid=form-reveal_reporter_identity]"
        department.fill(f"{reveal} [name=purpose]", "回复举报人核查结果")
        department.click(f"{reveal} button[type=submit]")
        department.wait_for_selector("[data-testid=identity]:not([hidden])")
        assert "李举报" in department.inner_text("[data-testid=identity]")
        report_id = department.url.rsplit("id=", 1)[1]
        assert _get(life, "department", f"/public-reports/{report_id}")["identity_reads"] == 1
        screenshot(department, "public-report-unfounded-desktop")
        codes = internal_codes(life.sectors, {"reasons", "findings", "channel", "identity_reads"})
        assert visible_codes(department, codes) == []

        # An inspector may verify reports but never open who made them.
        inspector = pages.as_role("inspector")
        inspector.goto(f"{life.url}/#/public-reports?id={report_id}")
        inspector.wait_for_selector("[data-testid=report-status]")
        assert inspector.locator("[data-testid=reveal-notice]").count() == 0
        assert "李举报" not in inspector.inner_text("#view")
        assert life.outside == []
    finally:
        pages.close()


def test_an_accident_is_recorded_and_the_review_starts_from_it(browser: Any, life: Life) -> None:
    pages = Browser(browser, life, 1280)
    try:
        department = pages.as_role("department")
        department.click("[data-testid=nav-accidents]")
        form = "[data-testid=form-record_accident]"
        department.wait_for_selector(form)
        department.fill(f"{form} [name=enterprise_code]", RESTAURANT)
        department.select_option(f"{form} [name=sector]", "city_gas")
        department.fill(f"{form} [name=place]", "后厨")
        department.fill(f"{form} [name=description]", "燃气泄漏引发闪爆，一人重伤")
        department.fill(f"{form} [name=serious_injuries]", "1")
        department.fill(f"{form} [name=direct_loss]", "85000")
        department.click(f"{form} button[type=submit]")
        department.click("[data-testid=review-accident]")
        frame = department.frame_locator("[data-testid=review-frame]")
        frame.locator("body").wait_for()
        assert "静宁县某餐饮店" in frame.locator("body").inner_text()
        screenshot(department, "accident-review-desktop")
        assert life.outside == []
    finally:
        pages.close()


def test_risk_points_by_level_with_their_colours(browser: Any, life: Life) -> None:
    pages = Browser(browser, life, 1280)
    try:
        enterprise = pages.as_role("enterprise")
        enterprise.click("[data-testid=nav-risk]")
        form = "[data-testid=form-register_risk_point]"
        enterprise.wait_for_selector(form)
        enterprise.select_option(f"{form} [name=sector]", "city_gas")
        enterprise.fill(f"{form} [name=name]", "后厨燃气灶具区")
        enterprise.fill(f"{form} [name=location]", "一层后厨")
        enterprise.select_option(f"{form} [name=level]", "larger")
        enterprise.fill(f"{form} [name=controls]", "每日班前检查软管\n安装泄漏报警器")
        with enterprise.expect_response(
            lambda r: r.url.endswith("/risk-points") and r.request.method == "POST"
        ) as answer:
            enterprise.click(f"{form} button[type=submit]")
        assert answer.value.status == 201, answer.value.text()
        catch_up(life.ledger)
        enterprise.goto(life.url + "/#/risk")
        enterprise.reload()
        badge = enterprise.locator("[data-testid=risk-level]").first
        badge.wait_for()
        assert badge.inner_text() == "较大风险"
        assert "risk-orange" in (badge.get_attribute("class") or "")
        screenshot(enterprise, "risk-points-desktop")
        assert visible_codes(enterprise, internal_codes(life.sectors)) == []
    finally:
        pages.close()
