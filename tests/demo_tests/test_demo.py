"""The demo county: deterministic, calibrated, and carrying its planted irregularities."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from api.demo.generator import FACTORY_FIRE_CRITERIA, CountyYear, Planted
from ledger.application import HazardLedger
from ledger.audit import builtin_rules
from ledger.hazard import Status


def _generate(path: Path, seed: int, hazards: int) -> tuple[HazardLedger, CountyYear, Planted]:
    moment = [datetime(2026, 1, 1, tzinfo=UTC)]
    ledger = HazardLedger(str(path), clock=lambda: moment[0])
    year = CountyYear(
        ledger,
        lambda t: moment.__setitem__(0, t),
        seed=seed,
        hazards=hazards,
        until=datetime(2026, 11, 1, tzinfo=UTC),
    )
    return ledger, year, year.run()


def test_same_seed_same_history_other_seed_other_history(tmp_path: Path) -> None:
    a, _, _ = _generate(tmp_path / "a.db", seed=7, hazards=300)
    b, _, _ = _generate(tmp_path / "b.db", seed=7, hazards=300)
    c, _, _ = _generate(tmp_path / "c.db", seed=8, hazards=300)
    try:
        head_a, head_b, head_c = (x.integrity.tree_head() for x in (a, b, c))
        assert head_a == head_b  # same events, same clocks, same bytes: same Merkle root
        assert head_a != head_c
    finally:
        for x in (a, b, c):
            x.close()


def test_calibrated_county_year_with_planted_irregularities(tmp_path: Path) -> None:
    ledger, year, planted = _generate(tmp_path / "county.db", seed=2026, hazards=2000)
    try:
        tally = year.tally
        assert 1500 <= tally.hazards <= 2100  # ~2,053 found in a county year (seed 000)
        assert 0.01 <= tally.major / tally.hazards <= 0.05
        assert set(tally.by_sector) == {
            "fire",
            "city_gas",
            "construction",
            "special_equipment",
            "chemicals",
        }
        assert ledger.integrity.verify().ok
        # The self-verified closure: closed by the person who reported the rectification.
        fire = ledger.case(planted.fire_case_id)
        assert fire.status is Status.CLOSED and fire.criteria == FACTORY_FIRE_CRITERIA
        assert fire.closed_by == fire.rectification_reporter
        assert fire.verified_by != fire.rectification_reporter
        # The backdated entry: dated before the incident, recorded after it, justified.
        [recorded] = ledger.history(planted.backdated_inspection_id)
        assert recorded.occurred_at < planted.incident_at < recorded.timestamp
        assert recorded.justification
        # The closure whose measures say nothing.
        assert ledger.case(planted.vacuous_closure_case_id).measures == "已整改"
        # The gas alarm that proved false on site: dismissed before grading (误报核销).
        assert year.false_alarm_id is not None
        alarm = ledger.case(year.false_alarm_id)
        assert alarm.status is Status.DISMISSED and alarm.source == "sensor"
    finally:
        ledger.close()


def test_ledger_demo_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--dir", str(tmp_path / "demo"), "--hazards", "400"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo" / "ledger.db").exists()
    out = result.output
    titles = {rule.code: rule.title_zh for rule in builtin_rules()}
    for code in ("AUD-SELF-VERIFY", "AUD-RECORDED-AFTER-INCIDENT", "AUD-CLOSURE-NO-MEASURES"):
        assert titles[code] in out and code not in out  # officials read the rule's name
    assert "已录入" in out and "commands" not in out and "enterprises" not in out
    assert "通过" in out  # integrity verified
    assert "ledger serve" in out
    again = CliRunner().invoke(app, ["demo", "--dir", str(tmp_path / "demo")])
    assert again.exit_code == 2  # never overwrites a ledger without --force


def test_province_scale_runs_counties_side_by_side(tmp_path: Path) -> None:
    from api.demo.generator import province

    moment = [datetime(2024, 1, 1, tzinfo=UTC)]
    ledger = HazardLedger(str(tmp_path / "province.db"), clock=lambda: moment[0])
    try:
        planted, years = province(
            ledger,
            lambda t: moment.__setitem__(0, t),
            counties=3,
            years=2,
            first_year=2024,
            hazards=60,
        )
        assert len(years) == 6
        regions = {y.county for y in years}
        assert regions == {"620826", "620802", "620821"}
        # the planted fire of 2024 is graded by GB 35181-2017, in force then
        assert ledger.case(planted.fire_case_id).criteria == ("FIRE-D05",)
        assert sum(y.tally.hazards for y in years) >= 200
        assert ledger.integrity.verify().ok
    finally:
        ledger.close()
