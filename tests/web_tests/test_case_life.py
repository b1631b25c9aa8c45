"""One case through its whole life, recorded only through the web page, each step by the
role whose step it is, on a desktop and on a 390 px phone.

The inspector reports the hazard with a photo, the department grades it major (citing
the catalogue's suggestion) and assigns it, the enterprise files its plan and reports
the rectification with a photo, the department verifies and closes it; the auditor sees
both photos on the case, reads the timeline as known at a moment in between and
downloads the case bundle, which verifies offline with both photos in it (each event
cites its photo by SHA-256, the bundle carries the files). Every page must read in
Chinese: no visible text may be an internal code (sector, status, event, kind, source or
grade name) or a field name of the changes shown. No request of any page may leave the
machine.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import threading
import time
import urllib.request
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.app import Settings, create_app
from api.users import User
from ledger.application import HazardLedger
from ledger.audit.model import EVENT_ZH
from ledger.enforcement import ActionKind
from ledger.enterprise import Person
from ledger.hazard import Grade, Source, Status
from ledger.identity import Actor, Role
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock

from .conftest import FACTORY, _free_port, screenshot

BEIJING = timedelta(hours=8)
FIXED = (30, 160, 60)  # the rectification photo's colour (the finding's is the default)


def timeline_of(life: Any, role: str, case_id: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{life.url}/hazards/{case_id}/timeline",
        headers={"Authorization": f"Bearer {life.tokens[role]}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        events: list[dict[str, Any]] = json.loads(answer.read())
    return events


def png(rgb: tuple[int, int, int] = (200, 40, 30), size: int = 32) -> bytes:
    """A small solid PNG (a stand-in for a phone photo), made without an image library."""
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@dataclass
class Life:
    url: str
    clock: FakeClock
    ledger: HazardLedger
    tokens: dict[str, str]
    sectors: list[str]
    outside: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def life(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Life]:
    # The ledger's clock runs a little ahead of the browser's, so every "occurred at" the
    # page proposes (the browser's now) is in the recorded past, never in the future.
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=5)
    clock = FakeClock(start)
    store = str(Path(tmp_path_factory.mktemp("life")) / "ledger.db")
    ledger = HazardLedger(store, clock=clock)
    keys = Path(tmp_path_factory.mktemp("keys"))
    create_keys(keys)
    ledger.integrity.use_key_directory(keys)
    official = Actor("reg-01", "登记员", Role.DEPARTMENT, "县消防救援大队")
    ledger.register_enterprise(
        official,
        start - timedelta(days=1),
        credit_code=FACTORY,
        name="静宁县某家具厂有限责任公司",
        region_code="620826",
        sectors=["fire"],
        principal=Person("p-f", "马厂长"),
    )
    app = create_app(Settings(store=store, clock=clock), ledger=ledger)
    users = app.state.services.users
    now = clock.now
    tokens = {
        "inspector": users.add(User("insp", "张建国", Role.INSPECTOR, "城关镇", "620826"), now=now),
        "department": users.add(
            User("xf-liu", "刘消防", Role.DEPARTMENT, "县消防救援大队", "620826"), now=now
        ),
        "enterprise": users.add(
            User("ent", "王安全", Role.ENTERPRISE, "静宁县某家具厂", "", frozenset(), FACTORY),
            now=now,
        ),
        "auditor": users.add(User("aud", "孙审", Role.AUDITOR, "市纪委监委", "6208"), now=now),
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


def catch_up(ledger: HazardLedger) -> None:
    from projections.follower import Follower
    from projections.registry import all_projections

    follower = Follower(ledger, all_projections())
    follower.catch_up()
    follower.close()


def shown_field_names(events: list[dict[str, Any]]) -> set[str]:
    """The field names of the changes a timeline shows (``self_managed``, ``category``):
    the page must name them through the catalogue, never show them."""
    return {name for e in events for name in (e.get("changes") or {})}


def internal_codes(sectors: list[str], fields: Iterable[str] = ()) -> re.Pattern[str]:
    """Every code a person must never read: the domain's enums, the loaded sectors and
    the field names given."""
    codes = {
        *fields,
        *(s.value for s in Status),
        *(g.value for g in Grade),
        *(s.value for s in Source),
        *(k.value for k in ActionKind),
        *EVENT_ZH,
        *sectors,
    }
    words = "|".join(sorted(map(re.escape, codes)))
    return re.compile(rf"(?<![A-Za-z_])({words})(?![A-Za-z_])")


def visible_codes(page: Any, pattern: re.Pattern[str]) -> list[str]:
    """Each internal code on screen, with the words around it."""
    text = page.inner_text("body")
    return sorted({text[max(0, m.start() - 20) : m.end() + 20] for m in pattern.finditer(text)})


class Browser:
    """Pages of one width, each signed in as a role, all refusing non-local requests."""

    def __init__(self, browser: Any, life: Life, width: int) -> None:
        self.browser, self.life, self.width = browser, life, width
        self.contexts: list[Any] = []

    def as_role(self, role: str) -> Any:
        height = 844 if self.width < 500 else 900
        context = self.browser.new_context(
            viewport={"width": self.width, "height": height},
            accept_downloads=True,
            timezone_id="Asia/Shanghai",
            locale="zh-CN",
            is_mobile=self.width < 500,
            has_touch=self.width < 500,
        )
        self.contexts.append(context)

        def guard(route: Any) -> None:
            url = route.request.url
            if url.startswith(self.life.url) or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                self.life.outside.append(url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.goto(self.life.url + "/")
        page.fill("#token", self.life.tokens[role])
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#who:has-text('·')")
        return page

    def close(self) -> None:
        for c in self.contexts:
            c.close()


def take_step(page: Any, cmd: str, fill: dict[str, str] | None = None) -> None:
    """Choose the step ``cmd`` on the case page, fill its fields, submit, wait for the page
    to show the recorded state."""
    if page.input_value("[data-testid=step-select]") != cmd:
        page.select_option("[data-testid=step-select]", cmd)
    form = page.locator(f"[data-testid=form-{cmd}]")
    form.wait_for()
    for name, value in (fill or {}).items():
        control = form.locator(f"[name='{name}']")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    version = page.locator("[data-testid=event]").count()
    form.locator("button[type=submit]").click()
    page.wait_for_function(
        f"document.querySelectorAll('[data-testid=event]').length > {version} || "
        "document.querySelector('.form-error:not([hidden]), .field-error')"
    )
    errors = page.locator(".form-error:not([hidden]), .field-error")
    assert errors.count() == 0, f"{cmd} refused: {errors.all_inner_texts()}"


def submitted(page: Any) -> None:
    """Wait for a submitted form to leave for its record or show a refusal; fail with the
    refusal's text."""
    page.wait_for_function(
        "location.hash.startsWith('#/case/') || "
        "document.querySelector('.form-error:not([hidden]), .field-error')"
    )
    errors = page.locator(".form-error:not([hidden]), .field-error")
    assert errors.count() == 0, f"refused: {errors.all_inner_texts()}"


