"""The campaign's tables on both stores: what each figure counts, scope, periods, exports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.cli import app as cli
from ledger import commands as c
from ledger.application import HazardLedger
from ledger.scope import Scope
from projections.campaign import parse_period
from projections.queries import NotForEnterprises
from projections.reads import Reads
from tests.conftest import FakeClock
from tests.support import DEPARTMENT

from .history import History, at

EVERYTHING = Scope.everything()
MARCH = parse_period("2026-03")


def _story(h: History) -> dict[str, str]:
    with h.unit(date(2026, 3, 31)):
        gas = h.enterprise("city_gas")
        fire = h.enterprise("fire", region="620821")
        h.inspect(gas, "city_gas", date(2026, 3, 2), team=4)
        h.inspect(gas, "city_gas", date(2026, 3, 3), team=2, kind="guidance")
        h.inspect(fire, "fire", date(2026, 3, 4), team=3)
        h.hazard(gas, "city_gas", date(2026, 3, 2), source="self_inspection")
        h.hazard(gas, "city_gas", date(2026, 3, 2), source="public_report", mode="deadline_open")
        reopened = h.hazard(gas, "city_gas", date(2026, 3, 5), source="expert_diagnosis")
        h.hazard(fire, "fire", date(2026, 3, 4), listing="county", major=True, mode="deadline_open")
        h.hazard(fire, "fire", date(2026, 2, 28))  # February: not in March
        h.action(gas, "city_gas", date(2026, 3, 6), "penalty", fine="1500.50")
        h.action(gas, "city_gas", date(2026, 3, 7), "penalty", fine="500")
        revoked = h.action(gas, "city_gas", date(2026, 3, 8), "warning_letter")
        h.action(fire, "fire", date(2026, 3, 31), "summons")
        h.accident(fire, "fire", date(2026, 3, 9), deaths=1, injuries=2)
    with h.unit(date(2026, 4, 2)):
        h._run(c.ReopenHazard(occurred_at=at(date(2026, 4, 2)), case_id=reopened, reason="复发"))
        h._run(
            c.RevokeAction(occurred_at=at(date(2026, 4, 2)), action_id=revoked, reason="错发"),
            DEPARTMENT,
        )
    h.build(date(2026, 4, 3))
    return {"gas": gas, "fire": fire}


@pytest.fixture
def story(ledger: HazardLedger, clock: FakeClock) -> tuple[Reads, dict[str, str]]:
    return Reads(ledger), _story(History(ledger, clock))


def test_each_figure_counts_what_its_title_says(story: tuple[Reads, dict[str, str]]) -> None:
    reads, _ = story
    sources = reads.campaign("sources", "6208", MARCH, scope=EVERYTHING)
    gas = {r["sector"]: r for r in sources["rows"]}["city_gas"]
    # self (on the spot), public report (under a deadline), expert (rectified, reopened in April)
    assert (gas["hazards_found"], gas["rectified"]) == (3, 1)
    assert (gas["self_found"], gas["public_report_found"], gas["expert_found"]) == (1, 1, 1)
    assert (gas["self_rectified"], gas["expert_rectified"]) == (1, 0)
    # As it stood on 31 March the expert's hazard was rectified.
    before = reads.campaign(
        "sources", "6208", MARCH, scope=EVERYTHING, valid_at=datetime(2026, 3, 31, tzinfo=UTC)
    )
    assert before["total"]["rectified"] == 2
    assert sources["total"]["hazards_found"] == 4  # the February hazard is not in March
    acts = reads.campaign("enforcement", "6208", MARCH, scope=EVERYTHING)["total"]
    assert (acts["penalty"], acts["penalty_units"], acts["fined_units"]) == (2, 1, 1)
    assert acts["fines_amount"] == "2000.5"
    assert acts["warning_letter"] == 0  # revoked
    assert (acts["summons"], acts["disciplined_units"], acts["documents_issued"]) == (1, 1, 3)
    effort = reads.campaign("effort", "6208", MARCH, scope=EVERYTHING)["total"]
    assert (effort["units_inspected"], effort["inspections"], effort["person_times"]) == (2, 3, 9)
    assert (effort["guidance_visits"], effort["guidance_units"]) == (1, 1)
    listings = reads.campaign("listings", "6208", MARCH, scope=EVERYTHING)
    assert [(r["sector"], r["level"], r["listed"]) for r in listings["rows"]] == [
        ("fire", "county", 1)
    ]
    accidents = reads.campaign("accidents", "6208", MARCH, scope=EVERYTHING)["total"]
    assert (accidents["count"], accidents["deaths"], accidents["serious_injuries"]) == (1, 1, 2)


def test_source_filter_and_cumulative(story: tuple[Reads, dict[str, str]]) -> None:
    reads, _ = story
    expert = reads.campaign("sources", "6208", MARCH, scope=EVERYTHING, source="expert")
    assert expert["total"]["hazards_found"] == 1
    assert "self_found" not in expert["total"]
    one = reads.campaign("sources", "6208", MARCH, scope=EVERYTHING, source="public_report")
    assert one["total"]["hazards_found"] == 1
    since = reads.campaign("sources", "6208", MARCH, scope=EVERYTHING, since=date(2026, 2, 1))
    assert since["cumulative"]["total"]["hazards_found"] == 5
    with pytest.raises(ValueError, match="source"):
        reads.campaign("sources", "6208", MARCH, scope=EVERYTHING, source="rumour")


def test_scope_narrows_every_table_and_enterprises_are_refused(
    story: tuple[Reads, dict[str, str]],
) -> None:
    reads, codes = story
    county = Scope(region_prefix="620821")
    fire_only = Scope(sectors=frozenset({"fire"}))
    for table in ("sources", "listings", "enforcement", "effort", "accidents"):
        for scope in (county, fire_only):
            answer = reads.campaign(table, "6208", MARCH, scope=scope)
            assert {r["sector"] for r in answer["rows"]} <= {"fire"}, (table, scope)
        with pytest.raises(NotForEnterprises):
            reads.campaign(table, None, MARCH, scope=Scope(enterprise_code=codes["gas"]))
    outside = reads.campaign("sources", "620826", MARCH, scope=county)
    assert outside["total"]["hazards_found"] == 0


@given(year=st.integers(2000, 2099), month=st.integers(1, 12), quarter=st.integers(1, 4))
def test_periods_cover_their_days_exactly(year: int, month: int, quarter: int) -> None:
    m = parse_period(f"{year}-{month:02d}")
    assert (m.start.day, (m.end + timedelta(days=1)).day) == (1, 1)
    assert m.start.month == m.end.month == month
    q = parse_period(f"{year}-Q{quarter}")
    assert q.start == date(year, 3 * quarter - 2, 1) and (q.end + timedelta(days=1)).day == 1
    y = parse_period(str(year))
    assert (y.start, y.end) == (date(year, 1, 1), date(year, 12, 31))
    for bad in (f"{year}-13", f"{year}-Q5", f"{year}-03-02..{year}-03-01", "soon"):
        with pytest.raises(ValueError, match=r"period|to"):
            parse_period(bad)


def test_exports_open_with_typed_cells(
    ledger: HazardLedger, clock: FakeClock, store_url: str, tmp_path: Path
) -> None:
    _story(History(ledger, clock))
    runner = CliRunner()
    xlsx, csv = tmp_path / "e.xlsx", tmp_path / "s.csv"
    base = ["--store", store_url, "report"]
    done = runner.invoke(
        cli,
        [
            *base,
            "enforcement",
            "2026-03",
            "--region",
            "6208",
            "--since",
            "2026-01-01",
            "-o",
            str(xlsx),
        ],
    )
    assert done.exit_code == 0, done.output
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[1])
    total = dict(zip(header, rows[-1], strict=True))
    assert total["行业领域"] == "合计"
    assert total["罚款金额（元）"] == 2000.5 and total["行政处罚（份）"] == 2
    assert total["累计罚款金额（元）"] == 2000.5
    assert "城镇燃气" in {r[0] for r in rows[2:]}  # sectors named, not coded
    done = runner.invoke(
        cli, [*base, "sources", "--from", "2026-03-01", "--to", "2026-03-31", "-o", str(csv)]
    )
    assert done.exit_code == 0, done.output
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("行业领域,排查隐患（条）,已整改（条）,整改率")
    assert lines[-1].startswith("合计,4,1,25.0%")
    shown = runner.invoke(cli, [*base, "effort", "2026-03", "--region", "6208"])
    assert "出动人次：9" in shown.output, shown.output
    refused = runner.invoke(cli, [*base, "effort", "2026-13"])
    assert refused.exit_code == 2 and "YYYY-MM" in refused.output
