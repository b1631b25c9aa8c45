"""The phone page lists the inspector's own inspections of today from the service; the
case page says which device or part of the site each order stops; the report form
offers a sector's choices by their names, never their codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ledger.identity import Actor, Role

from .conftest import screenshot
from .test_case_life import Browser, Life, catch_up
from .test_new_steps import RESTAURANT, life  # noqa: F401  (the module's ledger and service)


def test_the_phone_page_lists_todays_inspections_of_its_user(browser: Any, life: Life) -> None:  # noqa: F811
    # a minute ago in real time: today for the browser, in the recorded past for the ledger
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    mine = Actor("insp2", "张建国", Role.INSPECTOR, "城关镇")
    other = Actor("insp-other", "李四", Role.INSPECTOR, "城关镇")
    inspection = life.ledger.record_inspection(
        mine,
        at,
        enterprise_code=RESTAURANT,
        sector="city_gas",
        inspection_type="routine",
        team=["张建国"],
        location="后厨",
    )
    life.ledger.record_inspection(
        other,
        at,
        enterprise_code=RESTAURANT,
        sector="city_gas",
        inspection_type="special",
        team=["李四"],
    )
    life.ledger.record_inspection(
        mine,
        at - timedelta(days=2),
        enterprise_code=RESTAURANT,
        sector="city_gas",
        inspection_type="routine",
        team=["张建国"],
    )
    life.ledger.report_hazard(
        mine,
        at,
        enterprise_code=RESTAURANT,
        sector="city_gas",
        location="后厨",
        description="燃气软管老化",
        source="routine_inspection",
        inspection_id=inspection,
        details={"premises": "restaurant"},
    )
    catch_up(life.ledger)
    pages = Browser(browser, life, 390)
    try:
        page = pages.as_role("inspector")
        page.goto(life.url + "/field")
        page.wait_for_selector("[data-testid=inspection]")
        rows = page.locator("[data-testid=inspection]").all_inner_texts()
        assert len(rows) == 1, rows
        assert "静宁县某餐饮店" in rows[0] and "日常检查" in rows[0] and "发现隐患 1 项" in rows[0]
        assert page.get_attribute("[data-testid=inspection] button", "data-insp") == str(inspection)
        assert page.is_hidden("#no-insp")
        screenshot(page, "field-today")
    finally:
        pages.close()


def test_orders_show_what_they_stop_and_choices_show_their_names(browser: Any, life: Life) -> None:  # noqa: F811
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    official = Actor("zj-wang", "王住建", Role.DEPARTMENT, "县住建局")
    case = life.ledger.report_hazard(
        official,
        at,
        enterprise_code=RESTAURANT,
        sector="city_gas",
        location="燃气间",
        description="调压器漏气",
        source="routine_inspection",
        details={"premises": "station"},
    )
    for number, covers in (
        ("静停〔2026〕7号", {"device_code": "3110620820190001"}),
        ("静停〔2026〕8号", {"site_part": "二楼后厨"}),
    ):
        life.ledger.issue_action(
            official,
            at,
            kind="stop_work",
            document_number=number,
            enterprise_code=RESTAURANT,
            sector="city_gas",
            department="县住建局",
            legal_basis="《安全生产法》",
            case_ids=[case],
            **covers,
        )
    pages = Browser(browser, life, 1280)
    try:
        page = pages.as_role("department")
        page.goto(f"{life.url}/#/case/{case}")
        page.wait_for_selector("[data-testid=actions] tbody tr")
        actions = page.inner_text("[data-testid=actions]")
        assert "3110620820190001" in actions and "二楼后厨" in actions
        assert "设备编号" in actions
        # the timeline names the recorded choice (station) as people call it
        page.wait_for_selector("[data-testid=event]")
        assert "燃气场站" in page.inner_text("#timeline")
        page.goto(life.url + "/#/report")
        page.wait_for_selector("[data-testid=form-report_hazard]")
        page.select_option("[name=sector]", "city_gas")
        options = page.locator("[name='details.premises'] option").all_inner_texts()
        assert "餐饮场所" in options and "restaurant" not in options
    finally:
        pages.close()