def attach_photo(
    page: Any, form_selector: str, name: str, rgb: tuple[int, int, int] = (200, 40, 30)
) -> None:
    page.locator(f"{form_selector} [data-testid=photo-input]").set_input_files(
        {"name": name, "mimeType": "image/png", "buffer": png(rgb)}
    )
    page.wait_for_selector(f"{form_selector} [data-testid=photo-uploaded]")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_case_through_its_whole_life_in_the_web_page(
    browser: Any, life: Life, width: int, tmp_path: Path
) -> None:
    from ledger.integrity.bundle import verify_bundle

    tag = "desktop" if width > 500 else "phone"
    codes = internal_codes(life.sectors)
    pages = Browser(browser, life, width)
    try:
        # The inspector reports the hazard with a photo.
        inspector = pages.as_role("inspector")
        inspector.click("[data-testid=nav-report]") if width > 500 else inspector.goto(
            life.url + "/#/report"
        )
        form = "[data-testid=form-report_hazard]"
        inspector.wait_for_selector(form)
        inspector.fill(f"{form} [name=enterprise_code]", FACTORY)
        inspector.select_option(f"{form} [name=sector]", "fire")
        inspector.fill(f"{form} [name=location]", "成品仓库")
        inspector.fill(f"{form} [name=description]", "安全出口被货物堵塞")
        for select in inspector.locator(f"{form} #details select").all():
            select.select_option(index=1)
        attach_photo(inspector, form, "found.png")
        screenshot(inspector, f"life-{tag}-1-report")
        inspector.click(f"{form} button[type=submit]")
        submitted(inspector)
        inspector.wait_for_url(re.compile(r"#/case/[0-9a-f-]{36}$"))
        case_id = inspector.url.rsplit("/", 1)[1]
        inspector.wait_for_selector("[data-testid=event]")
        assert visible_codes(inspector, codes) == []
        life.clock.advance(hours=1)

        # The department grades it and assigns the rectification.
        department = pages.as_role("department")
        department.goto(f"{life.url}/#/case/{case_id}")
        department.wait_for_selector("[data-testid=step-select]")
        # A major hazard (the plan is for those): cite the catalogue's suggestion.
        department.select_option("[data-testid=step-select]", "grade_hazard")
        department.locator("[data-testid=suggestions] button.chip").first.click()
        take_step(department, "grade_hazard")
        assert "重大" in department.inner_text("[data-testid=case-state]")
        life.clock.advance(hours=1)
        take_step(
            department,
            "assign_rectification",
            {"department": "县消防救援大队", "requirements": "三日内清理安全出口"},
        )
        assigned_at = life.clock.now
        screenshot(department, f"life-{tag}-2-assigned")
        assert department.get_attribute("[data-testid=case-status]", "data-status") == "assigned"
        life.clock.advance(hours=2)

        # The enterprise files its plan, then reports the rectification with a photo.
        enterprise = pages.as_role("enterprise")
        enterprise.goto(f"{life.url}/#/case/{case_id}")
        enterprise.wait_for_selector("[data-testid=step-select]")
        plan = {
            "plan.goal_and_tasks": "清除堵塞，保持安全出口畅通",
            "plan.methods_and_measures": "移走货物，划定禁放区",
            "plan.funds_and_materials": "自筹 2000 元",
            "plan.organisation_and_people": "仓库主管负责",
            "plan.time_limit_and_requirements": "三日内完成",
            "plan.safety_and_emergency": "整改期间专人值守",
        }
        take_step(enterprise, "file_plan", plan)
        enterprise.wait_for_selector("[data-testid=plan]")
        assert "治理的目标和任务" in enterprise.inner_text("[data-testid=plan]")
        life.clock.advance(hours=1)
        enterprise.select_option("[data-testid=step-select]", "report_rectification")
        rect = "[data-testid=form-report_rectification]"
        enterprise.wait_for_selector(rect)
        attach_photo(enterprise, rect, "fixed.png", FIXED)
        completed = (datetime.now(UTC) + BEIJING).strftime("%Y-%m-%dT%H:%M")
        take_step(
            enterprise,
            "report_rectification",
            {"measures": "货物已移走，出口畅通", "completed_at": completed},
        )
        screenshot(enterprise, f"life-{tag}-3-rectified")
        life.clock.advance(hours=1)

        # The department verifies and closes it (its page reloaded: the case moved on).
        department.reload()
        department.wait_for_selector("[data-testid=step-select]")
        take_step(department, "verify_rectification", {"accepted": "true", "opinion": "复查合格"})
        life.clock.advance(minutes=30)
        take_step(department, "close_hazard")
        assert department.get_attribute("[data-testid=case-status]", "data-status") == "closed"
        # who reported, verified and closed it: people by name, never by login
        summary = department.inner_text("[data-testid=case-state]")
        assert "王安全" in summary and "刘消防" in summary, summary
        assert not re.search(r"\b(ent|xf-liu)\b", summary), summary
        screenshot(department, f"life-{tag}-4-closed")
        events = timeline_of(life, "department", case_id)
        assert (
            visible_codes(department, internal_codes(life.sectors, shown_field_names(events))) == []
        )
        found_sha = "sha256:" + hashlib.sha256(png()).hexdigest()
        fixed_sha = "sha256:" + hashlib.sha256(png(FIXED)).hexdigest()
        # The events cite each photo by its hash, so their leaves commit to the files.
        cited = {e["event"]: e["changes"].get("evidence") for e in events}
        assert cited["Reported"] == [found_sha]
        assert cited["RectificationReported"] == [fixed_sha]

        # The auditor reads the timeline as known half an hour after the assignment.
        auditor = pages.as_role("auditor")
        auditor.goto(f"{life.url}/#/case/{case_id}")
        auditor.wait_for_selector("[data-testid=event] >> nth=6")
        assert auditor.locator("[data-testid=event]").count() == 7
        between = (assigned_at + timedelta(minutes=30) + BEIJING).strftime("%Y-%m-%dT%H:%M")
        auditor.fill("#asof", between)
        auditor.dispatch_event("#asof", "change")
        auditor.wait_for_function("document.querySelectorAll('[data-testid=event]').length === 3")
        assert auditor.get_attribute("[data-testid=case-status]", "data-status") == "assigned"
        screenshot(auditor, f"life-{tag}-5-as-of")
        assert visible_codes(auditor, codes) == []
        auditor.click("#asof-clear")
        auditor.wait_for_function("document.querySelectorAll('[data-testid=event]').length === 7")
        with auditor.expect_download() as info:
            auditor.click("[data-testid=bundle]")
        target = tmp_path / "bundle.json"
        info.value.save_as(target)
        outcome = verify_bundle(target.read_bytes())
        assert outcome.ok and outcome.events == 7
        assert auditor.locator("[data-testid=evidence-photo]").count() >= 2
        # The bundle carries both photos themselves, each re-hashed by the offline check.
        assert outcome.files == 2
        carried = {
            f["sha256"].removeprefix("sha256:"): base64.b64decode(f["content"])
            for f in json.loads(target.read_bytes())["evidence_files"]
        }
        assert carried == {hashlib.sha256(p).hexdigest(): p for p in (png(), png(FIXED))}

        # The main pages read in Chinese (read models brought up to date first).
        catch_up(life.ledger)
        for path, ready in (
            ("/#/register", "[data-testid=register] tbody tr"),
            ("/#/dashboard", "[data-testid=kpis] .kpi"),
        ):
            auditor.goto(life.url + path)
            auditor.wait_for_selector(ready)
            auditor.wait_for_timeout(300)
            screenshot(auditor, f"life-{tag}-{path.rsplit('/', 1)[1]}")
            assert visible_codes(auditor, codes) == [], path
        assert life.outside == []
    finally:
        pages.close()


