"""How long the case page and the dashboard take to render in Chromium on a ledger.

    python bench/web_render.py --store demo/ledger.db [--runs 5]

Serves the ledger on 127.0.0.1 (uvicorn, one worker), signs in with a fresh auditor
token, and times from navigation until the page's data is on screen: the case page's
full timeline (for the case with the most events), the dashboard's figures and the
register's first page with its total. Prints
median and worst of the runs. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402

from api.app import Settings, create_app  # noqa: E402
from api.users import User  # noqa: E402
from ledger.application import HazardLedger  # noqa: E402
from ledger.identity import Role  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    ledger = HazardLedger(args.store)
    app = create_app(Settings(store=args.store, follow=False), ledger=ledger)
    users = app.state.services.users
    name = f"bench-{time.time_ns()}"
    token = users.add(
        User(name, "基准", Role.AUDITOR, "bench", ""),
        now=ledger.clock(),
        valid_for=timedelta(hours=1),
    )
    row = ledger.integrity.tables.fetchall(
        f"SELECT originator_id, COUNT(*) c FROM {ledger.integrity.tables.log} "
        "WHERE topic LIKE '%HazardCase%' GROUP BY originator_id ORDER BY c DESC LIMIT 1"
    )[0]
    from uuid import UUID

    case_id = UUID(str(row[0]))
    events = int(row[1])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    from playwright.sync_api import sync_playwright

    case_times, dash_times, register_times = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=args.chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.goto(base + "/")
        page.fill("#token", token)
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#who:has-text('·')")
        for _ in range(args.runs):
            t = time.perf_counter()
            page.goto(f"{base}/#/case/{case_id}")
            page.wait_for_function(
                f"document.querySelectorAll('[data-testid=event]').length === {events}"
                " && document.querySelector('[data-testid=proof]') !== null"
            )
            case_times.append(time.perf_counter() - t)
            page.goto(base + "/#/register")
            t = time.perf_counter()
            page.goto(f"{base}/#/dashboard?month=2026-10&region=620826")
            page.wait_for_selector("[data-testid=kpis] .kpi")
            page.wait_for_selector("#trend .u-wrap, #trend .error")
            dash_times.append(time.perf_counter() - t)
            page.goto(base + "/#/plugins")
            t = time.perf_counter()
            page.goto(base + "/#/register")
            page.wait_for_selector("[data-testid=register] tbody tr")
            page.wait_for_function(
                "document.querySelector('[data-testid=total]').textContent !== ''"
            )
            register_times.append(time.perf_counter() - t)
            page.goto(base + "/#/plugins")
        browser.close()
    server.should_exit = True
    ledger.close()
    for label, xs in (
        (f"case page ({events} events, with proofs)", case_times),
        ("dashboard (monthly report, trend, two rankings)", dash_times),
        ("register (first 50 rows and the total count)", register_times),
    ):
        print(
            f"{label}: median {statistics.median(xs) * 1000:.0f} ms, "
            f"worst {max(xs) * 1000:.0f} ms over {len(xs)} runs"
        )


if __name__ == "__main__":
    main()
