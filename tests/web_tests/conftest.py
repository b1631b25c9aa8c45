"""A real server and Debian's Chromium, driven by Playwright.

The browser is the system's (``/usr/bin/chromium``, installed by ``.ci/run``); nothing is
downloaded at test time. Without it these tests skip with a visible reason, unless
``LEDGER_REQUIRE_BROWSER`` is set (CI sets it), in which case they fail.
Screenshots of each main page are written to ``artifacts/screenshots/`` (or
``$LEDGER_ARTIFACTS``).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

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

CHROMIUM = os.environ.get("LEDGER_CHROMIUM", "/usr/bin/chromium")
FACTORY = make_credit_code("91620826MA72FCTY0")
ARTIFACTS = Path(
    os.environ.get("LEDGER_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts")
)


def browser_or_skip() -> str:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("LEDGER_REQUIRE_BROWSER"):
        pytest.fail(f"Chromium not found at {CHROMIUM} but LEDGER_REQUIRE_BROWSER is set")
    pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")


@dataclass
class Site:
    url: str
    token: str
    auditor_token: str
    ledger: HazardLedger
    clock: FakeClock
    case_id: UUID
    late_case_id: UUID


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(ledger: HazardLedger, clock: FakeClock) -> dict[str, Any]:
    """The furniture factory of SCENARIOS.md 4, in small."""
    inspector = Actor("insp-web", "张建国", Role.INSPECTOR, "城关镇")
    official = Actor("fire-01", "刘消防", Role.DEPARTMENT, "县消防救援大队")
    start = clock.now
    ledger.register_enterprise(
        inspector,
        start,
        credit_code=FACTORY,
        name="静宁县某家具厂",
        region_code="620826",
        sectors=["fire"],
        principal=Person("p-f", "马厂长"),
    )
    case_id = ledger.report_hazard(
        inspector,
        start,
        enterprise_code=FACTORY,
        sector="fire",
        location="成品仓库",
        description="安全出口被货物堵塞",
        source="routine_inspection",
    )
    clock.advance(hours=2)
    ledger.grade_hazard(official, clock.now, case_id, grade="major", criteria=["FIRE-5.2-c"])
    clock.advance(days=1)
    ledger.assign_rectification(
        official,
        clock.now,
        case_id,
        department="县消防救援大队",
        deadline=clock.now + timedelta(days=30),
        requirements="清理安全出口",
    )
    clock.advance(days=10)
    occurred = clock.now - timedelta(days=9)
    late_case = ledger.report_hazard(
        inspector,
        occurred,
        enterprise_code=FACTORY,
        sector="fire",
        location="车间",
        description="灭火器过期",
        source="routine_inspection",
        justification="纸质记录补录",
    )
    clock.advance(hours=1)
    return {"case_id": case_id, "late_case_id": late_case}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    clock = FakeClock(datetime(2026, 2, 20, 9, 0, tzinfo=UTC))
    store = str(Path(tmp_path_factory.mktemp("web")) / "ledger.db")
    ledger = HazardLedger(store, clock=clock)
    keys = Path(tmp_path_factory.mktemp("keys"))
    create_keys(keys)
    ledger.integrity.use_key_directory(keys)
    facts = seed(ledger, clock)
    ledger.integrity.issue_checkpoint()
    from projections.follower import Follower
    from projections.registry import all_projections

    follower = Follower(ledger, all_projections())
    follower.catch_up()
    follower.close()
    app = create_app(Settings(store=store, clock=clock), ledger=ledger)
    users = app.state.services.users
    token = users.add(User("insp-web", "张建国", Role.INSPECTOR, "城关镇", "620826"), now=clock.now)
    auditor = users.add(User("aud-web", "孙审", Role.AUDITOR, "市纪委监委", "6208"), now=clock.now)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield Site(
        f"http://127.0.0.1:{port}",
        token,
        auditor,
        ledger,
        clock,
        facts["case_id"],
        facts["late_case_id"],
    )
    server.should_exit = True
    thread.join(timeout=10)
    ledger.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        timezone_id="Asia/Shanghai",
        locale="zh-CN",
    )
    pg = context.new_page()
    yield pg
    context.close()


def screenshot(page: Any, name: str) -> Path:
    target = ARTIFACTS / "screenshots" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target


def sign_in(page: Any, site: Site, token: str | None = None) -> None:
    page.goto(site.url + "/")
    page.fill("#token", token or site.token)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#who:has-text('·')")