def test_a_refusal_is_shown_next_to_the_field_it_names(browser: Any, life: Life) -> None:
    pages = Browser(browser, life, 1280)
    try:
        inspector = pages.as_role("inspector")
        inspector.goto(life.url + "/#/report")
        form = "[data-testid=form-report_hazard]"
        inspector.wait_for_selector(form)
        inspector.fill(f"{form} [name=enterprise_code]", FACTORY)
        inspector.select_option(f"{form} [name=sector]", "fire")
        inspector.fill(f"{form} [name=location]", "车间")
        inspector.fill(f"{form} [name=description]", "灭火器过期")
        # Thirty days late without a reason: the ledger refuses, naming justification.
        late = (datetime.now(UTC) - timedelta(days=30) + BEIJING).strftime("%Y-%m-%dT%H:%M")
        inspector.fill(f"{form} [name=occurred_at]", late)
        for select in inspector.locator(f"{form} #details select").all():
            select.select_option(index=1)
        inspector.click(f"{form} button[type=submit]")
        inspector.wait_for_selector(".form-error:not([hidden]), .field-error, [data-testid=event]")
        error = inspector.locator("[data-field=justification] [data-testid=field-error]")
        assert error.count() == 1, inspector.inner_text("#view")[:400]
        assert re.search(r"[\u4e00-\u9fff]", error.inner_text())
        screenshot(inspector, "refusal-next-to-field")
    finally:
        pages.close()


