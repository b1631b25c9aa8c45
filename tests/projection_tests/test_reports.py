"""The monthly report, the listed-supervision board and the ranking on hand-built stories.

Scenario 1 (SCENARIOS.md): one gas hazard found on 3 March in 620826, assigned with a
15-day deadline, reported rectified on 10 March, verified and closed on 12 March.
Scenario 2: a listed major hazard; "major open" goes 1 → 0 when it is closed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import orjson
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.scope import Scope
from projections.queries import ReadModels, evaluation
from tests.conftest import FakeClock
from tests.support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    GOVERNMENT,
    INSPECTOR,
    RESTAURANT_CODE,
    assigned_case,
    register_restaurant,
    report_case,
)

from .helpers import follower

EVERYTHING = Scope.everything()


def catch_up(ledger: HazardLedger) -> None:
    f = follower(ledger)
    f.catch_up()
    f.close()


def scenario_one(ledger: HazardLedger, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 Beijing time
    inspection = ledger.record_inspection(
        INSPECTOR,
        clock.now,
        enterprise_code=_register(ledger, clock),
        sector="city_gas",
        inspection_type="grid_patrol",
        team=["张建国"],
    )
    assert inspection
    case_id = assigned_case_existing(ledger, clock.now)
    clock.now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    ledger.report_rectification(
        ENTERPRISE_USER,
        clock.now,
        case_id,
        measures="软管改金属管，加装报警器",
        completed_at=clock.now,
        evidence=["sha256:aa"],
    )
    clock.now = datetime(2026, 3, 12, 2, 0, tzinfo=UTC)
    ledger.verify_rectification(DEPARTMENT, clock.now, case_id, accepted=True, opinion="合格")
    ledger.close_hazard(DEPARTMENT, clock.now, case_id)


def _register(ledger: HazardLedger, clock: FakeClock) -> str:
    return register_restaurant(ledger, clock.now)


def assigned_case_existing(ledger: HazardLedger, at: datetime) -> UUID:
    """A general gas hazard found at ``at`` and assigned with a 15-day deadline."""
    case_id = report_case(ledger, at)
    ledger.grade_hazard(INSPECTOR, at, case_id, grade="general")
    ledger.assign_rectification(
        INSPECTOR,
        at,
        case_id,
        department="静宁县住房和城乡建设局",
        deadline=at + timedelta(days=15),
        requirements="整改",
    )
    return case_id


def test_scenario_one_monthly_report(ledger: HazardLedger, clock: FakeClock) -> None:
    scenario_one(ledger, clock)
    catch_up(ledger)
    models = ReadModels(ledger.store)
    for region in ("620826", "6208", "62"):
        report = models.monthly_report(region, "2026-03", scope=EVERYTHING)
        [gas] = report["sectors"]
        assert gas["sector"] == "city_gas"
        assert (gas["hazards_found"], gas["deadline_rectifications"], gas["rectified"]) == (1, 1, 1)
        assert gas["rectified_on_spot"] == 0
        assert gas["rectification_rate"] == 1.0
        assert gas["units_inspected"] == 1 and gas["inspections"] == 1
        assert gas["major_open"] == 0 and gas["overdue"] == 0
        assert report["total"]["hazards_found"] == 1
    assert models.monthly_report("620802", "2026-03", scope=EVERYTHING)["sectors"] == []
    assert (
        models.monthly_report("620826", "2026-04", scope=EVERYTHING)["total"]["hazards_found"] == 0
    )
    models.close()


def test_scenario_one_before_the_rectification_the_rate_is_zero(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    _register(ledger, clock)
    assigned_case_existing(ledger, clock.now)
    catch_up(ledger)
    models = ReadModels(ledger.store)
    gas = models.monthly_report("620826", "2026-03", valid_at=clock.now, scope=EVERYTHING)["total"]
    assert (gas["hazards_found"], gas["rectified"], gas["rectification_rate"]) == (1, 0, 0.0)
    late = models.monthly_report(
        "620826", "2026-03", valid_at=clock.now + timedelta(days=16), scope=EVERYTHING
    )
    assert late["total"]["overdue"] == 1
    models.close()


def test_cli_prints_the_seed_style_summary(ledger: HazardLedger, clock: FakeClock) -> None:
    scenario_one(ledger, clock)
    store = ledger.store.url
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", store, "project"])
    assert result.exit_code == 0, result.output
    zh = runner.invoke(
        cli, ["--store", store, "report", "monthly", "--region", "620826", "--month", "2026-03"]
    )
    assert zh.exit_code == 0, zh.output
    assert "排查隐患" in zh.output and "100.0%" in zh.output
    en = runner.invoke(
        cli,
        [
            "--store",
            store,
            "report",
            "monthly",
            "--region",
            "620826",
            "--month",
            "2026-03",
            "--lang",
            "en",
        ],
    )
    assert "rectified so far" in en.output
    js = runner.invoke(
        cli,
        [
            "--store",
            store,
            "report",
            "monthly",
            "--region",
            "620826",
            "--month",
            "2026-03",
            "--json",
        ],
    )
    assert orjson.loads(js.stdout)["total"]["rectified"] == 1
    reg = runner.invoke(cli, ["--store", store, "--json", "register", "--region", "6208"])
    assert len(orjson.loads(reg.stdout)["items"]) == 1
    bad = runner.invoke(
        cli, ["--store", store, "report", "monthly", "--region", "620826", "--month", "March"]
    )
    assert bad.exit_code == 2 and "month" in bad.output


def test_scenario_two_major_open_goes_to_zero(ledger: HazardLedger, clock: FakeClock) -> None:
    clock.now = datetime(2026, 4, 5, 2, 0, tzinfo=UTC)
    case_id = assigned_case(ledger, clock.now, major=True)
    ledger.list_for_supervision(
        GOVERNMENT, clock.now, case_id, level="county", authority="静宁县安委办"
    )
    catch_up(ledger)
    models = ReadModels(ledger.store)
    assert models.monthly_report("620826", "2026-04", scope=EVERYTHING)["total"]["major_open"] == 1
    [listed] = models.listed_board("620826", scope=EVERYTHING).items
    assert listed["case_id"] == str(case_id) and listed["listing_level"] == "county"
    clock.now += timedelta(days=3)
    ledger.extend_deadline(
        GOVERNMENT,
        clock.now,
        case_id,
        new_deadline=clock.now + timedelta(days=60),
        reason="新建库房",
        approver="陈芳",
    )
    clock.now += timedelta(days=20)
    ledger.report_rectification(
        ENTERPRISE_USER, clock.now, case_id, measures="分区储存", completed_at=clock.now
    )
    ledger.file_assessment(ENTERPRISE_USER, clock.now, case_id, summary="评估合格")
    clock.now += timedelta(days=8)
    ledger.verify_rectification(DEPARTMENT, clock.now, case_id, accepted=True, opinion="验收合格")
    ledger.close_hazard(DEPARTMENT, clock.now, case_id)
    ledger.delist(GOVERNMENT, clock.now, case_id)
    ledger.issue_action(
        DEPARTMENT,
        clock.now,
        kind="penalty",
        document_number="罚-1",
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        department="静宁县住房和城乡建设局",
        legal_basis="安全生产法第一百零二条",
        case_ids=[case_id],
        fine_amount=Decimal("20000.50"),
    )
    catch_up(ledger)
    report = models.monthly_report("620826", "2026-04", scope=EVERYTHING)["total"]
    assert (report["major_found"], report["major_rectified"], report["major_open"]) == (1, 1, 0)
    may = models.monthly_report("620826", "2026-05", scope=EVERYTHING)["total"]
    assert (may["fines_count"], may["fines_amount"], may["documents_issued"]) == (1, "20000.5", 1)
    assert models.listed_board("620826", scope=EVERYTHING).items == []
    profile = models.enterprise_profile(RESTAURANT_CODE, scope=EVERYTHING)
    assert profile["hazards_total"] == 1 and profile["hazards_open"] == 0
    assert [a["document_number"] for a in profile["enforcement"]] == ["罚-1"]
    models.close()


def test_ranking_orders_by_the_documented_index(ledger: HazardLedger, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    assigned_case(ledger, clock.now)  # 620826: one open hazard, overdue later
    catch_up(ledger)
    models = ReadModels(ledger.store)
    at = clock.now + timedelta(days=20)
    [row] = models.ranking("62", "2026-03", valid_at=at, scope=EVERYTHING)
    expected = evaluation(
        "620826",
        found=1,
        closed=0,
        deadlines=1,
        overdue=1,
        timed=0,
        on_time=0,
        major_open=0,
        actions=0,
    )
    assert row["index"] == expected["index"] == 100 * (0.20 + 0.15)
    assert row["rank"] == 1
    [dept] = models.ranking("62", "2026-03", by="department", valid_at=at, scope=EVERYTHING)
    assert dept["unit"] == "静宁县住房和城乡建设局"
    models.close()


def test_evaluation_rewards_rectification() -> None:
    good = evaluation(
        "a",
        found=10,
        closed=10,
        deadlines=5,
        overdue=0,
        timed=5,
        on_time=5,
        major_open=0,
        actions=10,
    )
    bad = evaluation(
        "b", found=10, closed=2, deadlines=5, overdue=4, timed=1, on_time=0, major_open=2, actions=0
    )
    assert good["index"] == 100.0 and bad["index"] < good["index"]
