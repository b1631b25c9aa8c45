"""What the printed papers say: the re-inspection opinion gives the deadline in force
(extended, with the original), the on-site inspection record lists the hazards found
and leaves out a device count nobody took; a paper printed before these lines were
added still verifies (a line may be left out, never reworded)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.documents.content import inspection_record, re_inspection_opinion
from api.documents.render import write_document
from api.documents.sources import seal_for
from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock
from tests.support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    INSPECTOR,
    RESTAURANT_CODE,
    assigned_case,
)

runner = CliRunner()


@pytest.fixture
def keys(ledger: HazardLedger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "keys"
    monkeypatch.setenv("LEDGER_KEY_DIR", str(directory))
    monkeypatch.delenv("LEDGER_TRUSTED_KEYS", raising=False)
    trusted = tmp_path / "trusted.vkey"
    trusted.write_text(create_keys(directory).verifier.to_text())
    ledger.integrity.use_key_directory(directory)
    return trusted


def test_the_re_inspection_opinion_shows_the_extended_deadline(
    ledger: HazardLedger, clock: FakeClock, keys: Path, tmp_path: Path
) -> None:
    at = clock.now
    case_id = assigned_case(ledger, at)
    ledger.extend_deadline(
        DEPARTMENT,
        at,
        case_id,
        new_deadline=at + timedelta(days=40),
        reason="管道改造需停气施工",
        approver="孙志远",
    )
    ledger.report_rectification(ENTERPRISE_USER, at, case_id, measures="已改管", completed_at=at)
    ledger.verify_rectification(DEPARTMENT, at, case_id, accepted=True, opinion="整改合格")
    lines = seal_for(ledger, "re-inspection", case_id).content().lines()
    extended, original = (at + timedelta(days=40)), (at + timedelta(days=15))
    day = "{0.year}年{0.month}月{0.day}日".format
    assert f"整改期限：{day(extended)}（经批准延期，原期限{day(original)}）" in lines
    # the paper says so and verifies
    out = tmp_path / "re.pdf"
    seal = seal_for(ledger, "re-inspection", case_id)
    write_document(out, seal.content(), seal)
    result = runner.invoke(cli, ["verify-print", str(out), "--trusted-key", str(keys)])
    assert result.exit_code == 0, result.output


def test_without_an_extension_the_opinion_reads_as_before(
    ledger: HazardLedger, clock: FakeClock, keys: Path
) -> None:
    at = clock.now
    case_id = assigned_case(ledger, at)
    ledger.report_rectification(ENTERPRISE_USER, at, case_id, measures="已改管", completed_at=at)
    ledger.verify_rectification(DEPARTMENT, at, case_id, accepted=True, opinion="整改合格")
    seal = seal_for(ledger, "re-inspection", case_id)
    assert {e.role for e in seal.events} == {"reported", "assigned", "verified"}
    deadline = at + timedelta(days=15)
    assert (
        f"整改期限：{deadline.year}年{deadline.month}月{deadline.day}日" in seal.content().lines()
    )


def test_the_inspection_record_lists_the_hazards_found(
    ledger: HazardLedger, clock: FakeClock, keys: Path, tmp_path: Path
) -> None:
    at = clock.now
    assigned_case(ledger, at)  # registers the restaurant
    inspection = ledger.record_inspection(
        INSPECTOR,
        at,
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        inspection_type="routine",
        team=["张建国"],
        location="后厨",
    )
    for description in ("灶具无熄火保护", "燃气表间堆放杂物"):
        ledger.report_hazard(
            INSPECTOR,
            at,
            enterprise_code=RESTAURANT_CODE,
            sector="city_gas",
            location="后厨",
            description=description,
            source="routine_inspection",
            details={"leak_alarm_installed": True},
            inspection_id=inspection,
        )
    seal = seal_for(ledger, "inspection-record", inspection)
    lines = seal.content().lines()
    assert "检查情况：发现隐患2处，见下列各项" in lines
    assert "发现隐患1：灶具无熄火保护（部位：后厨）" in lines
    assert "发现隐患2：燃气表间堆放杂物（部位：后厨）" in lines
    assert not any(line.startswith("检查设备") for line in lines)
    out = tmp_path / "inspection.pdf"
    write_document(out, seal.content(), seal)
    result = runner.invoke(cli, ["verify-print", str(out), "--trusted-key", str(keys)])
    assert result.exit_code == 0, result.output


def test_a_paper_printed_before_still_verifies() -> None:
    """The lines of an old seal (no hazards sealed, no devices counted) are a subset of
    what that paper printed: ``检查设备（台）：0`` on the paper is extra, not a change."""
    recorded = {
        "inspection_type": "routine",
        "team": ["张建国"],
        "location": "后厨",
        "devices_checked": 0,
        "summary": "",
        "enterprise_code": RESTAURANT_CODE,
        "actor": {"name": "张建国", "organisation": "静宁县应急管理局"},
        "occurred_at": "2026-03-01T02:00:00+00:00",
    }
    now = inspection_record({"inspection": recorded}).lines()
    printed_then = [*now[:6], "检查设备（台）：0", *now[6:]]
    assert set(now) <= set(printed_then)
    assert "检查情况：—" in now
    assert re_inspection_opinion  # the opinion's old seals: see the test above
