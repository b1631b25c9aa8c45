"""Very long free text in a printed document is refused by name, never as an internal
error (the seal would outgrow the largest QR code)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, RESTAURANT_CODE, register_restaurant


def test_a_seal_too_large_for_a_qr_code_is_refused_in_chinese(
    ledger: HazardLedger,
    store_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LEDGER_KEY_DIR", str(tmp_path / "keys"))
    create_keys(tmp_path / "keys")
    register_restaurant(ledger, clock.now)
    action = ledger.issue_action(
        DEPARTMENT,
        clock.now,
        kind="penalty",
        document_number="静应急罚〔2024〕13号",
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        department="静宁县应急管理局",
        legal_basis="《中华人民共和国安全生产法》第一百零二条",
        fine_amount=Decimal("5000"),
        # 3000 distinct-looking characters: free text that does not compress away.
        description="".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000)),
    )
    out = tmp_path / "long.pdf"
    result = CliRunner().invoke(
        cli, ["--store", store_url, "print", "penalty-decision", str(action), "-o", str(out)]
    )
    assert result.exit_code == 2, result.exception
    assert "二维码容纳不下" in result.output
    assert not out.exists()