def test_a_stale_edit_says_who_changed_the_case(browser: Any, life: Life) -> None:
    case_id = life.ledger.report_hazard(
        Actor("insp", "张建国", Role.INSPECTOR, "城关镇"),
        life.clock.now,
        enterprise_code=FACTORY,
        sector="fire",
        location="配电房",
        description="电线私拉乱接",
        source="routine_inspection",
    )
    pages = Browser(browser, life, 1280)
    try:
        department = pages.as_role("department")
        department.goto(f"{life.url}/#/case/{case_id}")
        department.select_option("[data-testid=step-select]", "grade_hazard")
        department.wait_for_selector("[data-testid=form-grade_hazard]")
        # Meanwhile a colleague grades it.
        life.ledger.grade_hazard(
            Actor("fire-02", "李同事", Role.DEPARTMENT, "县消防救援大队"),
            life.clock.now,
            case_id,
            grade="general",
        )
        department.select_option("[data-testid=form-grade_hazard] [name=grade]", "general")
        department.click("[data-testid=form-grade_hazard] button[type=submit]")
        conflict = department.locator("[data-testid=conflict]")
        conflict.wait_for()
        assert "李同事" in conflict.inner_text()
    finally:
        pages.close()


def test_forms_offer_only_what_the_role_may_do(browser: Any, life: Life) -> None:
    pages = Browser(browser, life, 1280)
    try:
        auditor = pages.as_role("auditor")
        assert auditor.locator("[data-testid=nav-report]").is_hidden()
        enterprise = pages.as_role("enterprise")
        assert enterprise.locator("[data-testid=nav-users]").is_hidden()
        enterprise.goto(life.url + "/#/report")
        enterprise.wait_for_selector("[data-testid=form-report_hazard]")
        options = enterprise.locator("[name=source] option").all_inner_texts()
        assert options == ["请选择", "企业自查"]
    finally:
        pages.close()


