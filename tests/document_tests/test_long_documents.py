"""Documents whose text runs past one page: every page printed and numbered, nothing cut
off at the page edge, and the paper still verifies (the page number between two halves
of a paragraph is not read as part of it)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.documents.scan import scan
from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, RESTAURANT_CODE, register_restaurant

runner = CliRunner()

#: About three pages of text that compresses well, so its seal still fits one QR code.
LONG = "".join(f"第{i}处：燃气软管穿墙敷设，未安装可燃气体报警装置。" for i in range(1, 121))


def _penalty(ledger: HazardLedger, clock: FakeClock, description: str) -> UUID:
    register_restaurant(ledger, clock.now)
    return ledger.issue_action(
        DEPARTMENT,
        clock.now,
        kind="penalty",
        document_number="静应急罚〔2024〕21号",
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        department="静宁县应急管理局",
        legal_basis="《中华人民共和国安全生产法》第一百零二条",
        fine_amount=Decimal("5000"),
        description=description,
    )


@pytest.fixture
def trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEDGER_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("LEDGER_TRUSTED_KEYS", raising=False)
    key = tmp_path / "trusted.vkey"
    key.write_text(create_keys(tmp_path / "keys").verifier.to_text())
    return key


def test_a_long_document_runs_over_pages_and_verifies(
    ledger: HazardLedger, store_url: str, clock: FakeClock, tmp_path: Path, trusted: Path
) -> None:
    action = _penalty(ledger, clock, LONG)
    out = tmp_path / "long.pdf"
    result = runner.invoke(
        cli, ["--store", store_url, "print", "penalty-decision", str(action), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    pdf = pdfium.PdfDocument(str(out))
    pages = len(pdf)
    pdf.close()
    assert pages >= 2
    text = scan(out).text
    assert "第120处" in text and "日期：" in text  # the end of the text and the signature
    assert f"第 {pages} 页 / 共 {pages} 页" not in text  # page furniture is not content
    result = runner.invoke(
        cli, ["--lang", "en", "verify-print", str(out), "--trusted-key", str(trusted)]
    )
    assert result.exit_code == 0, result.output
