"""Two clocks: the record as it was in the world at T, as known at T, and both.

A rectification done before the incident but typed in after it is the late-entry
story: at the incident the ledger showed the case assigned and overdue; what we know
now says it had been reported rectified. The review, ``case show`` and ``enterprise
show`` must all show the difference and flag the late entry.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from uuid import UUID

from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.review.report import build_review
from ledger.scope import Scope

from ..conftest import FakeClock
from ..support import ENTERPRISE_USER, RESTAURANT_CODE, assigned_case

runner = CliRunner()
T0 = datetime.fromisoformat("2026-03-03T09:00:00+00:00")
INCIDENT = T0 + timedelta(days=20)  # deadline was T0 + 15 days


def late_rectification(ledger: HazardLedger, clock: FakeClock) -> UUID:
    """Assigned at T0; rectified on day 14 but typed in on day 30, with a reason."""
    case_id = assigned_case(ledger, T0)
    clock.now = T0 + timedelta(days=30)
    ledger.report_rectification(
        ENTERPRISE_USER,
        T0 + timedelta(days=14),
        case_id,
        measures="改为金属管道并加装报警器",
        completed_at=T0 + timedelta(days=14),
        justification="纸质整改报告当时未及时录入",
    )
    return case_id


def test_state_as_it_was_and_as_it_was_known(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = late_rectification(ledger, clock)
    was = ledger.case_at(case_id, valid_at=INCIDENT)
    known = ledger.case_at(case_id, valid_at=INCIDENT, known_at=INCIDENT)
    assert was is not None and known is not None
    assert was.status == "rectification_reported" and not was.is_overdue(INCIDENT)
    assert known.status == "assigned" and known.is_overdue(INCIDENT)
    # Known at the incident but as the world stood before the rectification: same.
    assert ledger.case_at(case_id, known_at=INCIDENT).version == known.version
    # Nothing known yet before the case was recorded.
    assert ledger.case_at(case_id, known_at=T0 - timedelta(seconds=1)) is None


def test_review_shows_the_difference(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = late_rectification(ledger, clock)
    report = build_review(ledger, RESTAURANT_CODE, INCIDENT, scope=Scope.everything())
    [hazard] = report["hazards"]
    assert hazard["id"] == str(case_id)
    assert hazard["state_at_incident"]["status"] == "rectification_reported"
    assert hazard["state_known_at_incident"]["status"] == "assigned"
    assert hazard["state_known_at_incident"]["overdue"] is True
    assert {"status", "overdue", "measures", "completed_at"} <= set(hazard["differences"])
    late_row = next(r for r in hazard["events"] if r["event"] == "RectificationReported")
    assert late_row["late"] and late_row["late_by_days"] == 16
    assert late_row["recorded_after_incident"] and not late_row["after_incident"]
    assert late_row["justification"] == "纸质整改报告当时未及时录入"
    assert {f["rule"] for f in report["findings"]} == {"AUD-RECORDED-AFTER-INCIDENT"}


def test_case_show_at_both_clocks(store_url: str, ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = late_rectification(ledger, clock)
    moment = INCIDENT.isoformat()

    def show(*args: str) -> dict:
        result = runner.invoke(
            cli, ["--store", store_url, "--json", "case", "show", str(case_id), *args]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    now = show()
    assert now["case"]["status"] == "rectification_reported"
    assert now["history"][-1]["late"] is True
    valid = show("--valid-at", moment)
    assert valid["case"]["status"] == "rectification_reported"
    both = show("--valid-at", moment, "--known-at", moment)
    assert both["case"]["status"] == "assigned" and both["case"]["overdue"] is True
    assert [r["event"] for r in both["history"]] == ["Reported", "Graded", "Assigned"]
    text = runner.invoke(cli, ["--store", store_url, "case", "show", str(case_id)])
    assert "[补录：晚 16 天]" in text.stdout
    before = runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "case",
            "show",
            str(case_id),
            "--known-at",
            "2026-01-01T00:00+08:00",
        ],
    )
    assert before.exit_code == 3


def test_enterprise_show_at_both_clocks(
    store_url: str, ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = late_rectification(ledger, clock)
    moment = INCIDENT.isoformat()

    def show(*args: str) -> dict:
        result = runner.invoke(
            cli, ["--store", store_url, "--json", "enterprise", "show", RESTAURANT_CODE, *args]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    [now] = show()["cases"]
    assert now["id"] == str(case_id) and now["late_entries"] == 1
    [then] = show("--known-at", moment, "--valid-at", moment)["cases"]
    assert then["status"] == "assigned" and then["overdue"] and then["late_entries"] == 0
    # Before the enterprise was registered there is nothing to show.
    before = runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "enterprise",
            "show",
            RESTAURANT_CODE,
            "--valid-at",
            (T0 - timedelta(days=1)).isoformat(),
        ],
    )
    assert before.exit_code == 3
    text = runner.invoke(cli, ["--store", store_url, "enterprise", "show", RESTAURANT_CODE])
    assert "[补录]" in text.stdout and "待复查" in text.stdout