def _reports(life: Life, location: str) -> int:
    """Hazards recorded at ``location``, counted in the event log itself."""
    tables = life.ledger.integrity.tables
    rows = tables.fetchall(
        f"SELECT COUNT(*) FROM {tables.log} WHERE topic LIKE '%HazardCase.Reported%'"
    )
    del location
    return int(rows[0][0])


def test_the_phone_page_sends_an_offline_report_once_when_back_online(
    browser: Any, life: Life
) -> None:
    pages = Browser(browser, life, 390)
    try:
        page = pages.as_role("inspector")
        page.goto(life.url + "/field")
        page.wait_for_selector("#quick select[name=sector] option", state="attached")
        before = _reports(life, "")
        page.context.set_offline(True)
        page.fill("#quick [name=enterprise_code]", FACTORY)
        page.select_option("#quick [name=sector]", "fire")
        page.fill("#quick [name=location]", "楼梯间")
        page.fill("#quick [name=description]", "疏散指示标志损坏")
        photo = png((20, 20, 200))
        page.set_input_files(
            "[data-testid=camera]", {"name": "sign.png", "mimeType": "image/png", "buffer": photo}
        )
        page.click("#quick button[type=submit]")
        page.wait_for_selector("[data-testid=pending]")
        screenshot(page, "field-offline")
        assert _reports(life, "") == before
        # Back online, the first answer is lost on the way back (the service recorded the
        # report, the phone never heard): the entry stays and is retried with its key.
        lost: list[str] = []

        def lose_first_answer(route: Any) -> None:
            if lost:
                route.continue_()
                return
            lost.append(route.request.headers.get("idempotency-key", ""))
            route.fetch()
            route.abort()

        page.route("**/hazards", lose_first_answer)
        page.context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_timeout(500)
        assert lost and lost[0]
        assert _reports(life, "") == before + 1
        page.evaluate("flush()")
        page.wait_for_selector("[data-testid=sent]")
        assert _reports(life, "") == before + 1
        assert "已记录" in page.inner_text("[data-testid=sent]")
        # The photo taken offline went up with the report and the event cites it.
        case_id = page.get_attribute("[data-testid=sent]", "data-case")
        reported = timeline_of(life, "inspector", str(case_id))[0]
        assert reported["changes"]["evidence"] == ["sha256:" + hashlib.sha256(photo).hexdigest()]
        screenshot(page, "field-sent")
    finally:
        pages.close()
