"""Township rankings and reports, and accident counts with year-on-year change.

Enterprises sit in 城关镇 (620826100), in a village of 甘沟镇 (620826107201) and at
county level (620826); accidents happen in March 2025 and March 2026. Expectations are
the script's own figures.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import orjson
from typer.testing import CliRunner

from api.cli import app as cli
from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code, region_name
from ledger.enterprise import Person
from ledger.scope import Scope
from projections.queries import ReadModels
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, INSPECTOR

from .helpers import follower

CST = timezone(timedelta(hours=8))
EVERYTHING = Scope.everything()
PLACES = {
    make_credit_code("91620826MA71TWN10"): "620826100",  # 城关镇
    make_credit_code("91620826MA71TWN20"): "620826107201",  # 甘沟镇屯堡村
    make_credit_code("91620826MA71TWN30"): "620826",  # county level
}
CHENGGUAN, VILLAGE, COUNTY = PLACES


def _story(ledger: HazardLedger, clock: FakeClock) -> None:
    def at(when: datetime) -> datetime:
        clock.now = when + timedelta(minutes=5)
        return when

    for code, region in PLACES.items():
        ledger.register_enterprise(
            INSPECTOR,
            at(datetime(2025, 1, 2, 9, tzinfo=CST)),
            credit_code=code,
            name=f"企业{region}",
            region_code=region,
            sectors=["fire"],
            principal=Person(f"p-{code}", "负责人"),
        )
    # Hazards of March 2026: two in 城关镇 (one closed on the spot), one in the village,
    # one at county level.
    for code, closed in ((CHENGGUAN, True), (CHENGGUAN, False), (VILLAGE, False), (COUNTY, True)):
        when = at(datetime(2026, 3, 3, 10, tzinfo=CST))
        case_id = ledger.report_hazard(
            INSPECTOR,
            when,
            enterprise_code=code,
            sector="fire",
            location="仓库",
            description="灭火器过期失效",
            source="grid_patrol",
        )
        ledger.grade_hazard(INSPECTOR, when, case_id, grade="general")
        if closed:
            ledger.rectify_on_spot(INSPECTOR, when, case_id, measures="当场更换灭火器")

    def accident(code: str, when: datetime, deaths: int, injuries: int, loss: str) -> None:
        ledger.execute(
            c.RecordAccident(
                occurred_at=at(when),
                enterprise_code=code,
                sector="fire",
                place="车间",
                description="火灾",
                deaths=deaths,
                serious_injuries=injuries,
                direct_loss=Decimal(loss),
            ),
            DEPARTMENT,
        )

    accident(CHENGGUAN, datetime(2025, 3, 10, 9, tzinfo=CST), 0, 1, "100000")
    accident(VILLAGE, datetime(2025, 3, 20, 9, tzinfo=CST), 0, 0, "50000")
    accident(CHENGGUAN, datetime(2026, 3, 10, 9, tzinfo=CST), 3, 2, "2500000.50")
    accident(COUNTY, datetime(2026, 3, 31, 23, tzinfo=CST), 1, 0, "0")  # still March in CST
    clock.now = datetime(2026, 4, 2, 9, tzinfo=CST)
    f = follower(ledger)
    f.catch_up()
    f.close()


def test_township_ranking_groups_by_the_nine_digit_prefix(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    _story(ledger, clock)
    models = ReadModels(ledger.store)
    try:
        rows = models.ranking("620826", "2026-03", scope=EVERYTHING, by="township")
        units = {r["unit"]: r for r in rows}
        assert set(units) == {"620826100", "620826107", "620826"}
        assert (units["620826100"]["hazards_found"], units["620826100"]["rectified"]) == (2, 1)
        assert units["620826100"]["unit_name"] == "城关镇"
        assert units["620826107"]["unit_name"] == "甘沟镇"
        counties = models.ranking("620826", "2026-03", scope=EVERYTHING, by="region")
        assert [(r["unit"], r["hazards_found"]) for r in counties] == [("620826", 4)]
        # A township official ranks only what the township holds.
        mine = models.ranking(
            None, "2026-03", scope=Scope(region_prefix="620826107"), by="township"
        )
        assert [r["unit"] for r in mine] == ["620826107"]
    finally:
        models.close()


def test_township_monthly_report_and_accidents_year_on_year(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    _story(ledger, clock)
    models = ReadModels(ledger.store)
    try:
        county = models.monthly_report("620826", "2026-03", scope=EVERYTHING)
        assert county["total"]["hazards_found"] == 4
        acc = county["accidents"]
        assert (acc["count"], acc["deaths"], acc["serious_injuries"]) == (2, 4, 2)
        assert acc["direct_loss"] == "2500000.5"
        assert acc["by_level"] == {"general": 1, "larger": 1}
        assert acc["previous_year"]["count"] == 2
        assert acc["previous_year"]["direct_loss"] == "150000"
        assert acc["change"]["count"] == 0.0
        assert acc["change"]["serious_injuries"] == 1.0  # 1 -> 2: up 100%
        assert acc["change"]["deaths"] is None  # nothing the year before

        town = models.monthly_report("620826100", "2026-03", scope=EVERYTHING)
        assert town["region_name"] == "城关镇"
        assert town["total"]["hazards_found"] == 2 and town["total"]["rectified"] == 1
        assert (town["accidents"]["count"], town["accidents"]["previous_year"]["count"]) == (1, 1)
        village = models.monthly_report("620826107201", "2026-03", scope=EVERYTHING)
        assert village["total"]["hazards_found"] == 1
        assert (village["accidents"]["count"], village["accidents"]["change"]["count"]) == (
            0,
            -1.0,
        )
        # Outside the viewer's township: nothing, as for a township with no records.
        hidden = models.monthly_report(
            "620826100", "2026-03", scope=Scope(region_prefix="620826107")
        )
        assert hidden["total"]["hazards_found"] == 0 and hidden["accidents"]["count"] == 0
    finally:
        models.close()


def test_the_cli_answers_township_reports_and_rankings(
    ledger: HazardLedger, clock: FakeClock, store_url: str
) -> None:
    _story(ledger, clock)
    runner = CliRunner()
    report = runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "--json",
            "report",
            "monthly",
            "--region",
            "620826100",
            "--month",
            "2026-03",
        ],
    )
    assert report.exit_code == 0, report.output
    assert orjson.loads(report.output)["accidents"]["count"] == 1
    ranking = runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "--json",
            "report",
            "ranking",
            "--region",
            "620826",
            "--month",
            "2026-03",
            "--by",
            "township",
        ],
    )
    assert ranking.exit_code == 0, ranking.output
    assert {r["unit"] for r in orjson.loads(ranking.output)} == {
        "620826100",
        "620826107",
        "620826",
    }


def test_the_cli_reports_name_the_county_and_townships(
    ledger: HazardLedger, clock: FakeClock, store_url: str
) -> None:
    """Officials read names: the ranking by township, the monthly header and the
    register say 城关镇/静宁县, not 620826100/620826; a code no list names is shown as
    itself, never as a blank."""
    _story(ledger, clock)
    runner = CliRunner()
    base = ["--store", store_url, "report"]
    ranking = runner.invoke(
        cli, [*base, "ranking", "--region", "620826", "--month", "2026-03", "--by", "township"]
    )
    assert ranking.exit_code == 0, ranking.output
    for name in ("城关镇", "甘沟镇", "静宁县"):
        assert name in ranking.output, name
    assert "620826" not in ranking.output
    monthly = runner.invoke(cli, [*base, "monthly", "--region", "620826", "--month", "2026-03"])
    assert monthly.exit_code == 0, monthly.output
    assert monthly.output.startswith("静宁县月度报表 2026-03")
    as_json = runner.invoke(
        cli, [*base[:2], "--json", "report", "monthly", "--region", "620826", "--month", "2026-03"]
    )
    assert orjson.loads(as_json.output)["region_name"] == "静宁县"
    register = runner.invoke(cli, ["--store", store_url, "register"])
    assert register.exit_code == 0, register.output
    assert "城关镇" in register.output and " 620826100 " not in register.output
    assert region_name("620826") == "静宁县" and region_name("620521") == "620521"
    assert region_name("") == ""
