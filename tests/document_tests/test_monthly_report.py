"""The printed monthly report: computed at a signed checkpoint, sealed with the tree's
last leaf and the figures' digest (decision 0028). Offline the paper proves its
checkpoint and figures; with a ledger copy the report is recomputed as known at that
tree size, whatever has been recorded since."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.documents import monthly
from api.documents.report_render import write_report_pdf
from api.documents.scan import scan
from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock
from tests.support import (
    DEPARTMENT,
    ENTERPRISE_USER,
    INSPECTOR,
    assigned_case,
    report_case,
)

runner = CliRunner()
MONTH = "2026-03"


@pytest.fixture
def keyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    keys = tmp_path / "keys"
    monkeypatch.setenv("LEDGER_KEY_DIR", str(keys))
    monkeypatch.delenv("LEDGER_TRUSTED_KEYS", raising=False)
    trusted = tmp_path / "trusted.vkey"
    trusted.write_text(create_keys(keys).verifier.to_text())
    return trusted


def _history(ledger: HazardLedger, clock: FakeClock) -> None:
    for i in range(2):
        case_id = assigned_case(ledger, clock.now) if i == 0 else _assigned(ledger, clock)
        clock.advance(minutes=5)
        ledger.report_rectification(
            ENTERPRISE_USER, clock.now, case_id, measures="已改管", completed_at=clock.now
        )
        ledger.verify_rectification(DEPARTMENT, clock.now, case_id, accepted=True, opinion="合格")
        clock.advance(minutes=5)
    _assigned(ledger, clock)
    clock.advance(minutes=5)


def _assigned(ledger: HazardLedger, clock: FakeClock) -> UUID:
    case_id = report_case(ledger, clock.now)
    ledger.grade_hazard(INSPECTOR, clock.now, case_id, grade="general")
    ledger.assign_rectification(
        INSPECTOR,
        clock.now,
        case_id,
        department="静宁县住房和城乡建设局",
        deadline=clock.now + timedelta(days=15),
        requirements="更换金属管道",
    )
    return case_id


def _print(store_url: str, out: Path) -> None:
    result = runner.invoke(
        cli, ["--store", store_url, "print", "monthly-report", "620826", MONTH, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output


def _verify(out: Path, trusted: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        cli, ["--lang", "en", "verify-print", str(out), "--trusted-key", str(trusted), *extra]
    )
    return result.exit_code, result.output


def test_monthly_report_prints_and_verifies_offline_and_against_a_copy(
    ledger: HazardLedger, clock: FakeClock, store_url: str, keyed: Path, tmp_path: Path
) -> None:
    _history(ledger, clock)
    out = tmp_path / "monthly.pdf"
    _print(store_url, out)
    scanned = scan(out)
    assert b"/FontFile2" in out.read_bytes()
    seal = monthly.MonthlySeal.from_bytes(scanned.codes[0])
    assert seal.report is not None and seal.report["total"]["hazards_found"] == 3
    assert "合计" in scanned.text and "月报" in scanned.text
    code, output = _verify(out, trusted=keyed)
    assert code == 0 and output.startswith("verified"), output
    # more is recorded later: the copy recomputes the report as known at the sealed tree
    clock.advance(hours=1)
    _assigned(ledger, clock)
    code, output = _verify(out, keyed, "--store", store_url)
    assert code == 0 and "recomputed from the ledger copy" in output, output


def test_a_changed_figure_or_a_forged_digest_fails(
    ledger: HazardLedger, clock: FakeClock, store_url: str, keyed: Path, tmp_path: Path
) -> None:
    _history(ledger, clock)
    out = tmp_path / "monthly.pdf"
    _print(store_url, out)
    seal = monthly.MonthlySeal.from_bytes(scan(out).codes[0])
    assert seal.report is not None
    # the paper says 4 hazards where the sealed figures say 3
    forged_report = {**seal.report, "total": {**seal.report["total"], "hazards_found": 4}}
    paper = tmp_path / "changed.pdf"
    write_report_pdf(paper, forged_report, seal)
    code, output = _verify(paper, keyed)
    assert code == 1 and "these lines were changed" in output and "合计" in output
    # figures and paper altered together: the digest no longer matches
    both = tmp_path / "both.pdf"
    write_report_pdf(both, forged_report, replace(seal, report=forged_report))
    code, output = _verify(both, keyed)
    assert code == 1 and "do not match their digest" in output
    # ... and with the digest forged too, the ledger copy recomputes the truth
    forged = replace(seal, report=forged_report, report_digest=monthly.digest(forged_report))
    write_report_pdf(both, forged_report, forged)
    code, output = _verify(both, keyed, "--store", store_url)
    assert code == 1 and "gives a different report" in output


def test_a_moved_moment_or_another_ledger_is_refused(
    ledger: HazardLedger, clock: FakeClock, store_url: str, keyed: Path, tmp_path: Path
) -> None:
    _history(ledger, clock)
    out = tmp_path / "monthly.pdf"
    _print(store_url, out)
    seal = monthly.MonthlySeal.from_bytes(scan(out).codes[0])
    assert seal.report is not None
    moved = replace(seal, known_at="2026-01-01T00:00:00+00:00")
    paper = tmp_path / "moved.pdf"
    write_report_pdf(paper, seal.report, moved)
    code, output = _verify(paper, keyed)
    assert code == 1 and "not the checkpoint's" in output
    other = tmp_path / "other.vkey"
    other.write_text(create_keys(tmp_path / "other-keys").verifier.to_text())
    code, output = _verify(out, other)
    assert code == 1 and "another ledger" in output


def test_without_figures_offline_says_what_it_could_not_check(
    ledger: HazardLedger, clock: FakeClock, store_url: str, keyed: Path, tmp_path: Path
) -> None:
    _history(ledger, clock)
    out = tmp_path / "monthly.pdf"
    _print(store_url, out)
    seal = monthly.MonthlySeal.from_bytes(scan(out).codes[0])
    assert seal.report is not None
    bare = tmp_path / "bare.pdf"
    write_report_pdf(bare, seal.report, seal.without_report())
    code, output = _verify(bare, keyed)
    assert code == 4 and "cannot be checked offline" in output
    code, output = _verify(bare, keyed, "--store", store_url)
    assert code == 0 and output.startswith("verified"), output
