"""Printed documents that prove themselves: each kind is printed, its QR code decoded
from the rendered page image, and checked offline against the trusted key alone; one
changed character, an altered record or another ledger's document each fail clearly."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.documents.render import write_document
from api.documents.scan import scan
from api.documents.seal import Seal, check
from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from ledger.integrity.trust import TrustRoot
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, ENTERPRISE_USER, INSPECTOR, RESTAURANT_CODE, assigned_case

runner = CliRunner()


def _history(ledger: HazardLedger, at: datetime) -> dict[str, UUID]:
    case_id = assigned_case(ledger, at)
    ledger.report_rectification(ENTERPRISE_USER, at, case_id, measures="已改管", completed_at=at)
    ledger.verify_rectification(
        DEPARTMENT, at, case_id, accepted=True, opinion="软管已更换为金属管道，整改合格"
    )
    common = {
        "enterprise_code": RESTAURANT_CODE,
        "sector": "city_gas",
        "department": "静宁县应急管理局",
        "case_ids": [case_id],
    }
    penalty = ledger.issue_action(
        DEPARTMENT,
        at,
        kind="penalty",
        document_number="静应急罚〔2024〕12号",
        legal_basis="《中华人民共和国安全生产法》第一百零二条",
        fine_amount=Decimal("20000"),
        description="未按规定整改燃气泄漏隐患",
        **common,  # type: ignore[arg-type]
    )
    order = ledger.issue_action(
        DEPARTMENT,
        at,
        kind="rectification_order",
        document_number="静应急责改〔2024〕7号",
        legal_basis="《安全生产事故隐患排查治理暂行规定》第二十条",
        description="燃气软管穿墙敷设，限 2024 年 5 月 18 日前整改完毕",
        **common,  # type: ignore[arg-type]
    )
    inspection = ledger.record_inspection(
        INSPECTOR,
        at,
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        inspection_type="unannounced",
        team=["张建国", "赵丽"],
        location="后厨及燃气表间",
        summary="发现燃气软管穿墙敷设 1 处，未安装可燃气体报警装置",
    )
    return {
        "penalty-decision": penalty,
        "rectification-order": order,
        "inspection-record": inspection,
        "re-inspection": case_id,
    }


@pytest.fixture
def printed(
    ledger: HazardLedger,
    store_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[dict[str, UUID], Path, Path]:
    keys = tmp_path / "keys"
    monkeypatch.setenv("LEDGER_KEY_DIR", str(keys))
    monkeypatch.delenv("LEDGER_TRUSTED_KEYS", raising=False)
    trusted = tmp_path / "trusted.vkey"
    trusted.write_text(create_keys(keys).verifier.to_text())
    return _history(ledger, clock.now), trusted, tmp_path


@pytest.mark.parametrize(
    "kind", ["penalty-decision", "rectification-order", "inspection-record", "re-inspection"]
)
@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_each_kind_prints_and_verifies_offline(
    printed: tuple[dict[str, UUID], Path, Path], store_url: str, kind: str, suffix: str
) -> None:
    ids, trusted, tmp = printed
    out = tmp / f"{kind}{suffix}"
    result = runner.invoke(
        cli, ["--store", store_url, "print", kind, str(ids[kind]), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    # verify-print opens no store: only the file and the trusted key
    result = runner.invoke(
        cli, ["--lang", "en", "verify-print", str(out), "--trusted-key", str(trusted)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("verified")


def test_pdf_embeds_the_cjk_font(
    printed: tuple[dict[str, UUID], Path, Path], store_url: str
) -> None:
    ids, _, tmp = printed
    out = tmp / "p.pdf"
    runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "print",
            "penalty-decision",
            str(ids["penalty-decision"]),
            "-o",
            str(out),
        ],
    )
    raw = out.read_bytes()
    assert b"/FontFile2" in raw  # the TrueType font program is in the file
    assert "行政处罚决定书" in scan(out).text


def _seal_of(path: Path) -> Seal:
    return Seal.from_bytes(scan(path).codes[0])


def test_one_changed_character_fails_and_names_the_line(
    printed: tuple[dict[str, UUID], Path, Path], store_url: str
) -> None:
    ids, trusted, tmp = printed
    genuine = tmp / "genuine.pdf"
    runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "print",
            "penalty-decision",
            str(ids["penalty-decision"]),
            "-o",
            str(genuine),
        ],
    )
    seal = _seal_of(genuine)
    content = seal.content()
    fields = tuple(
        (label, value.replace("20,000.00", "2,000.00")) for label, value in content.fields
    )
    forged = tmp / "forged.pdf"
    write_document(forged, replace(content, fields=fields), seal)  # same QR, one digit less
    result = runner.invoke(
        cli, ["--lang", "en", "verify-print", str(forged), "--trusted-key", str(trusted)]
    )
    assert result.exit_code == 1, result.output
    assert "printed content differs" in result.output and "罚款金额：20,000.00 元" in result.output
    verdict = check(seal, scan(forged).text, TrustRoot.configured([trusted], setting=""))
    assert verdict.status == "content_changed"


def test_an_altered_record_in_the_qr_is_not_in_the_checkpoint(
    printed: tuple[dict[str, UUID], Path, Path], store_url: str
) -> None:
    ids, trusted, tmp = printed
    genuine = tmp / "genuine.pdf"
    runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "print",
            "penalty-decision",
            str(ids["penalty-decision"]),
            "-o",
            str(genuine),
        ],
    )
    seal = _seal_of(genuine)
    first = seal.events[0]
    altered = replace(first, payload=first.payload.replace(b'"20000"', b'"2000"'))
    forged_seal = replace(seal, events=(altered, *seal.events[1:]))
    forged = tmp / "forged.pdf"
    write_document(forged, forged_seal.content(), forged_seal)  # consistent paper, forged QR
    result = runner.invoke(
        cli, ["--lang", "en", "verify-print", str(forged), "--trusted-key", str(trusted)]
    )
    assert result.exit_code == 1 and "not in the signed checkpoint" in result.output


def test_a_document_from_another_ledger_is_refused(
    printed: tuple[dict[str, UUID], Path, Path], store_url: str, tmp_path: Path
) -> None:
    ids, _, tmp = printed
    out = tmp / "p.pdf"
    runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "print",
            "inspection-record",
            str(ids["inspection-record"]),
            "-o",
            str(out),
        ],
    )
    other = tmp_path / "other.vkey"
    other.write_text(create_keys(tmp_path / "other-keys").verifier.to_text())
    result = runner.invoke(
        cli, ["--lang", "en", "verify-print", str(out), "--trusted-key", str(other)]
    )
    assert result.exit_code == 1 and "another ledger" in result.output
    result = runner.invoke(cli, ["verify-print", str(out), "--trusted-key", str(other)])
    assert "另一个账本" in result.output


def test_a_file_without_a_seal_and_a_wrong_kind_say_so(
    printed: tuple[dict[str, UUID], Path, Path], store_url: str
) -> None:
    ids, trusted, tmp = printed
    plain = tmp / "plain.pdf"
    seal = None
    genuine = tmp / "g.pdf"
    runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "print",
            "penalty-decision",
            str(ids["penalty-decision"]),
            "-o",
            str(genuine),
        ],
    )
    write_document(plain, _seal_of(genuine).content(), seal)
    result = runner.invoke(
        cli, ["--lang", "en", "verify-print", str(plain), "--trusted-key", str(trusted)]
    )
    assert result.exit_code == 3 and "no verification QR code" in result.output
    result = runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "print",
            "penalty-decision",
            str(ids["rectification-order"]),
            "-o",
            str(tmp / "x.pdf"),
        ],
    )
    assert result.exit_code != 0 and "rectification_order" in result.output
